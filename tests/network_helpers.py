"""Building blocks for tests of the network and the programmes, made through the services."""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from netwerkregie.core.models import User
from netwerkregie.core.roles import Role
from netwerkregie.network import services as network
from netwerkregie.network.models import Contact, ContactTopic, Covenant, Neighbourhood, Organisation, Sector
from netwerkregie.programmes import services as programmes
from netwerkregie.programmes.models import Activity, ActivityType

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def covenant(parties: list[Organisation], by: User, *, purposes: tuple[str, ...] = ("signals",),
             valid_from: datetime.date | None = None, valid_until: datetime.date | None = None) -> Covenant:
    record = Covenant(title="Convenant Zorg- en Veiligheidshuis", created_by=by,
                      valid_from=valid_from or datetime.date(2025, 1, 1), valid_until=valid_until,
                      **{f"for_{p}": True for p in purposes})
    return network.save_covenant(record, parties, actor=by,
                                 document=SimpleUploadedFile("c.pdf", PDF, content_type="application/pdf"))


def activity(by: User, organisations: list[Organisation], **fields: object) -> Activity:
    today = timezone.localdate()
    record = Activity(type=fields.pop("type", ActivityType.PARENT_TRAINING),
                      title=fields.pop("title", "Moedertraining"),
                      starts_on=fields.pop("starts_on", today), ends_on=fields.pop("ends_on", today),
                      participants=fields.pop("participants", 14), created_by=by, **fields)
    return programmes.save_activity(record, organisations, {}, actor=by)


def network_sample(users: dict[str, User]) -> dict[str, dict[str, object]]:
    partner_org = users[Role.PARTNER].organisation
    other = Organisation.objects.create(name="Buurthuis De Linde", sector=Sector.COMMUNITY_CENTRE)
    coordinator, officer = users[Role.COORDINATOR], users[Role.PROGRAMME_OFFICER]
    cov = covenant([partner_org, other], coordinator)
    moment = network.record_contact_moment(network.ContactMomentInput(
        happened_on=timezone.localdate(), kind="visit", organisations=[partner_org], contacts=[],
        topic=ContactTopic.objects.get(code="getting_acquainted"), summary="Kennismaking.",
        follow_up_on=timezone.localdate()), actor=coordinator)
    training = activity(officer, [partner_org])
    programmes.save_budget(timezone.localdate().year, "municipal", Decimal("1000"), "", actor=officer)
    return {
        "network:organisation_detail": {"pk": partner_org.pk},
        "network:contact_new": {"pk": partner_org.pk},
        "network:organisation_edit": {"pk": partner_org.pk},
        "network:contact_edit": {"pk": network.save_contact(Contact(
            organisation=partner_org, name="Mr. Contact", informed_on=timezone.localdate()), actor=coordinator).pk},
        "network:covenant_edit": {"pk": cov.pk},
        "network:neighbourhood_edit": {"pk": Neighbourhood.objects.create(name="Matrixwijk", code="matrixwijk").pk},
        "network:covenant_document": {"pk": cov.pk},
        "network:follow_up_done": {"pk": moment.pk},
        "network:partner_invite": {"pk": partner_org.pk},
        "network:partner_reinvite": {"pk": users[Role.PARTNER].pk},
        "network:partner_switch_off": {"pk": users[Role.PARTNER].pk},
        "programmes:activity_detail": {"pk": training.pk},
        "programmes:activity_edit": {"pk": training.pk},
    }
