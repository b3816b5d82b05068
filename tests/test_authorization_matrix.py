"""Every URL pattern of the project, for anonymous visitors and every role, with its outcome.

The patterns are read from the resolver, so a URL added without an entry here fails
``test_every_url_pattern_is_in_the_matrix``. Denied means 404: existence never leaks.
"""

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from netwerkregie.accounts.users import update_user
from netwerkregie.cases import consultations as case_consultations
from netwerkregie.cases import emergency as case_emergency
from netwerkregie.cases import minutes as minutes_record
from netwerkregie.cases import services as case_services
from netwerkregie.cases.closure import request_closure
from netwerkregie.core.models import RoleGrantRequest, User
from netwerkregie.core.roles import Role
from netwerkregie.intake.models import AssessmentCriterion
from netwerkregie.intake.services import ask_consultation, decide
from netwerkregie.network.models import Organisation, Sector
from netwerkregie.privacy.services import register_request
from tests.case_helpers import case_work_covenant, decided_case
from tests.conftest import everyone_with_a_role
from tests.demo_snapshot import ModuleRows, rows_for_the_module
from tests.intake_helpers import findings, on_agenda, session_with, submit
from tests.network_helpers import network_sample
from tests.oidc import Provider, configure, running_provider
from tests.sharing_helpers import receiving_organisation, referral, referred_signal


def case_sample(users: dict[str, User]) -> dict[str, dict[str, object]]:
    coordinator, core_partner = users[Role.COORDINATOR], users[Role.CORE_PARTNER]
    other = Organisation.objects.create(name="Politie Matrix", sector=Sector.POLICE)
    case_work_covenant([coordinator.organisation, other], coordinator)
    case = decided_case(users, "Casus Matrix")
    membership = case_services.add_member(case, user=core_partner, role_in_case="Wijkagent", reason="Wijk",
                                          actor=coordinator)
    consultation = case_consultations.plan_consultation(title="Casusoverleg", held_on=timezone.localdate(),
                                                   attendees=[core_partner, users[Role.CASE_MANAGER]], cases=[case],
                                                   actor=coordinator)
    item = consultation.items.get()
    case_consultations.save_minutes(item, minutes="Verslag.", decisions="Besluit.", actor=coordinator)
    minutes_record.establish(item, actor=coordinator)
    action = case_consultations.add_action(item, description="Bellen", owner=core_partner, due_on=timezone.localdate(),
                                      actor=coordinator)
    ref = {"reference": case.reference}
    glass = case_emergency.break_glass(case, user=coordinator, reason="Matrix: noodtoegang voor de test.")
    subject_request = register_request(kind="access", person=case.person, received_on=timezone.localdate(),
                                       handler=users[Role.PRIVACY_OFFICER], actor=users[Role.PRIVACY_OFFICER])
    return {
        "privacy:emergency_review": {"pk": glass.pk},
        "privacy:request_detail": {"pk": subject_request.pk},
        "privacy:export_json": {"pk": subject_request.pk},
        "privacy:export_pdf": {"pk": subject_request.pk},
        "catalogues:new": {"key": "topics"},
        "catalogues:edit": {"key": "criteria", "pk": AssessmentCriterion.objects.first().pk},
        "cases:case_detail": ref, "cases:case_person": ref, "cases:member_add": ref, "cases:plan_edit": ref,
        "cases:plan_history": ref,
        "cases:review_new": ref, "cases:review_plan": ref, "cases:duties": ref, "cases:case_close": ref,
        "cases:case_justify": ref,
        "cases:member_remove": {**ref, "pk": membership.pk},
        "cases:consultation_detail": {"pk": consultation.pk}, "cases:agenda_add": {"pk": consultation.pk},
        "cases:minutes_pdf": {"pk": consultation.pk}, "cases:consultation_calendar": {"pk": consultation.pk},
        "cases:consultation_schedule": {"pk": consultation.pk},
        "cases:agenda_item": {"pk": consultation.pk, "item_pk": item.pk}, "cases:action_done": {"pk": action.pk},
        **{name: {"pk": consultation.pk, "item_pk": item.pk}
           for name in ("cases:minutes_establish", "cases:minutes_correct", "cases:minutes_history")},
    }

