"""Tokens expire. A token issued before this migration gets its issue date plus one year (the rule for new
tokens), but never less than 30 days from the migration: a token that would already have expired keeps
working for a month, and shows on the administrator's Vandaag meanwhile, so a partner system is not cut
off on the day of the upgrade without warning."""

import datetime

from django.db import migrations, models
from django.utils import timezone

ONE_YEAR = datetime.timedelta(days=365)
GRACE = datetime.timedelta(days=30)


def set_expiry(apps, schema_editor):
    ApiToken = apps.get_model("api", "ApiToken")
    earliest = timezone.now() + GRACE
    for token in ApiToken.objects.filter(expires_at__isnull=True).only("pk", "created_at"):
        ApiToken.objects.filter(pk=token.pk).update(expires_at=max(token.created_at + ONE_YEAR, earliest))


class Migration(migrations.Migration):

    dependencies = [
        ("api", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="expires"),
        ),
        migrations.RunPython(set_expiry, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="expires"),
        ),
    ]
