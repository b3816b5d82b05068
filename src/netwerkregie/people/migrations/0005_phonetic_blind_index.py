from django.db import migrations, models


def index_existing_persons(apps, schema_editor):
    """Persons registered before the phonetic index: decrypted once, here, to compute it. The exact name
    index is computed again too: names with letters such as the Turkish dotless i are now folded to a-z."""
    from netwerkregie.people.identity import blind_indexes

    Person = apps.get_model("people", "Person")
    for person in Person.objects.all().iterator():
        Person.objects.filter(pk=person.pk).update(**blind_indexes(person.name, person.birth_date))


class Migration(migrations.Migration):

    dependencies = [
        ("people", "0004_pseudonym_two_groups"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="phonetic_birth_hash",
            field=models.CharField(blank=True, db_index=True, default="", editable=False, max_length=64),
        ),
        migrations.RunPython(index_existing_persons, migrations.RunPython.noop),
    ]
