"""Demo signals, consultations and assessments, made through the same services as real ones.

Each signal carries a fixed idempotency key, so a second run finds it instead of adding another;
the later steps (linking, agenda, decision) only run for signals that were new in this run."""

import datetime

from django.utils import timezone

from netwerkregie.core.models import User
from netwerkregie.core.roles import Role
from netwerkregie.intake import services
from netwerkregie.intake.contributions import record_contribution
from netwerkregie.intake.models import AssessmentCriterion, Signal
from netwerkregie.intake.pseudonymity import reveal_identity
from netwerkregie.network.models import Neighbourhood, Organisation
from netwerkregie.people.services import PersonInput

FIXED = datetime.date(2026, 1, 1)

# key, what, name, birth date, neighbourhood, observations, then: None | "agenda" | "agenda-same-person" (the
# person of the signal before it on the agenda) | "revealed" | a decision
SIGNALS = [
    ("demo-01", "Leerling roept in de klassenapp op om 'verraders' in elkaar te slaan en deelt filmpjes "
                "van aanslagen.", "Daan Koster", datetime.date(2010, 5, 14), "oosterpark",
     ["justifies_violence", "shares_extremist_material"], None),
    ("demo-02", "Trekt zich sinds de zomer terug uit de klas, zegt dat 'het systeem' vernietigd moet worden.",
     "Lisa Bosman", datetime.date(2008, 11, 3), "binnenstad", ["withdraws_from_contacts", "rejects_democratic_order"],
     None),
    ("demo-03", "Spreekt over een reis naar een conflictgebied en zamelt geld in via vage acties.",
     "Ruben Hoekstra", datetime.date(2006, 2, 20), "havenkwartier", ["travel_plans", "new_radical_contacts"],
     "agenda"),
    ("demo-04", "Draagt en verspreidt neonazistische symbolen, scheldt medeleerlingen uit en bedreigt ze.",
     "Kevin Dijkstra", datetime.date(2009, 8, 9), "zuidrand", ["us_versus_them", "threatens"], "monitoring"),
    ("demo-05", "Zou online materiaal over explosieven hebben gezocht; na gesprek bleek het een schoolopdracht "
                "scheikunde.", "Tim de Wit", datetime.date(2007, 4, 1), "molenwijk", ["weapons_interest"],
     "closed_no_concern"),
    ("demo-06", "Plotselinge verandering in vriendengroep; nieuwe vrienden moedigen geweld aan op straat.",
     "Sem Vermeulen", datetime.date(2011, 1, 17), "de-weiden", ["sudden_change", "new_radical_contacts"],
     "referred_to_regular_care"),
    ("demo-07", "Deelt op school neonazistische teksten, dreigt een klasgenoot met geweld en zegt een 'actie' voor "
                "te bereiden.", "Jordy van Leeuwen", datetime.date(2009, 3, 30), "zuidrand",
     ["threatens", "justifies_violence", "us_versus_them"], "to_case_conference"),
    ("demo-08", "Sinds januari stuurt Yara Postma klasgenoten dreigende berichten en zegt dat 'de overheid moet "
                "boeten'. Yara (geboren 09-09-2009) zoekt online contact met een groep die tot geweld oproept.",
     "Yara Postma", datetime.date(2009, 9, 9), "molenwijk", ["threatens", "rejects_democratic_order"], "revealed"),
    # New, about someone probably known already (a variant of the name, the same date of birth): the
    # coordinator sees the probable duplicate before registering anyone.
    ("demo-09", "Mentor ziet dat Jordi op school weer neonazistische stickers plakt.", "Jordi van Leeuwen",
     datetime.date(2009, 3, 30), "zuidrand", ["us_versus_them"], None),
    # A second signal about the person of demo-03, on the same agenda: one decision can cover both.
    ("demo-10", "Klasgenoten vertellen de mentor dat Ruben jongeren vraagt mee te reizen en geld geeft voor "
                "'de strijd'.", "Ruben Hoekstra", datetime.date(2006, 2, 20), "havenkwartier",
     ["travel_plans", "new_radical_contacts"], "agenda-same-person"),
]
REPORTERS = {"demo-08": "Mentor H. de Graaf"}

POLICE_KNOWS = ("Bij de wijkagent bekend: twee gesprekken met ouders na zorgen van de buurt over geldinzamelingen. "
                "Geen strafbare feiten geregistreerd.")
