"""Building blocks for tests of signals and assessments, made through the service functions."""

import datetime
from typing import Any

from django.utils import timezone

from netwerkregie.core.models import User
from netwerkregie.core.roles import Role
from netwerkregie.intake import services
from netwerkregie.intake.models import AssessmentCriterion, AssessmentSession, Signal
from netwerkregie.network.models import Organisation, Sector
from netwerkregie.people.services import PersonInput
from tests.conftest import make_user

DESCRIPTION = "Deelt in de klasgroep filmpjes waarin geweld tegen andersdenkenden wordt verheerlijkt."


def submit(organisation: Organisation, by: User | None = None, **fields: Any) -> Signal:
    data = services.SignalInput(
        description=fields.pop("description", DESCRIPTION),
        subject_name=fields.pop("subject_name", "Jesse de Boer"),
        subject_birth_date=fields.pop("subject_birth_date", datetime.date(2010, 4, 2)),
        observation_codes=fields.pop("observation_codes", ["justifies_violence"]),
        **fields,
    )
    channel = "web_form" if by is not None else "api"
    return services.submit_signal(data, organisation=organisation, channel=channel, submitted_by=by).signal


def session_with(coordinator: User, *others: User, title: str = "Weging week 48") -> AssessmentSession:
    return services.create_session(title=title, held_on=timezone.localdate(), participants=[coordinator, *others],
                                   actor=coordinator)


def on_agenda(signal: Signal, session: AssessmentSession, coordinator: User, name: str = "Jesse de Boer") -> Signal:
    services.link_person(signal, actor=coordinator,
                         new_person=PersonInput(name=name, birth_date=signal.subject_birth_date))
    return services.put_on_agenda(signal, session, actor=coordinator)


def findings(value: str = "unknown") -> list[services.FindingInput]:
    return [services.FindingInput(c, value, f"Besproken: {c.code}.") for c in AssessmentCriterion.objects.all()]


def police_officer() -> User:
    """A core partner of the police, for the joint assessment."""
    return make_user("agent", Role.CORE_PARTNER,
                     organisation=Organisation.objects.create(name="Politie Teststad", sector=Sector.POLICE))


def one_person_on_agenda(coordinator: User, police: User, reports: list[tuple[str, str]], *, name: str,
                         born: datetime.date) -> tuple[Signal, Signal, AssessmentSession]:
    """Two signals from a school (``reports``: description and the name it gives), linked to one registered
    person ``name`` and put on the agenda of a session with the coordinator and the police."""
    school = Organisation.objects.create(name="Het Lindeveen College", sector=Sector.SCHOOL)
    first, second = (services.submit_signal(services.SignalInput(
        description=text, subject_name=given, subject_birth_date=born, observation_codes=["threatens"]),
        organisation=school, channel="phone").signal for text, given in reports)
    person = services.link_person(first, actor=coordinator, new_person=PersonInput(name=name, birth_date=born))
    services.link_person(second, actor=coordinator, person=person)
    session = session_with(coordinator, police)
    for signal in (first, second):
        services.put_on_agenda(signal, session, actor=coordinator)
    return first, second, session
