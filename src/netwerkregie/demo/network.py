"""Demo network and programmes: contacts, covenants, a year of contact moments and activities,
and a budget of EUR 75,000 with expenses. Dates are relative to the day of loading."""

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from netwerkregie.core.models import User
from netwerkregie.network import services as network
from netwerkregie.network.models import Contact, ContactMoment, ContactTopic, Covenant, Neighbourhood, Organisation
from netwerkregie.programmes import services as programmes
from netwerkregie.programmes.models import Activity, ActivityType

INFORMED = datetime.date(2025, 9, 1)

CONTACTS = [  # organisation, name, job title
    ("Gemeente Lindeveen", "Ingrid Brouwer", "Teamleider veiligheid"),
    ("Politie basisteam Lindeveen", "Rik van Dam", "Wijkagent Oosterpark"),
    ("Openbaar Ministerie arrondissement Lindeveen", "mr. Sophie Kok", "Officier van justitie"),
    ("Het Lindeveen College", "Mark Visser", "Zorgcoördinator"),
    ("ROC Lindeveen", "Nadia Bouzid", "Teamleider studentzaken"),
    ("Basisschool De Regenboog", "Jan Post", "Directeur"),
    ("Stichting Moskee Al-Noor", "Yusuf Demir", "Bestuurssecretaris"),
    ("Protestantse Gemeente De Brug", "ds. Karin Meijer", "Predikant"),
    ("Buurthuis De Molen", "Peter Smit", "Coördinator buurthuis"),
    ("Wijkcentrum Havenkwartier", "Esther de Graaf", "Opbouwwerker"),
    ("Voetbalvereniging Lindeveen Zuid", "Henk Willems", "Jeugdvoorzitter"),
    ("Bewonersvereniging De Weiden", "Anja Kuipers", "Voorzitter"),
    ("Vrouwennetwerk Lindeveen", "Samira Ouali", "Projectleider"),
    ("Welzijn Lindeveen", "Bas Verhoeven", "Maatschappelijk werker"),
    ("Jongerenwerk Lindeveen", "Dewi Hartman", "Jongerenwerker"),
    ("GGZ Regio Lindeveen", "dr. Erik Vos", "Psychiater, aandachtsfunctionaris"),
    ("Exitprogramma Nieuwe Koers", "Iris de Graaf", "Exitbegeleider"),
    ("Jeugdzorg Regio Lindeveen", "Ruben Hoekstra", "Teamleider toegang"),
    ("Woonstichting Lindeveen", "Monique Bakker", "Wijkconsulent"),
    ("Havenbedrijf Lindeveen", "Frank de Jong", "HR-adviseur"),
    ("Stichting Dialoog Lindeveen", "Ayla Yilmaz", "Trainer"),
]

COVENANTS = [  # title, parties, purposes, from, until
    ("Convenant Zorg- en Veiligheidshuis Lindeveen",
     ["Gemeente Lindeveen", "Politie basisteam Lindeveen", "Openbaar Ministerie arrondissement Lindeveen",
      "GGZ Regio Lindeveen", "Welzijn Lindeveen", "Jongerenwerk Lindeveen", "Exitprogramma Nieuwe Koers"],
     ("signals", "case_work"), datetime.date(2024, 1, 1), datetime.date(2027, 12, 31)),
    ("Convenant vroegsignalering onderwijs",
     ["Gemeente Lindeveen", "Het Lindeveen College", "ROC Lindeveen", "Basisschool De Regenboog"],
     ("signals",), datetime.date(2025, 1, 1), None),
    ("Samenwerkingsafspraken preventie",
     ["Gemeente Lindeveen", "Vrouwennetwerk Lindeveen", "Stichting Dialoog Lindeveen", "Buurthuis De Molen",
      "Stichting Moskee Al-Noor", "Protestantse Gemeente De Brug", "Voetbalvereniging Lindeveen Zuid"],
     ("programme",), datetime.date(2025, 3, 1), datetime.date(2026, 2, 28)),
]