@pytest.fixture(scope="module")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    with running_provider(tmp_path_factory.mktemp("oidc"), ["http://testserver/accounts/oidc/callback/"]) as running:
        yield running


@pytest.fixture(autouse=True)
def _sign_in_through_a_provider_too(settings: object, provider: Provider) -> None:
    configure(settings, provider)


def sharing_sample(users: dict[str, User]) -> dict[str, dict[str, object]]:
    receiving_organisation(users)
    case = decided_case(users, "Casus Verwijzing")
    sent = referral(users, case)
    closing = decided_case(users, "Casus Akkoord")
    approval = request_closure(closing, reason="goals_achieved", handover_note="Overgedragen.",
                               actor=users[Role.CASE_MANAGER])
    signal = referred_signal(users)
    ref = {"reference": sent.reference}
    return {
        "sharing:refer_case": {"reference": case.reference}, "sharing:refer_signal": {"reference": signal.reference},
        "sharing:withdraw": ref, "sharing:received": ref, "sharing:accept": ref, "sharing:decline": ref,
        "sharing:report_back": ref, "sharing:approval_detail": {"pk": approval.pk},
        "sharing:approved_case": {"pk": approval.pk},
    }


def role_grant(users: dict[str, User]) -> RoleGrantRequest:
    """A grant of the coordinator role to a new colleague, asked by the administrator, waiting."""
    from tests.conftest import make_user

    gina = make_user("gina", organisation=users[Role.COORDINATOR].organisation)
    update_user(gina, email=gina.email, full_name=gina.full_name, organisation=gina.organisation,
                roles=[Role.COORDINATOR], is_active=True, actor=users[Role.ADMIN])
    return RoleGrantRequest.objects.get(user=gina)


ANONYMOUS, NOBODY = "anonymous", "nobody"
WHO = [ANONYMOUS, *Role.values, NOBODY]

OK, BAD_REQUEST, UNAUTHORIZED, NOT_FOUND, NOT_ALLOWED = 200, 400, 401, 404, 405
LOGIN = "redirect to sign-in"
ELSEWHERE = "redirect elsewhere"


def signed_in(outcome: object) -> dict[str, object]:
    return {who: (LOGIN if who == ANONYMOUS else outcome) for who in WHO}


def everyone(outcome: object) -> dict[str, object]:
    return dict.fromkeys(WHO, outcome)


def only(*roles: str) -> dict[str, object]:
    return {who: LOGIN if who == ANONYMOUS else OK if who in roles else NOT_FOUND for who in WHO}


def anonymous_only() -> dict[str, object]:
    """Sign-in pages: a visitor sees them, a signed-in user is sent on."""
    return {who: OK if who == ANONYMOUS else ELSEWHERE for who in WHO}


