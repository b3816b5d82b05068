"""Building blocks for the information-sharing tests, made through the services."""

from netwerkregie.cases.models import Case
from netwerkregie.core.models import User
from netwerkregie.core.roles import Role
from netwerkregie.disclosures.models import SharedData
from netwerkregie.intake.models import Signal
from netwerkregie.intake.services import decide
from netwerkregie.network.models import Covenant, Organisation, Sector
from netwerkregie.sharing import services
from netwerkregie.sharing.models import LegalBasis, Referral, ReferralKind
from tests.case_helpers import case_work_covenant
from tests.intake_helpers import findings, on_agenda, session_with, submit


def receiving_organisation(users: dict[str, User], name: str = "Exitprogramma Nieuwe Koers") -> Organisation:
    """A receiving organisation with a covenant for case work; the recipient fixture user works there."""
    organisation = Organisation.objects.create(name=name, sector=Sector.CARE)
    case_work_covenant([users[Role.COORDINATOR].organisation, organisation], users[Role.COORDINATOR])
    recipient = users[Role.RECIPIENT]
    recipient.organisation = organisation
    recipient.save(update_fields=["organisation"])
    return organisation


def covenant_with(organisation: Organisation) -> Covenant:
    return Covenant.objects.filter(parties=organisation, for_case_work=True).order_by("pk").first()  # type: ignore[return-value]


def referral(users: dict[str, User], case: Case | None = None, signal: Signal | None = None, *,
             organisation: Organisation | None = None, kind: str = ReferralKind.INTERVENTION,
             categories: tuple[str, ...] = (SharedData.IDENTITY, SharedData.SIGNALS),
             by: User | None = None, **fields: object) -> Referral:
    organisation = organisation or Organisation.objects.get(pk=users[Role.RECIPIENT].organisation_id)
    from netwerkregie.cases.models import InterventionType

    data = services.ReferralInput(
        organisation=organisation, kind=kind, purpose="Exitbegeleiding, samen met de mentor.",
        categories=list(categories), basis=LegalBasis.COVENANT, covenant=covenant_with(organisation),
        intervention=InterventionType.objects.get(code="exit_programme") if kind == ReferralKind.INTERVENTION else None,
        note=str(fields.pop("note", "Hij weet ervan en wil een eerste gesprek.")), **fields)  # type: ignore[arg-type]
    return services.refer(data, actor=by or users[Role.CASE_MANAGER] if case else users[Role.COORDINATOR],
                          case=case, signal=signal)


def referred_signal(users: dict[str, User], name: str = "Rosa Regulier") -> Signal:
    """A signal assessed 'referred to regular care' with a person linked."""
    coordinator = users[Role.COORDINATOR]
    signal = submit(users[Role.PARTNER].organisation, users[Role.PARTNER], subject_name=name)
    session = session_with(coordinator, title=f"Weging {name}")
    on_agenda(signal, session, coordinator, name=name)
    decide(signal, session=session, findings=findings(), legal_criterion="Convenant art. 6",
           decision="referred_to_regular_care", rationale="Reguliere zorg volstaat.", actor=coordinator)
    signal.refresh_from_db()
    return signal
