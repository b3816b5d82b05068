"""The table of the ``api`` database cache, in which the per-token rate limit is counted across all worker
processes (settings.CACHES). What ``manage.py createcachetable`` would make, made by ``migrate`` so that no
deployment step is forgotten; the name is fixed here, as in settings."""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

TABLE = "api_rate_cache"


def create(apps, schema_editor):
    command = CreateCacheTable()
    command.verbosity = 0  # set by handle(), which is not run here
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):

    dependencies = [
        ("api", "0002_apitoken_expires_at"),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
