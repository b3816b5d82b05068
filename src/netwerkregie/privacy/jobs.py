"""The privacy officer's nightly job, registered with the scheduler (``ops.registry``) by ``PrivacyConfig``:
close what lapsed, then delete what is past its retention date."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from netwerkregie.ops.registry import DAY, Figures, Job, daily
from netwerkregie.privacy.lapse import lapse
from netwerkregie.privacy.purge import purge


def _purge() -> Figures:
    lapsed = lapse()  # first: what lapses today starts its retention clock before the purge looks
    report = purge()
    return {"deleted": report.deleted, "held": report.held, "blocked": report.blocked,
            "lapsed": len(lapsed.cases) + len(lapsed.signals)}


def _describe_purge(f: Figures) -> str:
    text = _("deleted %(deleted)s; kept under a legal hold %(held)s; still needed by another record %(blocked)s") % f
    if "lapsed" in f:  # runs recorded before the lapse joined the job have no such figure
        text += "; " + _("lapsed, not re-justified: %(lapsed)s") % f
    return text


PURGE = Job("purge", gettext_noop("Close what lapsed, delete what is past its retention date"),
            lambda: daily(settings.SCHEDULE_PURGE_AT)(), _purge, _describe_purge, datetime.timedelta(days=400),
            period=DAY)
