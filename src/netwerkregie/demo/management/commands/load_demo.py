"""Demo data for a fictional municipality. Deterministic, and safe to run more than once."""

import secrets
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from netwerkregie.core.audit import log_event
from netwerkregie.core.models import AuditAction, RoleAssignment, User
from netwerkregie.core.roles import Role
from netwerkregie.demo.cases import load_cases, mark_cases_seen
from netwerkregie.demo.grants import load_role_grants
from netwerkregie.demo.history import load_history
from netwerkregie.demo.intake import load_intake
from netwerkregie.demo.network import load_network_and_programmes
from netwerkregie.demo.privacy import load_privacy
from netwerkregie.demo.sharing import load_sharing
from netwerkregie.network.models import Neighbourhood, Organisation, Sector

MUNICIPALITY = "Gemeente Lindeveen"

NEIGHBOURHOODS = [
    ("Binnenstad", "binnenstad"),
    ("Havenkwartier", "havenkwartier"),
    ("Molenwijk", "molenwijk"),
    ("Oosterpark", "oosterpark"),
    ("De Weiden", "de-weiden"),
    ("Zuidrand", "zuidrand"),
]

# One or more fictional partners per sector, with the neighbourhoods they work in.
ORGANISATIONS = [
    (MUNICIPALITY, Sector.MUNICIPALITY, []),
    ("Politie basisteam Lindeveen", Sector.POLICE, []),
    ("Openbaar Ministerie arrondissement Lindeveen", Sector.PUBLIC_PROSECUTOR, []),
    ("Het Lindeveen College", Sector.SCHOOL, ["binnenstad", "oosterpark"]),
    ("ROC Lindeveen", Sector.SCHOOL, ["havenkwartier"]),
    ("Basisschool De Regenboog", Sector.SCHOOL, ["molenwijk"]),
    ("Stichting Moskee Al-Noor", Sector.RELIGIOUS_ORGANISATION, ["oosterpark"]),
    ("Protestantse Gemeente De Brug", Sector.RELIGIOUS_ORGANISATION, ["binnenstad"]),
    ("Buurthuis De Molen", Sector.COMMUNITY_CENTRE, ["molenwijk"]),
    ("Wijkcentrum Havenkwartier", Sector.COMMUNITY_CENTRE, ["havenkwartier"]),
    ("Voetbalvereniging Lindeveen Zuid", Sector.CLUB, ["zuidrand"]),
    ("Bewonersvereniging De Weiden", Sector.CLUB, ["de-weiden"]),
    ("Vrouwennetwerk Lindeveen", Sector.INTEREST_GROUP, ["oosterpark", "molenwijk"]),
    ("Welzijn Lindeveen", Sector.SOCIAL_WORK, ["binnenstad", "havenkwartier", "zuidrand"]),
    ("Jongerenwerk Lindeveen", Sector.YOUTH_WORK, ["molenwijk", "oosterpark", "de-weiden"]),
    ("GGZ Regio Lindeveen", Sector.CARE, []),
    ("Exitprogramma Nieuwe Koers", Sector.CARE, []),
    ("Jeugdzorg Regio Lindeveen", Sector.CARE, []),
    ("Woonstichting Lindeveen", Sector.HOUSING, ["zuidrand", "de-weiden"]),
    ("Havenbedrijf Lindeveen", Sector.EMPLOYER, ["havenkwartier"]),
    ("Stichting Dialoog Lindeveen", Sector.OTHER, ["binnenstad"]),
]

# One demo user per role: (e-mail local part, name, role, organisation).
USERS = [
    ("netwerkregisseur", "Sanne de Vries", Role.COORDINATOR, MUNICIPALITY),
    ("kernpartner", "Ahmed Bakker", Role.CORE_PARTNER, "Politie basisteam Lindeveen"),
    ("casusregisseur", "Lotte Jansen", Role.CASE_MANAGER, MUNICIPALITY),
    ("partner", "Mark Visser", Role.PARTNER, "Het Lindeveen College"),
    ("programma", "Fatima el Amrani", Role.PROGRAMME_OFFICER, MUNICIPALITY),
    ("privacy", "Joost Smit", Role.PRIVACY_OFFICER, MUNICIPALITY),
    ("analist", "Eva Mulder", Role.ANALYST, MUNICIPALITY),
    ("beheer", "Tom Hendriks", Role.ADMIN, MUNICIPALITY),
    ("ontvanger", "Iris de Graaf", Role.RECIPIENT, "Exitprogramma Nieuwe Koers"),
    # A team leader who approves the coordinators' weighty acts (the role Approver, "Fiatteur").
    ("fiatteur", "Marieke van Dijk", Role.APPROVER, MUNICIPALITY),
]
# A second coordinator: four eyes also work between two coordinators (the first above is "the" coordinator).
MORE_USERS = [
    ("netwerkregisseur2", "Karim Yilmaz", Role.COORDINATOR, MUNICIPALITY),
]
# Every organisation the demo refers to can answer: an account with the receiving role each (the first row above).
RECEIVERS = [
    ("jeugdzorg", "Ruben Hoekstra", "Jeugdzorg Regio Lindeveen"),
    ("ggz", "Nadia Bouzid", "GGZ Regio Lindeveen"),
]
DEMO_DOMAIN = "demo.netwerkregie.test"


