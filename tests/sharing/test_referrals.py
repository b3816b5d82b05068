"""Referrals and handovers: a legal basis or nothing is saved; the receiver sees exactly the categories
passed, after accepting, and nothing once a referral is declined, withdrawn or expired."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from netwerkregie.cases.models import CaseStatus, InterventionType
from netwerkregie.core.models import AuditEvent
from netwerkregie.core.roles import Role
from netwerkregie.disclosures.models import Disclosure, SharedData
from netwerkregie.network.models import Organisation, Sector
from netwerkregie.sharing import services
from netwerkregie.sharing.models import ConsentBy, LegalBasis, Referral, ReferralKind, ReferralStatus
from tests.case_helpers import approve_pending, decided_case
from tests.conftest import verified_client
from tests.sharing_helpers import covenant_with, receiving_organisation, referral, referred_signal

pytestmark = pytest.mark.django_db

NAME = "Jesse de Boer"


@pytest.fixture
def exit_programme(users):
    return receiving_organisation(users)


@pytest.fixture
def case(users, exit_programme):
    return decided_case(users, NAME)


def form(organisation, **fields):
    data = {"organisation": organisation.pk, "kind": "intervention",
            "intervention": InterventionType.objects.get(code="exit_programme").pk,
            "purpose": "Exitbegeleiding, samen met de mentor.", "categories": ["identity", "signals"],
            "basis": "covenant", "covenant": covenant_with(organisation).pk if covenant_with(organisation) else ""}
    data.update(fields)
    return data


def test_without_a_valid_covenant_or_recorded_consent_nothing_is_sent(users, case, exit_programme) -> None:
    client = verified_client(users[Role.CASE_MANAGER])
    url = reverse("sharing:refer_case", args=[case.reference])
    elsewhere = Organisation.objects.create(name="Reclassering Lindeveen", sector=Sector.CARE)
    events = AuditEvent.objects.count()
    refused = client.post(url, form(elsewhere, covenant=covenant_with(exit_programme).pk))
    assert refused.status_code == 422
    assert "geen convenant voor casuswerk dat vandaag geldt" in refused.content.decode()
    no_date = client.post(url, form(elsewhere, basis="consent", covenant="", consent_by="person"))
    assert "wanneer de toestemming is gegeven" in no_date.content.decode()
    assert Referral.objects.count() == 0
    assert AuditEvent.objects.count() == events
    # The covenant lapsed yesterday: refused too.
    covenant = covenant_with(exit_programme)
    covenant.valid_until = timezone.localdate() - datetime.timedelta(days=1)
    covenant.save()
    assert client.post(url, form(exit_programme)).status_code == 422
    # Consent recorded with date and by whom: sent.
    sent = client.post(url, form(elsewhere, basis="consent", covenant="", consent_by="parent",
                                 consent_by_name="Petra de Boer", consent_on=timezone.localdate().isoformat()))
    assert sent.status_code == 302, sent.context["form"].errors
    assert Referral.objects.get().status == ReferralStatus.SENT


def test_a_minors_consent_comes_from_a_parent_or_guardian(users, exit_programme) -> None:
    minor = decided_case(users, "Mila Minder")  # the helper's signal is about a 15-year-old
    assert minor.person.is_minor
    data = services.ReferralInput(organisation=exit_programme, kind=ReferralKind.INTERVENTION,
                                  intervention=InterventionType.objects.get(code="exit_programme"),
                                  purpose="Exitbegeleiding.", categories=[SharedData.IDENTITY],
                                  basis=LegalBasis.CONSENT, consent_by=ConsentBy.PERSON,
                                  consent_on=timezone.localdate())
    with pytest.raises(ValidationError) as refused:
        services.refer(data, actor=users[Role.CASE_MANAGER], case=minor)
    assert "consent_by" in refused.value.message_dict
    data.consent_by = ConsentBy.PARENT
    with pytest.raises(ValidationError) as nameless:
        services.refer(data, actor=users[Role.CASE_MANAGER], case=minor)
    assert "consent_by_name" in nameless.value.message_dict
    data.consent_by_name = "Petra Minder"
    assert services.refer(data, actor=users[Role.CASE_MANAGER], case=minor).consent_by == ConsentBy.PARENT


def test_the_receiver_sees_the_purpose_first_and_after_accepting_exactly_the_categories_passed(users, case) -> None:
    sent = referral(users, case, categories=(SharedData.IDENTITY,))
    receiver = verified_client(users[Role.RECIPIENT])
    inbox = receiver.get(reverse("sharing:inbox")).content.decode()
    assert sent.reference in inbox
    before = receiver.get(reverse("sharing:received", args=[sent.reference])).content.decode()
    assert "Exitbegeleiding, samen met de mentor." in before
    assert "Identiteit" in before
    assert NAME not in before
    assert case.person.pseudonym not in before
    assert receiver.post(reverse("sharing:accept", args=[sent.reference])).status_code == 302
    after = receiver.get(reverse("sharing:received", args=[sent.reference])).content.decode()
    assert NAME in after
    signal = case.signals.get()
    assert signal.description not in after  # "what was signalled" was not passed
    assert "Wat is gesignaleerd" not in after
    assert "Plan van aanpak" not in after
    sent.refresh_from_db()
    assert set(services.shared_with_receiver(sent)) == {"identity"}
    # And the other way round: what was signalled, without the identity.
    other = referral(users, decided_case(users, "Noor Tweede"), categories=(SharedData.SIGNALS,))
    services.accept(other, actor=users[Role.RECIPIENT])
    page = receiver.get(reverse("sharing:received", args=[other.reference])).content.decode()
    assert other.case.signals.get().description in page
    assert "Noor Tweede" not in page
    assert set(services.shared_with_receiver(other)) == {"signals"}
    assert AuditEvent.objects.filter(action="view", reason="referral: data passed", actor=users[Role.RECIPIENT],
                                     detail__referral=other.reference).exists()


def test_reporting_back_before_accepting_shows_no_data(users, case) -> None:
    sent = referral(users, case)
    response = verified_client(users[Role.RECIPIENT]).post(reverse("sharing:report_back", args=[sent.reference]),
                                                           {"text": "Alvast begonnen."}, follow=True)
    page = response.content.decode()
    assert "Alleen de ontvangende organisatie koppelt terug" in page
    assert "Verwijzing aanvaarden" in page
    assert NAME not in page
    assert case.signals.get().description not in page
    assert not sent.updates.exists()


def test_another_organisations_staff_see_nothing(users, case) -> None:
    sent = referral(users, case)
    from tests.conftest import make_user

    other = make_user("olaf", Role.RECIPIENT, organisation=Organisation.objects.create(
        name="Jeugdzorg Elders", sector=Sector.CARE))
    client = verified_client(other)
    assert client.get(reverse("sharing:received", args=[sent.reference])).status_code == 404
    assert client.post(reverse("sharing:accept", args=[sent.reference])).status_code == 404
    assert sent.reference not in client.get(reverse("sharing:inbox")).content.decode()


@pytest.mark.parametrize("end", ["decline", "withdraw", "expire"])
def test_declining_withdrawing_or_expiry_ends_all_access_on_the_next_request(users, case, end, time_machine) -> None:
    sent = referral(users, case)
    receiver = verified_client(users[Role.RECIPIENT])
    url = reverse("sharing:received", args=[sent.reference])
    assert receiver.get(url).status_code == 200
    if end == "decline":
        refused = receiver.post(reverse("sharing:decline", args=[sent.reference]), {"reason": ""})
        assert refused.status_code == 422
        assert "verplicht" in refused.content.decode()
        receiver.post(reverse("sharing:decline", args=[sent.reference]), {"reason": "Geen plek tot maart."})
    elif end == "withdraw":
        manager = verified_client(users[Role.CASE_MANAGER])
        manager.post(reverse("sharing:withdraw", args=[sent.reference]), {"reason": "Jesse wil het niet meer."})
    else:
        time_machine.move_to(timezone.now() + datetime.timedelta(days=15))
        receiver = verified_client(users[Role.RECIPIENT])  # a fortnight later: a new session
    assert receiver.get(url).status_code == 404
    assert receiver.post(reverse("sharing:accept", args=[sent.reference])).status_code == 404
    assert sent.reference not in receiver.get(reverse("sharing:inbox")).content.decode()
    assert not Disclosure.objects.filter(referral=sent).exists()
    if end == "expire":
        services.expire_referrals()
        sent.refresh_from_db()
        assert sent.status == ReferralStatus.EXPIRED


def test_a_withdrawn_referral_cannot_be_accepted_and_an_accepted_one_cannot_be_withdrawn(users, case) -> None:
    sent = referral(users, case)
    services.accept(sent, actor=users[Role.RECIPIENT])
    with pytest.raises(ValidationError):
        services.withdraw(sent, actor=users[Role.CASE_MANAGER], reason="Toch niet.")
    other = referral(users, decided_case(users, "Noor Derde"))
    services.withdraw(other, actor=users[Role.CASE_MANAGER], reason="Toch niet.")
    with pytest.raises(ValidationError):
        services.accept(other, actor=users[Role.RECIPIENT])


def test_accepting_writes_the_ledger_in_the_same_act_and_the_receiver_reports_back(users, case) -> None:
    sent = referral(users, case, categories=(SharedData.IDENTITY, SharedData.PLAN))
    services.accept(sent, actor=users[Role.RECIPIENT])
    entry = Disclosure.objects.get(referral=sent)
    assert (entry.kind, entry.organisation, entry.categories) == ("referral", sent.organisation, ["identity", "plan"])
    assert entry.basis.startswith("Convenant")
    assert entry.case == case
    assert entry.disclosed_by == users[Role.CASE_MANAGER]
    assert AuditEvent.objects.filter(object_type="disclosures.disclosure", object_id=str(entry.pk),
                                     action="create").exists()
    receiver = verified_client(users[Role.RECIPIENT])
    receiver.post(reverse("sharing:report_back", args=[sent.reference]), {"text": "Intake gehouden; gestart."})
    page = verified_client(users[Role.CASE_MANAGER]).get(reverse("cases:case_detail", args=[case.reference]))
    assert "Intake gehouden; gestart." in page.content.decode()
    assert "Aanvaard" in page.content.decode()


def test_a_handover_waits_for_approval_and_closes_the_case_with_the_warm_handover_note(users, case) -> None:
    sent = referral(users, case, kind=ReferralKind.HANDOVER, note="Warme overdracht: kennismaking samen gehad.")
    assert sent.status == ReferralStatus.AWAITING_APPROVAL  # closing a case needs a second coordinator
    receiver = verified_client(users[Role.RECIPIENT])
    assert receiver.get(reverse("sharing:received", args=[sent.reference])).status_code == 404
    approve_pending(case, users[Role.COORDINATOR])
    receiver.post(reverse("sharing:accept", args=[sent.reference]))
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert case.closure_reason == "handed_over"
    assert case.handover_note == "Warme overdracht: kennismaking samen gehad."


def test_a_signal_referred_to_regular_care_is_referred_from_the_signal(users, exit_programme) -> None:
    signal = referred_signal(users)
    client = verified_client(users[Role.COORDINATOR])
    page = client.get(reverse("intake:signal_detail", args=[signal.reference])).content.decode()
    assert reverse("sharing:refer_signal", args=[signal.reference]) in page
    response = client.post(reverse("sharing:refer_signal", args=[signal.reference]), form(exit_programme))
    assert response.status_code == 302
    sent = Referral.objects.get(signal=signal)
    assert sent.case is None
    assert sent.person == signal.person
    with_plan = client.post(reverse("sharing:refer_signal", args=[signal.reference]),
                            form(exit_programme, categories=["plan"]))
    assert with_plan.status_code == 422  # a signal has no plan
    data = json.loads(json.dumps(services.shared_with_receiver(sent), default=str))
    assert "signals" in data
    assert "plan" not in data
