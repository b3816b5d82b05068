"""Approvals moved to the ``approvals`` app and the disclosure ledger to ``disclosures``, keeping their
tables (``sharing_approval``, ``sharing_disclosure``): state only, no data moves."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("sharing", "0001_initial"),
        ("approvals", "0001_initial"),
        ("disclosures", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Approval"),
                migrations.DeleteModel(name="Disclosure"),
            ],
            database_operations=[],
        ),
    ]