# organisation, days ago, kind, topic, summary, follow-up in days from today (negative: overdue) or None
MOMENTS = [
    ("Exitprogramma Nieuwe Koers", 20, "meeting", "getting_acquainted",
     "Werkwijze bij verwijzingen en terugkoppeling afgesproken.", None),
    ("Jeugdzorg Regio Lindeveen", 40, "call", "getting_acquainted", "Afspraken over verwijzen en wachttijden.", None),
    ("Het Lindeveen College", 12, "visit", "signals_procedure", "Uitleg aan het zorgteam hoe en wanneer te melden.",
     30),
    ("Het Lindeveen College", 160, "meeting", "prevention_offer", "Lessenreeks democratie ingepland.", None),
    ("ROC Lindeveen", 35, "call", "getting_acquainted", "Nieuwe teamleider studentzaken; korte lijnen afgesproken.",
     None),
    ("Basisschool De Regenboog", 70, "visit", "prevention_offer", "Interesse in ouderavond over online gedrag.", 10),
    ("Stichting Moskee Al-Noor", 20, "meeting", "prevention_offer", "Moedertraining voorbereid met het bestuur.",
     None),
    ("Protestantse Gemeente De Brug", 130, "call", "covenant", "Samenwerkingsafspraken doorgenomen.", None),
    ("Buurthuis De Molen", 8, "event", "evaluation", "Dialoogavond geëvalueerd met de vrijwilligers.", None),
    ("Wijkcentrum Havenkwartier", 45, "visit", "tensions", "Algemene spanningen in de wijk na een incident besproken.",
     -5),
    ("Voetbalvereniging Lindeveen Zuid", 200, "meeting", "getting_acquainted", "Kennismaking met het jeugdbestuur.",
     None),
    ("Bewonersvereniging De Weiden", 60, "call", "other", "Vraag over subsidie voor een buurtactiviteit.", None),
    ("Vrouwennetwerk Lindeveen", 15, "training", "prevention_offer", "Moedertraining 'Signalen herkennen' gegeven.",
     None),
    ("Welzijn Lindeveen", 25, "meeting", "signals_procedure", "Werkafspraken doorverwijzing na weging.", None),
    ("Jongerenwerk Lindeveen", 5, "visit", "tensions", "Sfeer op het plein besproken; geen casuïstiek.", 20),
    ("GGZ Regio Lindeveen", 80, "meeting", "covenant", "Convenant en privacyafspraken doorgenomen.", None),
    ("Woonstichting Lindeveen", 300, "call", "getting_acquainted", "Kennismaking wijkconsulent.", None),
    ("Havenbedrijf Lindeveen", 340, "meeting", "prevention_offer", "Stageplaatsen voor jongeren verkend.", None),
    ("Stichting Dialoog Lindeveen", 18, "meeting", "evaluation", "Evaluatie training professionals.", None),
    ("Politie basisteam Lindeveen", 3, "meeting", "signals_procedure", "Voorbereiding wegingsoverleg.", None),
    ("Openbaar Ministerie arrondissement Lindeveen", 40, "call", "covenant", "Afstemming convenant ZVH.", None),
    ("Gemeente Lindeveen", 2, "meeting", "other", "Overleg team openbare orde en veiligheid.", None),
]

# key, type, title, days ago (start), neighbourhood, partners, facilitator, audience, participants, rating,
# attendances {organisation: count}, expenses [(description, category, source, amount)]
ACTIVITIES = [
    ("moedertraining", ActivityType.PARENT_TRAINING, "Moedertraining 'Signalen herkennen'", 15, "oosterpark",
     ["Vrouwennetwerk Lindeveen", "Stichting Moskee Al-Noor"], "Stichting Dialoog Lindeveen", "Moeders", 14,
     Decimal("8.4"), {}, [("Trainer moedertraining (4 dagdelen)", "facilitator", "national_grant", "3200.00"),
                          ("Zaalhuur en catering", "venue", "municipal", "450.00")]),
    ("democratie-college", ActivityType.SCHOOL_LESSON, "Lessenreeks democratie en rechtsstaat", 150, "binnenstad",
     ["Het Lindeveen College"], "Stichting Dialoog Lindeveen", "Leerlingen klas 3", 112, Decimal("7.6"), {},
     [("Gastlessen democratie (8 klassen)", "facilitator", "national_grant", "6400.00"),
      ("Lesmateriaal", "materials", "municipal", "850.00")]),
    ("democratie-roc", ActivityType.SCHOOL_LESSON, "Debatlessen ROC", 90, "havenkwartier", ["ROC Lindeveen"],
     "Debatcentrum Lindeveen", "Studenten niveau 2", 64, Decimal("7.9"), {},
     [("Debattrainers", "facilitator", "national_grant", "4200.00")]),
    ("training-professionals", ActivityType.PROFESSIONAL_TRAINING, "Training signalen herkennen voor professionals",
     60, None, ["Welzijn Lindeveen", "Jongerenwerk Lindeveen", "Het Lindeveen College"], "Stichting Dialoog Lindeveen",
     "Professionals", 26, Decimal("8.1"),
     {"Welzijn Lindeveen": 9, "Jongerenwerk Lindeveen": 11, "Het Lindeveen College": 6},
     [("Training professionals (2 dagen)", "facilitator", "municipal", "5600.00"),
      ("Locatie en lunch", "venue", "municipal", "1150.00")]),
    ("dialoog-molen", ActivityType.COMMUNITY_DIALOGUE, "Dialoogavond 'Samen in de Molenwijk'", 8, "molenwijk",
     ["Buurthuis De Molen", "Protestantse Gemeente De Brug", "Stichting Moskee Al-Noor"], "Buurthuis De Molen",
     "Buurtbewoners", 48, Decimal("8.8"), {},
     [("Gespreksleiders", "facilitator", "municipal", "1200.00"), ("Flyers", "communication", "municipal", "350.00")]),
    ("stages-haven", ActivityType.INTERNSHIP_PROGRAMME, "Stageprogramma haven", 120, "havenkwartier",
     ["Havenbedrijf Lindeveen", "ROC Lindeveen"], "Jongerenwerk Lindeveen", "Jongeren 16-23", 9, None, {},
     [("Begeleiding stageprogramma", "facilitator", "municipal", "7500.00")]),
    ("ouderavond", ActivityType.PARENT_TRAINING, "Ouderavond online gedrag", 200, "molenwijk",
     ["Basisschool De Regenboog"], "Mediawijsheid Lindeveen", "Ouders", 37, Decimal("7.2"), {},
     [("Spreker ouderavond", "facilitator", "national_grant", "550.00")]),
    # Planned: a negative number of days ago lies ahead; nobody has attended yet.
    ("moedertraining-2", ActivityType.PARENT_TRAINING, "Moedertraining 'Signalen herkennen', tweede groep", -9,
     "molenwijk", ["Vrouwennetwerk Lindeveen"], "Stichting Dialoog Lindeveen", "Moeders", 0, None, {}, []),
    ("democratie-regenboog", ActivityType.SCHOOL_LESSON, "Gastles democratie groep 8", -16, "oosterpark",
     ["Basisschool De Regenboog"], "Debatcentrum Lindeveen", "Leerlingen groep 8", 0, None, {}, []),
]

