"""Tokens issued before tokens expired get an expiry by migration: the issue date plus one year, but at
least 30 days from the migration, so no partner system is cut off on the day of the upgrade."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("api", "0001_initial")]


def migrate(target: list[tuple[str, str]]):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


def test_existing_tokens_get_their_issue_date_plus_a_year_and_at_least_thirty_days() -> None:
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes("api")
    old = migrate(BEFORE)
    organisation = old.get_model("network", "Organisation").objects.create(name="Zuiderpark Lyceum",
                                                                          sector="school")
    token = old.get_model("api", "ApiToken")
    tz = datetime.timezone(datetime.timedelta(hours=1))
    recent = token.objects.create(organisation=organisation, prefix="recent01", digest="a" * 64,
                                  created_at=datetime.datetime(2026, 6, 1, 9, tzinfo=tz))
    old_one = token.objects.create(organisation=organisation, prefix="oldone01", digest="b" * 64,
                                   created_at=datetime.datetime(2025, 11, 1, 9, tzinfo=tz))
    with time_machine.travel("2026-12-01 10:00:00+01:00", tick=False):
        new = migrate(latest)
    migrated = new.get_model("api", "ApiToken").objects
    assert migrated.get(pk=recent.pk).expires_at == datetime.datetime(2027, 6, 1, 9, tzinfo=tz)
    assert migrated.get(pk=old_one.pk).expires_at == datetime.datetime(2026, 12, 31, 10, tzinfo=tz)
    assert "api_rate_cache" in connection.introspection.table_names()
