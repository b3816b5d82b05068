"""Demo oversight: a data-subject request, a legal hold, and records past their retention date,
so that `purge --dry-run` has something to show."""

import datetime

from django.utils import timezone

from netwerkregie.cases.models import Case
from netwerkregie.core.models import User
from netwerkregie.core.roles import Role
from netwerkregie.disclosures.services import record_access_export
from netwerkregie.intake.models import Consultation, Signal
from netwerkregie.privacy.models import DataSubjectRequest, LegalHold
from netwerkregie.privacy.services import register_request


def load_privacy(users: dict[str, User]) -> bool:
    if DataSubjectRequest.objects.exists():
        return False
    officer, today = users[Role.PRIVACY_OFFICER], timezone.localdate()
    own = Signal.objects.filter(idempotency_key__startswith="demo-")  # the demo's own, not its history
    active = Case.objects.filter(signals__in=own).first()
    if active is None:
        return False
    access = register_request(kind="access", person=active.person, received_on=today - datetime.timedelta(days=10),
                              handler=officer, actor=officer, requester="parent", identity_check="id_document",
                              identity_note="Paspoort van de moeder gezien aan de balie.", channel="desk")
    record_access_export(access, fmt="pdf", actor=officer)  # a first export, sent to the person
    # An erasure request from someone only under monitoring (no case): the officer decides on it.
    monitored = own.filter(assessment__decision="monitoring", person__isnull=False,
                           person__cases__isnull=True).first()
    if monitored is not None:
        register_request(kind="erasure", person=monitored.person, received_on=today - datetime.timedelta(days=3),
                         handler=officer, actor=officer, requester="person", identity_check="digid", channel="letter")
    # Past their date: the "concern unfounded" signal and an old consultation (demo only: dates moved back).
    yesterday = today - datetime.timedelta(days=1)
    unfounded = own.filter(assessment__decision="closed_no_concern").first()
    if unfounded is not None:
        Signal.objects.filter(pk=unfounded.pk).update(retain_until=yesterday)
    old = Consultation.objects.order_by("pk").first()
    if old is not None:
        Consultation.objects.filter(pk=old.pk).update(retain_until=yesterday)
        LegalHold.objects.create(object_type="intake.consultation", object_id=str(old.pk), created_by=officer,
                                 reason="Klacht bij de Nationale ombudsman over dit advies; bewaren tot afhandeling.",
                                 until=today + datetime.timedelta(days=90))
    return True
