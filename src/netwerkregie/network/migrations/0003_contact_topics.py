from django.db import migrations

TOPICS = [
    ("getting_acquainted", "Kennismaking en korte lijnen", "Getting acquainted and short lines"),
    ("signals_procedure", "Uitleg signaleren en melden", "Explaining how to pass on signals"),
    ("prevention_offer", "Preventieaanbod en trainingen", "Prevention offer and trainings"),
    ("tensions", "Spanningen in de wijk of op school (algemeen)", "Tensions in the neighbourhood or school (general)"),
    ("covenant", "Convenant en samenwerkingsafspraken", "Covenant and working agreements"),
    ("evaluation", "Evaluatie van een activiteit", "Evaluation of an activity"),
    ("other", "Overig", "Other"),
]


def seed(apps, schema_editor):
    topic = apps.get_model("network", "ContactTopic")
    for code, nl, en in TOPICS:
        topic.objects.get_or_create(code=code, defaults={"label_nl": nl, "label_en": en})


class Migration(migrations.Migration):
    dependencies = [("network", "0002_contacts_covenants_moments")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
