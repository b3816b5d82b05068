"""Writes to the network: validated, audited and given a retention date in one transaction."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from netwerkregie.core.audit import log_event
from netwerkregie.core.guard import flagged_terms
from netwerkregie.core.models import AuditAction, User
from netwerkregie.core.validators import clean_text
from netwerkregie.network.models import (
    Contact,
    ContactMoment,
    ContactTopic,
    Covenant,
    Neighbourhood,
    Organisation,
    Sector,
)

MAX_SUMMARY = 2_000


def _contact_retention(day: datetime.date) -> datetime.date:
    return day + datetime.timedelta(days=settings.CONTACT_RETENTION_DAYS)



def save_contact(contact: Contact, *, actor: User) -> Contact:
    errors: dict[str, list[ValidationError]] = {}
    for name in ("name", "job_title", "phone"):
        try:
            setattr(contact, name, clean_text(getattr(contact, name), 150, required=name == "name"))
        except ValidationError as error:
            errors.setdefault(name, []).append(error)
    if contact.informed_on and contact.informed_on > timezone.localdate():
        errors.setdefault("informed_on", []).append(ValidationError(_("This date is in the future.")))
    if errors:
        raise ValidationError(errors)
    created = contact.pk is None
    with transaction.atomic():
        contact.retain_until = _contact_retention(timezone.localdate())
        contact.save()
        log_event(AuditAction.CREATE if created else AuditAction.UPDATE, actor=actor, obj=contact)
    return contact


def save_organisation(organisation: Organisation, neighbourhoods: list[Neighbourhood], *, actor: User) -> Organisation:
    """A partner organisation in the register. Ending one (inactive) keeps its history: contact
    moments, covenants and activities still name it."""
    errors: dict[str, list[ValidationError]] = {}
    try:
        organisation.name = clean_text(organisation.name, 200, required=True)
    except ValidationError as error:
        errors["name"] = [error]
    if Organisation.objects.filter(name__iexact=organisation.name).exclude(pk=organisation.pk).exists():
        errors["name"] = [ValidationError(_("There is already a partner with this name."))]
    if errors:
        raise ValidationError(errors)
    created = organisation.pk is None
    with transaction.atomic():
        organisation.save()
        organisation.neighbourhoods.set(neighbourhoods)
        log_event(AuditAction.CREATE if created else AuditAction.UPDATE, actor=actor, obj=organisation,
                  reason="network register",
                  detail={"active": organisation.is_active, "neighbourhoods": len(neighbourhoods)})
    return organisation


def save_neighbourhood(neighbourhood: Neighbourhood, *, actor: User) -> Neighbourhood:
    errors: dict[str, list[ValidationError]] = {}
    try:
        neighbourhood.name = clean_text(neighbourhood.name, 100, required=True)
    except ValidationError as error:
        errors["name"] = [error]
    if Neighbourhood.objects.filter(name__iexact=neighbourhood.name).exclude(pk=neighbourhood.pk).exists():
        errors["name"] = [ValidationError(_("There is already a neighbourhood with this name."))]
    if errors:
        raise ValidationError(errors)
    created = neighbourhood.pk is None
    with transaction.atomic():
        if created:
            base = slugify(neighbourhood.name)[:24] or "wijk"
            code, n = base, 1
            while Neighbourhood.objects.filter(code=code).exists():
                n += 1
                code = f"{base}-{n}"
            neighbourhood.code = code
        neighbourhood.save()
        log_event(AuditAction.CREATE if created else AuditAction.UPDATE, actor=actor, obj=neighbourhood,
                  reason="network register")
    return neighbourhood


def save_covenant(covenant: Covenant, parties: list[Organisation], *, actor: User,
                  document: UploadedFile[bytes] | None = None) -> Covenant:
    errors: dict[str, list[ValidationError]] = {}
    try:
        covenant.title = clean_text(covenant.title, 200, required=True)
    except ValidationError as error:
        errors["title"] = [error]
    if covenant.valid_until and covenant.valid_until < covenant.valid_from:
        errors["valid_until"] = [ValidationError(_("The end date lies before the start date."))]
    if len(parties) < 2:
        errors["parties"] = [ValidationError(_("A covenant has at least two parties."))]
    if not (covenant.for_signals or covenant.for_case_work or covenant.for_programme):
        errors["__all__"] = [ValidationError(_("Choose at least one purpose."))]
    if document is not None:
        if (document.size or 0) > settings.COVENANT_MAX_UPLOAD_BYTES:
            errors["document"] = [ValidationError(_("The file is larger than %(mb)d MB.")
                                                  % {"mb": settings.COVENANT_MAX_UPLOAD_BYTES // 1_048_576})]
        else:
            head = document.read(5)
            document.seek(0)
            if head != b"%PDF-":
                errors["document"] = [ValidationError(_("Upload the signed covenant as a PDF file."))]
    if errors:
        raise ValidationError(errors)
    created = covenant.pk is None
    with transaction.atomic():
        if document is not None:
            covenant.document.save("covenant.pdf", document, save=False)
        covenant.save()
        covenant.parties.set(parties)
        log_event(AuditAction.CREATE if created else AuditAction.UPDATE, actor=actor, obj=covenant,
                  detail={"parties": len(parties), "document": bool(covenant.document)})
    return covenant


@dataclass
class ContactMomentInput:
    happened_on: datetime.date
    kind: str
    organisations: list[Organisation]
    contacts: list[Contact]
    topic: ContactTopic
    summary: str
    follow_up_on: datetime.date | None = None
    special_category_reason: str = ""


class SummaryFlagged(ValidationError):
    def __init__(self, terms: list[str]) -> None:
        self.terms = terms
        super().__init__(
            _("The summary mentions %(terms)s. Contact moments are about the partnership: remove it, or "
              "confirm with a reason that it is necessary.") % {"terms": ", ".join(terms)},
            code="special_category",
        )


def record_contact_moment(data: ContactMomentInput, *, actor: User) -> ContactMoment:
    errors: dict[str, list[ValidationError]] = {}
    try:
        summary = clean_text(data.summary, MAX_SUMMARY, required=True)
    except ValidationError as error:
        errors["summary"] = [error]
        summary = ""
    today = timezone.localdate()
    if data.happened_on > today:
        errors["happened_on"] = [ValidationError(_("This date is in the future."))]
    if data.follow_up_on and data.follow_up_on < data.happened_on:
        errors["follow_up_on"] = [ValidationError(_("The follow-up date lies before the contact moment."))]
    if not data.organisations:
        errors["organisations"] = [ValidationError(_("Choose at least one organisation."))]
    strays = [c for c in data.contacts if c.organisation not in data.organisations]
    if strays:
        errors["contacts"] = [ValidationError(_("%(name)s does not work for one of the chosen organisations.")
                                              % {"name": strays[0].name})]
    if errors:
        raise ValidationError(errors)
    terms = flagged_terms(summary)
    if terms and not data.special_category_reason.strip():
        raise SummaryFlagged(terms)
    with transaction.atomic():
        moment = ContactMoment.objects.create(
            happened_on=data.happened_on, kind=data.kind, topic=data.topic, summary=summary,
            follow_up_on=data.follow_up_on, recorded_by=actor, retain_until=_contact_retention(data.happened_on),
        )
        moment.organisations.set(data.organisations)
        moment.contacts.set(data.contacts)
        # The contact people's details are kept as long as the partnership is alive.
        Contact.objects.filter(pk__in=[c.pk for c in data.contacts],
                               retain_until__lt=moment.retain_until).update(retain_until=moment.retain_until)
        log_event(AuditAction.CREATE, actor=actor, obj=moment,
                  detail={"organisations": len(data.organisations)})
        if terms:
            log_event(AuditAction.SPECIAL_CATEGORY_CONFIRMED, actor=actor, obj=moment,
                      reason=data.special_category_reason.strip(), detail={"terms": terms})
    return moment


def complete_follow_up(moment: ContactMoment, *, actor: User) -> None:
    with transaction.atomic():
        moment.follow_up_done = True
        moment.save(update_fields=["follow_up_done"])
        log_event(AuditAction.UPDATE, actor=actor, obj=moment, reason="follow-up done")


# --- The network at a glance ------------------------------------------------------------------

@dataclass
class Cell:
    partners: int
    days_since_contact: int | None


def last_contacts(queryset: Any = None) -> Any:
    """Active organisations with the date of their latest contact moment."""
    organisations = queryset if queryset is not None else Organisation.objects.filter(is_active=True)
    return organisations.annotate(last_contact=Max("contact_moments__happened_on"))


def coverage(day: datetime.date | None = None) -> dict[str, Any]:
    """Neighbourhood x sector: active partners, and days since the most recent contact with any of them.
    Organisations without neighbourhoods (city-wide) appear in their own row."""
    day = day or timezone.localdate()
    hoods = list(Neighbourhood.objects.all())
    partners = list(last_contacts().values_list("pk", "sector", "last_contact"))  # rows, not model instances
    sectors = [s for s in Sector if s.value in {sector for _pk, sector, _last in partners}]
    served: dict[int, list[int]] = defaultdict(list)
    for organisation_id, hood_id in Organisation.neighbourhoods.through.objects.filter(
            organisation__is_active=True).values_list("organisation_id", "neighbourhood_id"):
        served[organisation_id].append(hood_id)
    # Each organisation filed once under (neighbourhood, sector): one pass, not one per cell.
    members: dict[tuple[int | None, str], list[datetime.date | None]] = defaultdict(list)
    for pk, sector, last_contact in partners:
        hood_ids: list[int | None] = [*served.get(pk, [])]
        for served_hood in hood_ids or [None]:
            members[(served_hood, sector)].append(last_contact)
    rows = []
    for hood in [*hoods, None]:
        cells = []
        for sector in sectors:
            contacts = members.get((hood.pk if hood else None, sector.value), [])
            latest = max((last for last in contacts if last), default=None)
            cells.append(Cell(len(contacts), (day - latest).days if latest else None))
        rows.append({"neighbourhood": hood, "cells": cells})
    return {"sectors": sectors, "rows": rows}


def stale_partners(day: datetime.date | None = None) -> list[Organisation]:
    """Active partners without a contact moment in the last NETWORK_STALE_AFTER_DAYS days, oldest first."""
    day = day or timezone.localdate()
    limit = day - datetime.timedelta(days=settings.NETWORK_STALE_AFTER_DAYS)
    # "No moment since the limit" read from the recent moments (by date), so only the stale few are
    # aggregated for their last contact, not every moment of every partner. From the link table: never a
    # NULL, which would make NOT IN match nothing.
    recent = ContactMoment.organisations.through.objects.filter(
        contactmoment__happened_on__gte=limit).values("organisation_id")
    organisations = last_contacts(Organisation.objects.filter(is_active=True).exclude(pk__in=recent))
    return sorted(organisations, key=lambda o: (o.last_contact or datetime.date.min, o.name))


def follow_ups_due(day: datetime.date | None = None) -> Any:
    day = day or timezone.localdate()
    return (ContactMoment.objects.filter(follow_up_on__isnull=False, follow_up_done=False,
                                         follow_up_on__lte=day + datetime.timedelta(days=14))
            .select_related("topic").prefetch_related("organisations").order_by("follow_up_on"))


def sector_counts() -> list[tuple[Sector, int]]:
    counts = dict(Organisation.objects.filter(is_active=True).values_list("sector").annotate(n=Count("pk")))
    return [(sector, counts[sector.value]) for sector in Sector if counts.get(sector.value)]
