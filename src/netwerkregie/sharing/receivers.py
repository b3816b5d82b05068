"""What a decided approval of a referral sets in motion (see ``approvals.signals``)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from netwerkregie.approvals.signals import approval_decided
from netwerkregie.sharing.services import send_after_approval


@receiver(approval_decided, dispatch_uid="sharing.referral_approval_decided")
def referral_approval_decided(sender: Any, *, approval: Any, approve: bool, actor: Any, **kwargs: Any) -> None:
    if approval.referral is not None:
        send_after_approval(approval.referral, approve=approve, actor=actor)
