"""What a decided approval of a plan version or a case's closure sets in motion (see ``approvals.signals``)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from netwerkregie.approvals.signals import approval_decided
from netwerkregie.cases.closure import take_effect


@receiver(approval_decided, dispatch_uid="cases.approval_decided")
def case_approval_decided(sender: Any, *, approval: Any, approve: bool, **kwargs: Any) -> None:
    take_effect(approval, approve=approve)
