from django.db import migrations

INTERVENTIONS = [
    ("care_mental_health", "care", "Ggz-behandeling", "Mental health treatment", False),
    ("care_youth", "care", "Jeugdhulp", "Youth care", False),
    ("mentor", "mentoring", "Mentor of maatje", "Mentor or buddy", False),
    ("school_return", "school", "Terug naar school en diploma afronden", "Return to school and finish a diploma", False),
    ("internship", "work", "Stage of werkervaringsplek", "Internship or work placement", False),
    ("job_coaching", "work", "Begeleiding naar werk", "Coaching into work", False),
    ("housing", "housing", "Passende woonruimte", "Suitable housing", False),
    ("debt_support", "income", "Schuldhulpverlening", "Debt counselling", False),
    ("family_talks", "family", "Gezinsgesprekken", "Family conversations", False),
    ("parent_support", "family", "Opvoedondersteuning", "Parenting support", False),
    ("exit_programme", "exit", "Exitbegeleiding", "Exit programme", False),
    ("ideological_dialogue", "dialogue", "Ideologisch gesprek met een deskundige", "Ideological dialogue with an expert",
     False),
    ("area_ban", "measure", "Gebiedsverbod (burgemeester)", "Area ban (mayor)", True),
    ("passport_measure", "measure", "Paspoortmaatregel", "Passport measure", True),
    ("criminal_investigation", "measure", "Strafrechtelijk onderzoek", "Criminal investigation", True),
]


def seed(apps, schema_editor):
    model = apps.get_model("cases", "InterventionType")
    for code, domain, nl, en, compulsory in INTERVENTIONS:
        model.objects.get_or_create(code=code, defaults={"domain": domain, "label_nl": nl, "label_en": en,
                                                         "compulsory": compulsory})


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