def demo_password() -> str:
    """One random password per demo installation, kept outside git in the var directory."""
    path = settings.VAR_DIR / "demo-password"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"demo-{secrets.token_urlsafe(9)}")
    return path.read_text().strip()


class Command(BaseCommand):
    help = "Load the demo municipality (DEMO mode only). Running it again changes nothing."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-history", dest="history", action="store_false",
                            help="Leave out the three years of history behind the reports (quicker, for tests).")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEMO:
            raise CommandError("load_demo runs only with DEMO=1: it creates accounts with a known password.")
        with transaction.atomic():
            self.load_network()
            created = self.load_users(demo_password())
            users = {role: User.objects.get(email=f"{local}@{DEMO_DOMAIN}") for local, _n, role, _o in USERS}
            load_network_and_programmes(users[Role.COORDINATOR], users[Role.PROGRAMME_OFFICER])
            signals = load_intake(users, Organisation.objects.get(name="Het Lindeveen College"),
                                  Organisation.objects.get(name="ROC Lindeveen"))
            load_cases(users)
            load_sharing(users)
            load_role_grants(users)
        if options["history"]:
            signals += load_history(users)  # its own transaction: the mails it causes were sent back then
        with transaction.atomic():
            load_privacy(users)
            mark_cases_seen(users)
        self.stdout.write(f"Demo data ready ({created} new users, {signals} new signals).")
        self.print_logins()

    def load_network(self) -> None:
        hoods = {code: Neighbourhood.objects.get_or_create(code=code, defaults={"name": name})[0]
                 for name, code in NEIGHBOURHOODS}
        for name, sector, codes in ORGANISATIONS:
            organisation, _ = Organisation.objects.get_or_create(name=name, defaults={"sector": sector})
            organisation.neighbourhoods.add(*(hoods[code] for code in codes))

    def load_users(self, password: str) -> int:
        created = 0
        for local, name, role, organisation in USERS + MORE_USERS:
            email = f"{local}@{DEMO_DOMAIN}"
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(
                    email, password, full_name=name,
                    organisation=Organisation.objects.get(name=organisation),
                )
                log_event(AuditAction.CREATE, obj=user, actor_label="load_demo", detail={"roles": [role]})
                created += 1
            RoleAssignment.objects.get_or_create(user=user, role=role)
            if user.requires_mfa:
                TOTPDevice.objects.get_or_create(user=user, name="demo", defaults={"confirmed": True})
        return created + self.load_receivers(password)

    def load_receivers(self, password: str) -> int:
        """An account with the demo password for each receiving organisation; one made by an earlier demo
        without a password gets it now."""
        created = 0
        for local, name, organisation in RECEIVERS:
            user, made = User.objects.get_or_create(email=f"{local}@{DEMO_DOMAIN}", defaults={
                "full_name": name, "organisation": Organisation.objects.get(name=organisation)})
            if made or not user.has_usable_password():
                user.set_password(password)
                user.save(update_fields=["password"])
            if made:
                log_event(AuditAction.CREATE, obj=user, actor_label="load_demo", detail={"roles": [Role.RECIPIENT]})
                created += 1
            RoleAssignment.objects.get_or_create(user=user, role=Role.RECIPIENT)
            TOTPDevice.objects.get_or_create(user=user, name="demo", defaults={"confirmed": True})
        return created

    def print_logins(self) -> None:
        password = demo_password()
        self.stdout.write(f"\nDemo logins (password for all: {password}):")
        for local, _name, role, _organisation in USERS + MORE_USERS:
            self.stdout.write(f"  {role.label:<26} {local}@{DEMO_DOMAIN}")
        for local, _name, organisation in RECEIVERS:
            self.stdout.write(f"  {Role.RECIPIENT.label:<26} {local}@{DEMO_DOMAIN} ({organisation})")
        self.stdout.write("The one-time code is shown on the sign-in page in demo mode.\n")
