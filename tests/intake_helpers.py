"""Building blocks for tests of signals and assessments, made through the service functions."""

import datetime
from typing import Any

from django.utils import timezone

from netwerkregie.core.models import User
from netwerkregie.intake import services
from netwerkregie.intake.models import AssessmentCriterion, AssessmentSession, Signal
from netwerkregie.network.models import Organisation
from netwerkregie.people.services import PersonInput

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
