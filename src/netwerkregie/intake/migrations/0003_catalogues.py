"""Starting catalogues: observable behaviour and ideology-neutral assessment criteria.
Municipalities change them later; these are a reasonable, neutral start."""

from django.db import migrations

OBSERVATIONS = [
    ("withdraws_from_contacts", "Trekt zich terug uit contacten met familie, vrienden of school",
     "Withdraws from contact with family, friends or school"),
    ("justifies_violence", "Rechtvaardigt of verheerlijkt geweld", "Justifies or glorifies violence"),
    ("shares_extremist_material", "Deelt of zoekt extremistisch materiaal (online of offline)",
     "Shares or seeks extremist material (online or offline)"),
    ("us_versus_them", "Spreekt in wij-zij-termen en ontmenselijkt anderen",
     "Speaks in us-versus-them terms and dehumanises others"),
    ("rejects_democratic_order", "Wijst de democratische rechtsorde af, ook met geweld",
     "Rejects the democratic legal order, including by force"),
    ("new_radical_contacts", "Heeft nieuwe contacten die geweld aanmoedigen",
     "Has new contacts who encourage violence"),
    ("threatens", "Bedreigt personen of groepen", "Threatens people or groups"),
    ("travel_plans", "Spreekt over reizen naar een conflictgebied", "Talks about travelling to a conflict zone"),
    ("weapons_interest", "Toont interesse in wapens of explosieven in relatie tot een ideologie",
     "Shows interest in weapons or explosives in connection with an ideology"),
    ("sudden_change", "Plotselinge verandering in gedrag of omgang", "Sudden change in behaviour or company"),
]

CRITERIA = [
    ("ideological_commitment", "Ideologische betrokkenheid die geweld rechtvaardigt",
     "Ideological commitment that justifies violence"),
    ("intent", "Uitingen van intentie om schade toe te brengen", "Expressions of intent to cause harm"),
    ("capability", "Middelen of vaardigheden om schade toe te brengen", "Means or skills to cause harm"),
    ("social_context", "Sociale omgeving die geweld aanmoedigt of juist afremt",
     "Social environment that encourages or restrains violence"),
    ("protective_factors", "Beschermende factoren (school, werk, familie, hulpverlening)",
     "Protective factors (school, work, family, care)"),
    ("vulnerability", "Kwetsbaarheid of behoefte aan zorg", "Vulnerability or need for care"),
]


def seed(apps, schema_editor):
    for model_name, rows in (("ObservationCategory", OBSERVATIONS), ("AssessmentCriterion", CRITERIA)):
        model = apps.get_model("intake", model_name)
        for position, (code, nl, en) in enumerate(rows, start=1):
            model.objects.get_or_create(code=code, defaults={"label_nl": nl, "label_en": en, "position": position})


class Migration(migrations.Migration):
    dependencies = [("intake", "0002_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