MATRIX: dict[str, dict[str, object]] = {
    "home": signed_in(OK),
    "health": everyone(OK),
    "accessibility_statement": everyone(OK),  # the law asks it to be public
    "set_language": everyone(ELSEWHERE),  # GET changes nothing and sends back; the form POSTs
    "accounts:login": anonymous_only(),
    "accounts:logout": signed_in(NOT_ALLOWED),  # POST only
    # With the identity provider configured (as in this module): the start sends anyone to the provider; the
    # callback without a code from it says "start again".
    "sharing:refer_case": only(Role.COORDINATOR, Role.CASE_MANAGER),
    "sharing:refer_signal": only(Role.COORDINATOR),
    "sharing:withdraw": only(Role.COORDINATOR, Role.CASE_MANAGER),
    # The receiving organisation's staff: a referral sent to them, not yet answered.
    "sharing:inbox": only(Role.RECIPIENT),
    "sharing:received": only(Role.RECIPIENT),
    "sharing:accept": {**only(), Role.RECIPIENT: NOT_ALLOWED},  # POST only
    "sharing:decline": {**only(), Role.RECIPIENT: NOT_ALLOWED},
    "sharing:report_back": {**only(), Role.RECIPIENT: NOT_ALLOWED},
    "sharing:approval_list": only(Role.COORDINATOR, Role.APPROVER),
    # A closure the case manager asked for: the coordinators decide, she follows it.
    "sharing:approval_detail": only(Role.COORDINATOR, Role.CASE_MANAGER, Role.APPROVER),
    # The approver reads, read-only, the case of what they may approve; its author (the case manager) is not asked.
    "sharing:approved_case": only(Role.COORDINATOR, Role.APPROVER),
    "sharing:ledger": only(Role.PRIVACY_OFFICER),
    "accounts:oidc_start": everyone(ELSEWHERE),
    "accounts:oidc_callback": everyone(BAD_REQUEST),
    "accounts:mfa_verify": signed_in(ELSEWHERE),  # already verified: sent on
    "accounts:mfa_setup": signed_in(ELSEWHERE),  # already enrolled: sent to verify
    "accounts:account": signed_in(OK),
    "accounts:backup_codes": signed_in(OK),  # a set made just now, once; otherwise how many are left
    "notifications:preferences": signed_in(NOT_ALLOWED),  # POST only: one's own choices, from "My account"
    "session:keep_alive": signed_in(NOT_ALLOWED),  # POST only
    "session:resume": signed_in(NOT_FOUND),  # only the author of a kept form sees it, once
    "accounts:password_change": signed_in(OK),
    "accounts:password_change_done": signed_in(OK),
    "accounts:password_reset": everyone(OK),
    "accounts:password_reset_done": everyone(OK),
    "accounts:password_reset_confirm": everyone(OK),  # shows "link no longer valid"
    "accounts:password_reset_complete": everyone(OK),
    "accounts:invitation": everyone(OK),  # shows "invitation no longer valid"
    "core:audit_log": only(Role.PRIVACY_OFFICER),
    # The old address of the chain's check: sends the privacy officer on to privacy:verification.
    "core:audit_verify": {**only(), Role.PRIVACY_OFFICER: ELSEWHERE},
    "accounts:user_list": only(Role.ADMIN),
    "accounts:user_new": only(Role.ADMIN),
    "accounts:user_edit": only(Role.ADMIN),
    "accounts:user_invite": {**only(), Role.ADMIN: NOT_ALLOWED},  # POST only
    "accounts:user_unlock": {**only(), Role.ADMIN: NOT_ALLOWED},  # POST only
    "accounts:user_reset_second_factor": {**only(), Role.ADMIN: NOT_ALLOWED},  # POST only
    # Grants of roles that wait for a second person: administrators and the privacy officer confirm them.
    "accounts:role_grant_list": only(Role.ADMIN, Role.PRIVACY_OFFICER),
    "accounts:role_grant_detail": only(Role.ADMIN, Role.PRIVACY_OFFICER),
    # Signals and assessment. The sample signal was submitted by the partner and is on the agenda
    # of a session in which the coordinator and the core partner take part.
    "intake:signal_new": only(Role.PARTNER, Role.COORDINATOR),
    "intake:my_signals": only(Role.PARTNER, Role.COORDINATOR),
    "intake:my_signal": only(Role.PARTNER),  # the submitter's own receipt; not even the coordinator's
    "intake:triage": only(Role.COORDINATOR),
    "intake:signal_detail": only(Role.COORDINATOR, Role.CORE_PARTNER),
    "intake:signal_link_person": {**only(), Role.COORDINATOR: NOT_ALLOWED},  # POST only
    "intake:signal_put_on_agenda": {**only(), Role.COORDINATOR: NOT_ALLOWED},  # POST only
    "intake:signal_pre_assess": {**only(), Role.COORDINATOR: NOT_ALLOWED},  # POST only
    # Pseudonymous assessment (the default): the core partner sees who it is only after revealing it.
    "intake:person_detail": only(Role.COORDINATOR),
    "intake:signal_justify": only(Role.COORDINATOR),
    "search:index": only(Role.COORDINATOR, Role.CASE_MANAGER, Role.CORE_PARTNER),
    "search:merge": only(Role.COORDINATOR),  # the sample's monitoring signal
    "search:remove": only(Role.COORDINATOR),
    "intake:session_reveal": {**only(), Role.COORDINATOR: NOT_ALLOWED, Role.CORE_PARTNER: NOT_ALLOWED},  # POST
    "intake:session_contribute": {**only(), Role.CORE_PARTNER: NOT_ALLOWED},  # POST, the partners' own
    "intake:session_list": only(Role.COORDINATOR, Role.CORE_PARTNER),
    "intake:session_new": only(Role.COORDINATOR),
    "intake:session_detail": only(Role.COORDINATOR, Role.CORE_PARTNER),
    "intake:session_decide": only(Role.COORDINATOR, Role.CORE_PARTNER),
    # The calendar file to whoever sees the session; only the coordinator moves it.
    "intake:session_calendar": only(Role.COORDINATOR, Role.CORE_PARTNER),
    "intake:session_schedule": only(Role.COORDINATOR),
    "intake:consultation_list": only(Role.PARTNER, Role.COORDINATOR),
    "intake:consultation_new": only(Role.PARTNER, Role.COORDINATOR),
    "intake:consultation_advice": only(Role.COORDINATOR),
    # The network and the prevention programmes: coordinator and programme officer work there; the
    # partner sees their own organisation (the sample partner's organisation is a party to everything).
    "network:overview": only(Role.COORDINATOR, Role.PROGRAMME_OFFICER),
    "network:organisation_list": only(Role.COORDINATOR, Role.PROGRAMME_OFFICER, Role.PARTNER),
    "network:organisation_detail": only(Role.COORDINATOR, Role.PROGRAMME_OFFICER, Role.PARTNER),
    "network:contact_new": only(Role.COORDINATOR),
    "network:organisation_new": only(Role.COORDINATOR),
    "network:organisation_edit": only(Role.COORDINATOR),
    "network:contact_edit": only(Role.COORDINATOR),
    "network:covenant_edit": only(Role.COORDINATOR),
    "network:neighbourhood_list": only(Role.COORDINATOR),
    "network:neighbourhood_edit": only(Role.COORDINATOR),
    "network:covenant_list": only(Role.COORDINATOR, Role.PROGRAMME_OFFICER, Role.PARTNER),
    "network:covenant_new": only(Role.COORDINATOR),
    "network:covenant_document": only(Role.COORDINATOR, Role.PROGRAMME_OFFICER, Role.PARTNER),
    "network:contact_moment_list": only(Role.COORDINATOR, Role.PROGRAMME_OFFICER),
    "network:contact_moment_new": only(Role.COORDINATOR, Role.PROGRAMME_OFFICER),
    "network:follow_up_done": {**only(), Role.COORDINATOR: NOT_ALLOWED, Role.PROGRAMME_OFFICER: NOT_ALLOWED},
    "network:partner_invite": only(Role.COORDINATOR),
    "network:partner_reinvite": {**only(), Role.COORDINATOR: NOT_ALLOWED},  # POST only
    "network:partner_switch_off": {**only(), Role.COORDINATOR: NOT_ALLOWED},  # POST only
    "programmes:activity_list": only(Role.COORDINATOR, Role.PROGRAMME_OFFICER, Role.PARTNER),
    "programmes:activity_new": only(Role.COORDINATOR, Role.PROGRAMME_OFFICER),
    "programmes:activity_detail": only(Role.COORDINATOR, Role.PROGRAMME_OFFICER, Role.PARTNER),
    "programmes:activity_edit": only(Role.COORDINATOR, Role.PROGRAMME_OFFICER),
    "programmes:budget": only(Role.COORDINATOR, Role.PROGRAMME_OFFICER),
    "programmes:budget_new": only(Role.PROGRAMME_OFFICER),
    "programmes:expense_new": only(Role.PROGRAMME_OFFICER),
    "programmes:budget_csv": only(Role.COORDINATOR, Role.PROGRAMME_OFFICER),
    "programmes:reach_csv": only(Role.COORDINATOR, Role.PROGRAMME_OFFICER),
    "reports:index": only(Role.ANALYST, Role.COORDINATOR, Role.PROGRAMME_OFFICER, Role.PRIVACY_OFFICER),
    "reports:export_csv": only(Role.ANALYST, Role.COORDINATOR, Role.PROGRAMME_OFFICER, Role.PRIVACY_OFFICER),
    "reports:export_pdf": only(Role.ANALYST, Role.COORDINATOR, Role.PROGRAMME_OFFICER, Role.PRIVACY_OFFICER),
    # Cases: the sample case is managed by the case manager, the core partner is on its team and
    # attends its consultation; the partner is not on the team.
    "cases:dashboard": only(Role.COORDINATOR, Role.CASE_MANAGER, Role.CORE_PARTNER, Role.PARTNER),
    "cases:case_list": only(Role.COORDINATOR, Role.CASE_MANAGER, Role.CORE_PARTNER, Role.PARTNER),
    "cases:case_new": only(Role.COORDINATOR),
    "cases:case_detail": only(Role.COORDINATOR, Role.CASE_MANAGER, Role.CORE_PARTNER),
    "cases:case_person": only(Role.COORDINATOR, Role.CASE_MANAGER, Role.CORE_PARTNER),
    "cases:member_add": only(Role.COORDINATOR, Role.CASE_MANAGER),
    "cases:member_remove": {**only(), Role.COORDINATOR: NOT_ALLOWED, Role.CASE_MANAGER: NOT_ALLOWED},
    "cases:plan_edit": only(Role.COORDINATOR, Role.CASE_MANAGER),
    "cases:plan_history": only(Role.COORDINATOR, Role.CASE_MANAGER, Role.CORE_PARTNER),
    "cases:review_new": only(Role.COORDINATOR, Role.CASE_MANAGER),
    "cases:review_plan": only(Role.COORDINATOR, Role.CASE_MANAGER),
    "cases:duties": only(Role.COORDINATOR, Role.CASE_MANAGER),
    "cases:case_close": only(Role.COORDINATOR, Role.CASE_MANAGER),
    "cases:case_justify": only(Role.COORDINATOR, Role.CASE_MANAGER),
    "cases:consultation_list": only(Role.COORDINATOR, Role.CASE_MANAGER, Role.CORE_PARTNER, Role.PARTNER),
    "cases:consultation_new": only(Role.COORDINATOR, Role.CASE_MANAGER),
    "cases:agenda_add": {**only(), Role.COORDINATOR: NOT_ALLOWED, Role.CASE_MANAGER: NOT_ALLOWED},  # POST only
    "cases:consultation_detail": only(Role.COORDINATOR, Role.CASE_MANAGER, Role.CORE_PARTNER),
    # The calendar file to every attendee; the coordinator, or the case manager who planned it, moves it.
    "cases:consultation_calendar": only(Role.COORDINATOR, Role.CASE_MANAGER, Role.CORE_PARTNER),
    "cases:consultation_schedule": only(Role.COORDINATOR),
    "cases:agenda_item": only(Role.COORDINATOR, Role.CASE_MANAGER, Role.CORE_PARTNER),
    "cases:minutes_pdf": only(Role.COORDINATOR, Role.CASE_MANAGER, Role.CORE_PARTNER),
    "cases:minutes_establish": {**only(), **dict.fromkeys(  # POST only
        (Role.COORDINATOR, Role.CASE_MANAGER, Role.CORE_PARTNER, Role.PARTNER), NOT_ALLOWED)},
    "cases:minutes_correct": only(Role.COORDINATOR),  # the chair; the team reads the versions
    "cases:minutes_history": only(Role.COORDINATOR, Role.CASE_MANAGER, Role.CORE_PARTNER),
    "cases:action_done": {**only(), **dict.fromkeys(
        (Role.COORDINATOR, Role.CASE_MANAGER, Role.CORE_PARTNER, Role.PARTNER), NOT_ALLOWED)},
    "cases:emergency_access": only(Role.COORDINATOR),
    # Oversight: the privacy officer only.
    "privacy:overview": only(Role.PRIVACY_OFFICER),
    "privacy:access_review": only(Role.PRIVACY_OFFICER),
    "privacy:emergency_review": {**only(), Role.PRIVACY_OFFICER: NOT_ALLOWED},  # POST only
    "privacy:person_audit": only(Role.PRIVACY_OFFICER),
    "privacy:requests": only(Role.PRIVACY_OFFICER),
    "privacy:request_detail": only(Role.PRIVACY_OFFICER),
    "privacy:export_json": only(Role.PRIVACY_OFFICER),
    "privacy:export_pdf": only(Role.PRIVACY_OFFICER),
    "privacy:register": only(Role.PRIVACY_OFFICER),
    "privacy:verification": only(Role.PRIVACY_OFFICER),
    "privacy:verify_now": {**only(), Role.PRIVACY_OFFICER: NOT_ALLOWED},  # POST only
    "catalogues:index": only(Role.ADMIN),
    "catalogues:new": only(Role.ADMIN),
    "catalogues:edit": only(Role.ADMIN),
    # The partner API answers to organisation tokens only; a browser session is not one.
    "api:signal_collection": everyone(UNAUTHORIZED),
    "api:signal_item": everyone(UNAUTHORIZED),
    "api:signal_collection_slash": everyone(UNAUTHORIZED),
    "api:signal_item_slash": everyone(UNAUTHORIZED),
    "api:observation_categories": everyone(UNAUTHORIZED),
    "api:neighbourhoods": everyone(UNAUTHORIZED),
    # The OpenAPI document and its page are public; the first release's address moved permanently.
    "api:openapi_json": everyone(OK),
    "api:openapi_yaml": everyone(OK),
    "api:schema": everyone(301),
    "api:docs": everyone(OK),
}


