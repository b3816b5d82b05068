"""The demo's information sharing, made through the services: a referral to the exit programme that passes
police data (approved by the coordinator, accepted, reported on), one to youth care on a parent's consent
(declined), a plan with a compulsory measure awaiting approval, and minutes printed for the police
attendee; with the team member from the police, every kind of ledger entry but the access export, which
``demo.privacy`` adds."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from netwerkregie.approvals import services as approvals
from netwerkregie.cases import services as cases
from netwerkregie.cases.models import Case, CaseConsultation, CaseStatus, InterventionType
from netwerkregie.core.audit import log_event
from netwerkregie.core.models import AuditAction, RoleAssignment, User
from netwerkregie.core.roles import Role
from netwerkregie.disclosures.models import SharedData
from netwerkregie.disclosures.services import record_minutes_disclosure
from netwerkregie.network.models import Covenant, Organisation
from netwerkregie.sharing import services as sharing
from netwerkregie.sharing.models import ConsentBy, LegalBasis, Referral, ReferralKind

EXIT_PROGRAMME = "Exitprogramma Nieuwe Koers"
YOUTH_CARE = "Jeugdzorg Regio Lindeveen"
RECEIVING_ONLY = (EXIT_PROGRAMME, YOUTH_CARE)


def _youth_care_staff() -> User:
    """A member of staff at youth care (``load_demo`` made the account, with the demo password)."""
    email = "jeugdzorg@demo.netwerkregie.test"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, None, full_name="Ruben Hoekstra",
                                        organisation=Organisation.objects.get(name=YOUTH_CARE))
        RoleAssignment.objects.create(user=user, role=Role.RECIPIENT)
        TOTPDevice.objects.create(user=user, name="demo", confirmed=True)
        log_event(AuditAction.CREATE, obj=user, actor_label="load_demo", detail={"roles": [Role.RECIPIENT]})
    return user


def load_sharing(users: dict[str, User]) -> bool:
    if Referral.objects.exists():
        return False
    coordinator, manager = users[Role.COORDINATOR], users[Role.CASE_MANAGER]
    officer, recipient = users[Role.CORE_PARTNER], users[Role.RECIPIENT]
    open_cases = Case.objects.filter(status=CaseStatus.OPEN).order_by("pk")
    active, direct = open_cases.filter(signals__isnull=False).first(), open_cases.filter(signals__isnull=True).first()
    if active is None or direct is None:
        return False
    today = timezone.localdate()
    intervention = {code: InterventionType.objects.get(code=code)
                    for code in ("exit_programme", "care_youth", "ideological_dialogue", "passport_measure")}

    exit_referral = sharing.refer(sharing.ReferralInput(
        organisation=Organisation.objects.get(name=EXIT_PROGRAMME), kind=ReferralKind.INTERVENTION,
        intervention=intervention["exit_programme"],
        purpose="Exitbegeleiding: gesprekken over afstand nemen van de groep online, samen met de mentor.",
        categories=[SharedData.IDENTITY, SharedData.SIGNALS, SharedData.PLAN, SharedData.POLICE],
        basis=LegalBasis.COVENANT, covenant=Covenant.objects.get(title="Convenant Zorg- en Veiligheidshuis Lindeveen"),
        note="Jordy weet van de verwijzing en wil het eerste gesprek op school, met zijn mentor erbij."),
        actor=manager, case=active)
    approvals.decide(exit_referral.approvals.get(), actor=coordinator, approve=True,
                   note="De politiegegevens zijn nodig voor de risico-inschatting van het exitprogramma.")
    exit_referral.refresh_from_db()
    sharing.accept(exit_referral, actor=recipient)
    sharing.report_back(exit_referral, actor=recipient,
                        text="Intake gehouden op school met Jordy en zijn mentor; wekelijkse gesprekken gestart.")

    minor = active.person.is_minor
    youth_referral = sharing.refer(sharing.ReferralInput(
        organisation=Organisation.objects.get(name=YOUTH_CARE), kind=ReferralKind.INTERVENTION,
        intervention=intervention["care_youth"],
        purpose="Jeugdhulp voor het gezin: ondersteuning bij opvoeding en het stellen van grenzen.",
        categories=[SharedData.IDENTITY, SharedData.CONTEXT, SharedData.SIGNALS], basis=LegalBasis.CONSENT,
        consent_by=ConsentBy.PARENT if minor else ConsentBy.PERSON, consent_by_name="Petra de Boer" if minor else "",
        consent_on=today - datetime.timedelta(days=6)), actor=manager, case=active)
    sharing.decline(youth_referral, actor=_youth_care_staff(),
                    reason="Wachtlijst van veertien weken; wij adviseren opvoedondersteuning via het wijkteam.")

    # A plan with a compulsory measure for the direct case: it waits for the coordinator's approval.
    cases.save_plan(direct, goals=["Milan neemt afstand van de groep die uitreizen aanmoedigt."],
                    protective_factors="Een broer die hij vertrouwt; wil zijn opleiding afmaken.", interventions=[
                        cases.InterventionInput(type=intervention["ideological_dialogue"], goal=1, provider=None,
                                                owner="Deskundige Stichting Dialoog", starts_on=today,
                                                ends_on=today + datetime.timedelta(days=120), status="planned",
                                                consent="person", consent_on=today),
                        cases.InterventionInput(type=intervention["passport_measure"], goal=1, provider=None,
                                                owner="Burgemeester", starts_on=today,
                                                ends_on=today + datetime.timedelta(days=365), status="planned")],
                    base_version=0, change_note="Plan na de uitreispoging", actor=manager)

    # The minutes of yesterday's consultation, printed for the police attendee: only the cases he is on.
    consultation = CaseConsultation.objects.filter(held_on__lt=today, attendees=officer).order_by("-held_on").first()
    if consultation is not None:
        visible = Case.objects.visible_to(officer)
        record_minutes_disclosure([item.case for item in consultation.items.filter(case__in=visible)],
                                          reader=officer, actor=coordinator)
    return True
