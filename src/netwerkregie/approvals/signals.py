"""What an approval's decision sets in motion is said by the app that asked for it.

``approval_decided`` is sent inside the decision's transaction, after the approval is saved, with
``approval``, ``approve`` (True or False) and ``actor``. A receiver acts only on the
approvals it owns (cases: a plan version or a case's own closure; sharing: a referral) and raises
``ValidationError`` to undo the whole decision."""

from django.dispatch import Signal

approval_decided = Signal()