@pytest.fixture(scope="module")
def built(django_db_setup: None, django_db_blocker: Any,
          tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ModuleRows, dict[str, User], dict[str, Any]]]:
    """The users and the records each URL is asked about, built once per module (and pytest-xdist worker) in a
    transaction around the module's tests: building them through the services for each of the 151 URLs took about a
    second each. Each test's requests run in a savepoint that is rolled back."""
    with rows_for_the_module(django_db_blocker, tmp_path_factory) as rows:
        people = rows.build(lambda: everyone_with_a_role(
            Organisation.objects.get_or_create(name="Gemeente Teststad", defaults={"sector": Sector.MUNICIPALITY})[0]))
        yield rows, people, rows.build(lambda: sample(people))


@pytest.fixture
def users(built: tuple[ModuleRows, dict[str, User], dict[str, Any]], settings: object) -> dict[str, User]:
    """This module's users (tests/conftest.py's fixture of the same name makes them for each test); the covenant
    files the sample wrote stay where the sample wrote them."""
    settings.PRIVATE_MEDIA_ROOT = built[0].media  # type: ignore[attr-defined]
    return built[1]


@pytest.fixture
def sample_kwargs(built: tuple[ModuleRows, dict[str, User], dict[str, Any]]) -> dict[str, dict[str, object]]:
    return built[2]


