"""The register of processing activities (GDPR art. 30) and a DPIA starting document, generated
from the models, the roles and the retention settings, so they cannot drift from the system."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from netwerkregie.cases.models import Case, CaseMembership, DataContribution, PlanVersion, Review
from netwerkregie.core.crypto import EncryptedDateField, EncryptedTextField
from netwerkregie.core.roles import Role
from netwerkregie.intake.models import Assessment, Consultation, Contribution, Signal
from netwerkregie.network.models import Contact, ContactMoment
from netwerkregie.people.models import Person
from netwerkregie.privacy.models import DataSubjectRequest
from netwerkregie.privacy.services import retention_overview

SKIP = {"id", "retain_until", "bsn_hash", "name_birth_hash", "birth_date_hash", "phonetic_birth_hash",
        "idempotency_key", "request_fingerprint", "special_category_confirmed",
        "created_at", "updated_at", "created_by", "decided_by", "saved_by", "recorded_by", "added_by", "removed_by",
        "reviewed_by"}


@dataclass(frozen=True)
class Activity:
    name: Promise
    purpose: Promise
    legal_basis: Promise
    subjects: Promise
    models: tuple[type[models.Model], ...]
    recipients: tuple[str, ...]
    retention_keys: tuple[int, ...]


ACTIVITIES = [
    Activity(_("Early signals and joint assessment"),
             _("Help and coordination for people who may be radicalising, based on signals from the network."),
             _("GDPR art. 6(1)(e), public task (Municipalities Act, Wgs art. 2); covenant with the core partners."),
             _("Persons of concern (including minors); submitters (professionals)."),
             (Person, Signal, Assessment, Contribution), (Role.COORDINATOR, Role.CORE_PARTNER), (0, 1, 2, 3, 4, 5, 7)),
    Activity(_("Person-centred case and support plan"),
             _("An integrated, personal plan agreed in the case consultation, followed until closure."),
             _("GDPR art. 6(1)(e); Wgs art. 2; covenant for case work with each party."),
             _("Persons of concern and, where needed, related persons."),
             (Case, CaseMembership, PlanVersion, Review, DataContribution),
             (Role.COORDINATOR, Role.CASE_MANAGER, Role.CORE_PARTNER, Role.PARTNER), (6, 7)),
    Activity(_("Anonymous consultations"), _("Advice to professionals without personal data."),
             _("GDPR art. 6(1)(e); no personal data of the situation is recorded."),
             _("Professionals asking for advice."), (Consultation,), (Role.COORDINATOR,), (8,)),
    Activity(_("Network register"), _("Keeping short lines with partner organisations that knowingly take part."),
             _("GDPR art. 6(1)(e); the contact people are informed."),
             _("Contact people of partner organisations (professional details only)."),
             (Contact, ContactMoment), (Role.COORDINATOR, Role.PROGRAMME_OFFICER), (9,)),
    Activity(_("Data-subject rights"), _("Answering requests under GDPR art. 15-18 and 21 within the legal term."),
             _("GDPR art. 6(1)(c), legal obligation."), _("Persons who make a request."),
             (DataSubjectRequest,), (Role.PRIVACY_OFFICER,), (10,)),
]


def _categories(model: type[models.Model]) -> list[str]:
    fields = []
    for field in model._meta.concrete_fields:
        if field.name in SKIP or field.auto_created:
            continue
        label = str(field.verbose_name)
        if isinstance(field, EncryptedTextField | EncryptedDateField):
            label += " *"
        fields.append(label)
    return fields


def register() -> list[dict[str, object]]:
    retention = retention_overview()
    labels = dict(Role.choices)
    return [{
        "name": a.name, "purpose": a.purpose, "legal_basis": a.legal_basis, "subjects": a.subjects,
        "categories": [(m._meta.verbose_name_plural, _categories(m)) for m in a.models],
        "recipients": [labels[r] for r in a.recipients],
        "retention": [retention[i] for i in a.retention_keys],
    } for a in ACTIVITIES]