POLICE_RECOGNISES = {"social_context", "protective_factors"}

RATIONALE = {
    "monitoring": ("Gedrag is zorgelijk maar er zijn sterke beschermende factoren (sportclub, betrokken ouders). "
                   "School en jongerenwerk blijven in contact; evaluatie over drie maanden."),
    "closed_no_concern": "Het zoekgedrag had een verklaarbare schoolreden. Geen zorg; gegevens worden gewist.",
    "referred_to_regular_care": "Vooral een hulpvraag in het gezin; overgedragen aan het wijkteam.",
    "to_case_conference": "Zorgen op meerdere leefgebieden en een concrete dreiging: integraal plan nodig.",
}


def load_intake(users: dict[str, User], school: Organisation, roc: Organisation) -> int:
    coordinator, officer, partner = users[Role.COORDINATOR], users[Role.CORE_PARTNER], users[Role.PARTNER]
    today = timezone.localdate()
    created = 0
    past = upcoming = None
    for key, text, name, born, hood, codes, outcome in SIGNALS:
        data = services.SignalInput(
            description=text, subject_name=name, subject_birth_date=born, observation_codes=codes,
            subject_neighbourhood_id=Neighbourhood.objects.get(code=hood).pk, observed_since=FIXED,
            reporter=REPORTERS.get(key, ""),
        )
        submission = services.submit_signal(data, organisation=school, channel="web_form", submitted_by=partner,
                                            idempotency_key=key, actor_label="load_demo")
        if not submission.created:
            continue
        created += 1
        signal = submission.signal
        if outcome is None:
            if key == "demo-01":  # an overdue one, so the queue shows what overdue looks like
                Signal.objects.filter(pk=signal.pk).update(
                    received_at=timezone.now() - datetime.timedelta(days=10), due_on=today - datetime.timedelta(days=3))
            continue
        if outcome == "agenda-same-person":
            services.link_person(signal, actor=coordinator,
                                 person=Signal.objects.get(idempotency_key="demo-03").person)
        else:
            services.link_person(signal, actor=coordinator, new_person=PersonInput(
                name=name, birth_date=born, neighbourhood_id=signal.subject_neighbourhood_id))
        if outcome in ("agenda", "agenda-same-person", "revealed"):
            upcoming = upcoming or services.create_session(
                title="Wegingsoverleg", held_on=today + datetime.timedelta(days=7),
                starts_at=datetime.time(14, 0), ends_at=datetime.time(16, 0), location="Stadhuis, vergaderzaal 2",
                participants=[coordinator, officer], actor=coordinator)
            services.put_on_agenda(signal, upcoming, actor=coordinator)
            if outcome == "agenda":  # the police say what they know, in their own words
                record_contribution(signal, session=upcoming, actor=officer, knowledge=POLICE_KNOWS, views={
                    c: "recognisable" if c.code in POLICE_RECOGNISES else "unknown"
                    for c in AssessmentCriterion.objects.filter(is_active=True)})
            if outcome == "revealed":  # the police participant needs to know who it is, and says why
                reveal_identity(signal, session=upcoming, actor=officer, reason=(
                    "Nodig om in de politiesystemen te controleren of er eerdere meldingen van bedreiging zijn."))
            continue
        past = past or services.create_session(
            title="Wegingsoverleg", held_on=today, participants=[coordinator, officer], actor=coordinator)
        services.put_on_agenda(signal, past, actor=coordinator)
        services.decide(
            signal, session=past, actor=coordinator, decision=outcome, rationale=RATIONALE[outcome],
            legal_criterion="Convenant Zorg- en Veiligheidshuis Lindeveen, art. 6",
            findings=[services.FindingInput(c, "unknown" if c.code != "protective_factors" else "present",
                                            "Besproken in het overleg; zie onderbouwing.")
                      for c in AssessmentCriterion.objects.filter(is_active=True)],
        )
    if created:
        services.ask_consultation(
            organisation=roc, asked_by=coordinator, channel="phone",
            question="Docent vraagt hoe om te gaan met een klas waarin complotdenken over de overheid opkomt.",
            advice="Lesbrief democratie en rechtsstaat ingezet; gastles van Stichting Dialoog aangeboden.")
        services.ask_consultation(
            organisation=school, asked_by=partner, channel="web_form",
            question="Een leerling gebruikt steeds vaker haatdragende memes. Wanneer is dat een signaal?")
    return created