def sample(users: dict[str, User]) -> dict[str, dict[str, object]]:
    coordinator, core_partner = users[Role.COORDINATOR], users[Role.CORE_PARTNER]
    signal = submit(users[Role.PARTNER].organisation, users[Role.PARTNER])
    session = session_with(coordinator, core_partner)
    on_agenda(signal, session, coordinator)
    monitored = submit(users[Role.PARTNER].organisation, users[Role.PARTNER], subject_name="Sam Monitor")
    on_agenda(monitored, session, coordinator, name="Sam Monitor")
    decide(monitored, session=session, findings=findings(), legal_criterion="Convenant art. 6", decision="monitoring",
           rationale="Volgen.", actor=coordinator)
    consultation = ask_consultation(organisation=users[Role.PARTNER].organisation, question="Hoe ga ik hiermee om?",
                                    channel="web_form", asked_by=users[Role.PARTNER])
    ref = {"reference": signal.reference}
    network = network_sample(users)
    cases = case_sample(users)
    sharing = sharing_sample(users)
    return {
        **sharing,
        "accounts:password_reset_confirm": {"uidb64": "MQ", "token": "abc-123"},
        "accounts:invitation": {"uidb64": "MQ", "token": "abc-123"},
        "session:resume": {"pk": uuid.uuid4()},
        "accounts:user_edit": {"pk": users[Role.PARTNER].pk}, "accounts:user_invite": {"pk": users[Role.PARTNER].pk},
        "accounts:user_unlock": {"pk": users[Role.PARTNER].pk},
        "accounts:user_reset_second_factor": {"pk": users[Role.PARTNER].pk},
        "accounts:role_grant_detail": {"pk": role_grant(users).pk},
        "intake:my_signal": ref,
        "intake:signal_detail": ref,
        "intake:signal_link_person": ref,
        "intake:signal_put_on_agenda": ref,
        "intake:signal_pre_assess": ref,
        "intake:person_detail": {"pseudonym": signal.person.pseudonym},
        "search:merge": {"pseudonym": signal.person.pseudonym},
        "search:remove": {"pseudonym": signal.person.pseudonym},
        "intake:session_detail": {"pk": session.pk},
        "intake:session_calendar": {"pk": session.pk}, "intake:session_schedule": {"pk": session.pk},
        "intake:session_decide": {"pk": session.pk, **ref},
        "intake:session_reveal": {"pk": session.pk, **ref},
        "intake:session_contribute": {"pk": session.pk, **ref},
        "intake:signal_justify": {"reference": monitored.reference},
        "intake:consultation_advice": {"pk": consultation.pk},
        "api:signal_item": ref,
        "api:signal_item_slash": ref,
        **network,
        **cases,
    }