# Expected cost of the planned activities: committed in the budget until expenses are booked.
PLANNED_COST = {"moedertraining-2": (Decimal("2800.00"), "national_grant"),
                "democratie-regenboog": (Decimal("650.00"), "municipal")}

BUDGET = [("municipal", Decimal("45000.00"), "Gemeentelijk budget preventie"),
          ("national_grant", Decimal("30000.00"), "Rijksbijdrage versterking aanpak radicalisering")]

PDF = b"%PDF-1.4\n% Demo: ondertekend convenant (fictief)\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def load_network_and_programmes(coordinator: User, programme_officer: User) -> bool:
    """Returns False (and changes nothing) when the demo network was loaded before."""
    if ContactMoment.objects.exists():
        return False
    today = timezone.localdate()
    org = {o.name: o for o in Organisation.objects.all()}
    contacts: dict[str, Contact] = {}
    for organisation, name, job in CONTACTS:
        local = name.split()[-1].lower().replace(".", "")
        contacts[organisation] = network.save_contact(Contact(
            organisation=org[organisation], name=name, job_title=job, email=f"{local}@demo.netwerkregie.test",
            phone="010-0000000", informed_on=INFORMED), actor=coordinator)
    for title, parties, purposes, valid_from, valid_until in COVENANTS:
        network.save_covenant(
            Covenant(title=title, valid_from=valid_from, valid_until=valid_until, created_by=coordinator,
                     **{f"for_{p}": True for p in purposes}),
            [org[p] for p in parties], actor=coordinator,
            document=SimpleUploadedFile("convenant.pdf", PDF, content_type="application/pdf"))
    topics = {t.code: t for t in ContactTopic.objects.all()}
    for organisation, days_ago, kind, topic, summary, follow_up in MOMENTS:
        day = today - datetime.timedelta(days=days_ago)
        network.record_contact_moment(network.ContactMomentInput(
            happened_on=day, kind=kind, organisations=[org[organisation]], contacts=[contacts[organisation]],
            topic=topics[topic], summary=summary,
            follow_up_on=None if follow_up is None else today + datetime.timedelta(days=follow_up),
        ), actor=coordinator)
    for source, amount, note in BUDGET:
        programmes.save_budget(today.year, source, amount, note, actor=programme_officer)
    hoods = {h.code: h for h in Neighbourhood.objects.all()}
    for (key, kind, title, days_ago, hood, partners, facilitator, audience, participants, rating, attendance,
         expenses) in ACTIVITIES:
        planned_cost, funding_source = PLANNED_COST.get(key, (None, ""))
        start = max(today - datetime.timedelta(days=days_ago), datetime.date(today.year, 1, 1))
        activity = programmes.save_activity(
            Activity(type=kind, title=title, starts_on=start, ends_on=start, neighbourhood=hoods.get(hood or ""),
                     facilitator=facilitator, audience=audience, participants=participants, average_rating=rating,
                     lessons_learned="Goed ontvangen; vervolg gewenst." if rating else "",
                     planned_cost=planned_cost, funding_source=funding_source, created_by=programme_officer),
            [org[p] for p in partners], {org[o]: n for o, n in attendance.items()}, actor=programme_officer)
        for description, category, source, amount in expenses:
            programmes.record_expense(programmes.ExpenseInput(
                spent_on=start, source=source, amount=Decimal(amount), description=description, category=category,
                activity=activity), actor=programme_officer)
    return True
