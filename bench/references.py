"""Generated references at scale: 2,000 cases in one year through the services, with every identifier's
space shrunk so that draws collide often and the redraw of ``core.identifiers.save_with_fresh`` is used
hundreds of times.

    .venv/bin/python bench/references.py [--cases 2000] [--characters 3]
    scripts/with-postgres .venv/bin/python bench/references.py

Per case, as a municipality does it: a partner submits a signal (signal reference), the coordinator
registers the person (pseudonym), opens the case (case reference) and refers the person to a care
organisation (referral reference). Every generator draws ``--characters`` characters of its 28-letter
alphabet instead of its 5, 6 or 10, so each has 28**3 = 21,952 values and the last of 2,000 draws meets
a space 9 % full. The draws are counted where each generator draws (its module's ``draw``), the redraws
in a row from the helper's own log line. Printed per identifier: records made, draws, collisions drawn
again (measured and expected: the sum over inserts of p/(1-p), p the share taken), most draws for one
record, errors. A scratch database (SQLite in a temporary file unless DATABASE_URL is PostgreSQL).
"""

import argparse
import datetime
import logging
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "netwerkregie.settings_dev")
os.environ["AUDIT_WITNESS_PATH"] = f"{tempfile.mkdtemp()}/witness.jsonl"
if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from netwerkregie.cases import models as case_models  # noqa: E402
from netwerkregie.cases.models import Case, InterventionType  # noqa: E402
from netwerkregie.cases.services import open_case  # noqa: E402
from netwerkregie.core import identifiers  # noqa: E402
from netwerkregie.core.models import RoleAssignment, User  # noqa: E402
from netwerkregie.core.roles import Role  # noqa: E402
from netwerkregie.intake import models as intake_models  # noqa: E402
from netwerkregie.intake.models import Signal  # noqa: E402
from netwerkregie.intake.services import SignalInput, submit_signal  # noqa: E402
from netwerkregie.network.models import Organisation, Sector  # noqa: E402
from netwerkregie.people import models as people_models  # noqa: E402
from netwerkregie.people.models import Person  # noqa: E402
from netwerkregie.people.services import PersonInput, create_person  # noqa: E402
from netwerkregie.sharing import models as sharing_models  # noqa: E402
from netwerkregie.sharing.models import Referral  # noqa: E402
from netwerkregie.sharing.services import ReferralInput, refer  # noqa: E402

GENERATORS = {"signal reference": (intake_models, Signal), "pseudonym": (people_models, Person),
              "case reference": (case_models, Case), "referral reference": (sharing_models, Referral)}
DESCRIPTION = "Deelt in de klasgroep filmpjes waarin geweld tegen andersdenkenden wordt verheerlijkt."


class RedrawsInARow(logging.Handler):
    """Reads the helper's log line 'drawn again after a collision (draw N)': the most draws one record took."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.most: Counter[str] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        label, _field, draw = record.args  # type: ignore[misc]
        self.most[label] = max(self.most[label], draw)


def shrink(characters: int, draws: Counter[str]) -> None:
    """Each generator's module draws ``characters`` characters, whatever length it asks for, and counts."""
    for name, (module, _model) in GENERATORS.items():
        def counted(length: int, alphabet: str = identifiers.READABLE_ALPHABET, name: str = name) -> str:
            draws[name] += 1
            return identifiers.draw(characters, alphabet)
        module.draw = counted  # type: ignore[attr-defined]


def expected_redraws(records: int, space: int) -> float:
    return sum((taken / space) / (1 - taken / space) for taken in range(records))


def user(email: str, role: str, organisation: Organisation) -> User:
    made = User.objects.create_user(email, None, full_name=role.title(), organisation=organisation)
    RoleAssignment.objects.create(user=made, role=role)
    return made


def grow(cases: int, errors: Counter[str]) -> None:
    municipality = Organisation.objects.create(name="Gemeente Bench", sector=Sector.MUNICIPALITY)
    school = Organisation.objects.create(name="College Bench", sector=Sector.SCHOOL)
    care = Organisation.objects.create(name="Zorg Bench", sector=Sector.CARE)
    coordinator = user("coordinator@bench.test", Role.COORDINATOR, municipality)
    partner = user("partner@bench.test", Role.PARTNER, school)
    exit_programme = InterventionType.objects.get(code="exit_programme")
    today = timezone.localdate()
    for number in range(cases):
        name = f"Persoon {number} Bench"
        try:
            submit_signal(SignalInput(description=DESCRIPTION, subject_name=name,
                                      observation_codes=["justifies_violence"]),
                          organisation=school, channel="web_form", submitted_by=partner)
            person = create_person(PersonInput(name=name, birth_date=datetime.date(1995, 1, 1)), actor=coordinator,
                                   retain_until=today + datetime.timedelta(days=365))
            case = open_case(person=person, case_manager=coordinator, actor=coordinator,
                             reason="Rechtstreeks aangemeld (benchmark).")
            refer(ReferralInput(organisation=care, kind="intervention", purpose="Exitbegeleiding.",
                                categories=["identity"], basis="consent", consent_by="person", consent_on=today,
                                intervention=exit_programme), actor=coordinator, case=case)
        except Exception as error:  # counted and shown: the figure this benchmark exists for
            errors[f"{type(error).__name__}: {error}"[:160]] += 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--characters", type=int, default=3, help="characters drawn per identifier (of 28)")
    options = parser.parse_args()
    call_command("migrate", verbosity=0)
    space = len(identifiers.READABLE_ALPHABET) ** options.characters
    draws: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    in_a_row = RedrawsInARow()
    logger = logging.getLogger(identifiers.__name__)
    logger.addHandler(in_a_row)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    shrink(options.characters, draws)

    started = time.perf_counter()
    grow(options.cases, errors)
    seconds = time.perf_counter() - started

    print(f"database: {connection.vendor}; {options.cases} cases in {timezone.localdate().year}, "
          f"{options.characters} characters drawn = {space:,} values per identifier; {seconds:.1f} s")
    print(f"{'identifier':<20} {'records':>8} {'draws':>7} {'redrawn':>8} {'expected':>9} {'most':>5}")
    for name, (_module, model) in GENERATORS.items():
        records = model.objects.count()
        print(f"{name:<20} {records:>8} {draws[name]:>7} {draws[name] - records:>8} "
              f"{expected_redraws(records, space):>9.1f} {in_a_row.most[model._meta.label] or 1:>5}")
    print(f"errors: {sum(errors.values())}")
    for message, count in errors.most_common(5):
        print(f"  {count} x {message}")


if __name__ == "__main__":
    main()