def url_names(patterns: list[URLPattern | URLResolver], prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from url_names(pattern.url_patterns, namespace)
        else:
            assert pattern.name, f"URL pattern {pattern.pattern} has no name"
            yield f"{prefix}{pattern.name}"


ALL_URL_NAMES = sorted(set(url_names(get_resolver().url_patterns)))


def test_every_url_pattern_is_in_the_matrix() -> None:
    assert set(ALL_URL_NAMES) == set(MATRIX), "add new URLs to MATRIX with their outcomes"


def test_every_entry_covers_every_role_and_anonymous() -> None:
    for name, outcomes in MATRIX.items():
        assert set(outcomes) == set(WHO), name


def outcome_of(response: object, login_url: str) -> object:
    status = response.status_code  # type: ignore[attr-defined]
    if status == 302:
        target = response.headers["Location"]  # type: ignore[attr-defined]
        return LOGIN if target.startswith(login_url) else ELSEWHERE
    return status


@pytest.mark.django_db
@pytest.mark.parametrize("name", ALL_URL_NAMES)
def test_outcome_for_every_role(
    name: str, client_for: Callable[[str], Client], sample_kwargs: dict[str, dict[str, object]]
) -> None:
    url = reverse(name, kwargs=sample_kwargs.get(name))
    login_url = reverse("accounts:login")
    actual = {}
    for who in WHO:
        client = Client() if who == ANONYMOUS else client_for(who)
        actual[who] = outcome_of(client.get(url), login_url)
    assert actual == MATRIX[name]


# Pages a signed-in user reaches before the second step: the step itself, and signing out.
BEFORE_SECOND_STEP = {"accounts:mfa_verify": 200, "accounts:mfa_setup": 302, "accounts:logout": 405,
                      "session:keep_alive": 405}


@pytest.mark.django_db
def test_a_user_who_has_not_passed_the_second_step_reaches_nothing_behind_it(
    users: dict[str, object], sample_kwargs: dict[str, dict[str, object]]
) -> None:
    client = Client()
    client.force_login(users[Role.COORDINATOR])
    mfa = reverse("accounts:mfa_verify")
    for name in ALL_URL_NAMES:
        if MATRIX[name][ANONYMOUS] != LOGIN:
            continue  # public pages stay public
        url = reverse(name, kwargs=sample_kwargs.get(name))
        response = client.get(url)
        if name in BEFORE_SECOND_STEP:
            assert response.status_code == BEFORE_SECOND_STEP[name], name
        else:
            assert response.status_code == 302, name
            assert response.headers["Location"].startswith(mfa), name
