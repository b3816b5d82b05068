"""The partners' contributions to the joint assessment (``contribution_models``): recording one, and reading
them as a participant may. A contribution is editable by its author while its signal waits for the decision;
each write is an audit event, each read a ``record_view``. A participant who has not had the identity revealed
reads the texts masked, as the signal itself (``pseudonymity.mask``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from netwerkregie.core.audit import log_event, record_view
from netwerkregie.core.guard import flagged_terms
from netwerkregie.core.models import AuditAction, User
from netwerkregie.core.validators import clean_text, collect
from netwerkregie.intake.contribution_models import Contribution, ContributionCriterion, CriterionView
from netwerkregie.intake.models import AssessmentCriterion, AssessmentSession, Signal
from netwerkregie.intake.policy import may_contribute
from netwerkregie.intake.pseudonymity import identity_hidden, mask, names_person
from netwerkregie.intake.services import MAX_REASON, MAX_TEXT, SpecialCategoryFlagged, check_participant


class PersonNamed(ValidationError):
    """The contribution may name the person inside the pseudonymous assessment; the writer replaces the name or
    confirms it is needed. The message never repeats the name."""

    def __init__(self) -> None:
        super().__init__({"knowledge": [ValidationError(_(
            "Your contribution may contain the name of the person. In this assessment the person goes by the "
            "pseudonym: write the pseudonym instead, or confirm below that the name is needed."),
            code="person_named")]})


def record_contribution(signal: Signal, *, session: AssessmentSession, actor: User, knowledge: str,
                        views: dict[AssessmentCriterion, str], special_category_reason: str = "",
                        name_confirmed: bool = False) -> Contribution:
    """The actor's organisation's contribution on a signal of the session's agenda: made, or changed by its
    author, until the decision is recorded. Raises ValidationError (dict) with what to change, PersonNamed when
    the text may name the person in a pseudonymous assessment and the writer has not confirmed it."""
    refusal = _("Only a participating partner can contribute to this assessment.")
    check_participant(signal, session, actor, refusal)
    if not may_contribute(actor) or actor.organisation_id is None:
        raise ValidationError(refusal)
    errors: dict[str, list[ValidationError]] = {}
    knowledge = collect(errors, "knowledge", clean_text, knowledge, MAX_TEXT, required=True)
    reason = collect(errors, "special_category_reason", clean_text, special_category_reason, MAX_REASON,
                     required=False)
    active = set(AssessmentCriterion.objects.filter(is_active=True))
    if active - set(views):
        errors.setdefault("__all__", []).append(ValidationError(_("Give your view on every criterion.")))
    for criterion, view in views.items():
        if view not in CriterionView.values:
            errors.setdefault(f"view_{criterion.code}", []).append(
                ValidationError(_("Choose recognisable, not recognisable or unknown.")))
    if errors:
        raise ValidationError(errors)
    terms = flagged_terms(knowledge)
    if terms and not reason:
        raise SpecialCategoryFlagged(terms)
    named = settings.PSEUDONYMOUS_ASSESSMENT and names_person(knowledge, signal)
    if named and not name_confirmed:
        raise PersonNamed
    with transaction.atomic():
        locked = Signal.objects.select_for_update().get(pk=signal.pk)  # the decision waits, or this waits for it
        check_participant(locked, session, actor, refusal)
        existing = Contribution.objects.filter(signal=signal, organisation_id=actor.organisation_id).first()
        if existing is not None and existing.author_id != actor.pk:
            raise ValidationError(_("%(who)s wrote your organisation's contribution; only they can change it.")
                                  % {"who": existing.author})
        contribution = existing or Contribution(signal=signal, session=session, organisation_id=actor.organisation_id,
                                                author=actor)
        contribution.knowledge, contribution.updated_at = knowledge, timezone.now()
        contribution.session = session  # a signal moved to another session takes its contribution along
        contribution.special_category_confirmed = bool(terms)
        contribution.save()
        contribution.views.all().delete()
        ContributionCriterion.objects.bulk_create(
            ContributionCriterion(contribution=contribution, criterion=c, view=v) for c, v in views.items())
        log_event(AuditAction.UPDATE if existing else AuditAction.CREATE, actor=actor, obj=contribution,
                  detail={"signal": signal.pk, "session": session.pk, **({"person_named": True} if named else {})})
        if terms:
            log_event(AuditAction.SPECIAL_CATEGORY_CONFIRMED, actor=actor, obj=contribution, reason=reason,
                      detail={"terms": terms})
    return contribution


@dataclass
class ShownContribution:
    """A contribution as one participant reads it."""

    pk: int
    reference: str
    organisation: str
    author: str
    mine: bool
    knowledge: str
    views: list[tuple[str, str]]
    updated_at: object


def contributions_for(signals: list[Signal], viewer: User) -> list[ShownContribution]:
    """The contributions on these signals the viewer may see, masked where the identity is hidden from the
    viewer; each one shown is a ``record_view``."""
    hidden = {s.pk: identity_hidden(s, viewer) for s in signals}
    by_pk = {s.pk: s for s in signals}
    found = (Contribution.objects.visible_to(viewer).filter(signal__in=signals)
             .select_related("organisation", "author").prefetch_related("views__criterion")
             .order_by("signal__received_at", "created_at", "pk"))
    shown = []
    for c in found:
        signal = by_pk[c.signal_id]
        record_view(c, actor=viewer, purpose="joint assessment")
        shown.append(ShownContribution(
            pk=c.pk, reference=signal.reference, organisation=c.organisation.name, author=c.author.full_name,
            mine=c.author_id == viewer.pk, updated_at=c.updated_at,
            knowledge=mask(c.knowledge, signal) if hidden[signal.pk] and c.author_id != viewer.pk else c.knowledge,
            views=[(str(v.criterion), v.get_view_display()) for v in c.views.all()]))
    return shown


def own_contribution(signal: Signal, user: User) -> Contribution | None:
    """The contribution of the user's organisation on this signal, to edit (its author) or to read."""
    if user.organisation_id is None:
        return None
    return (Contribution.objects.filter(signal=signal, organisation_id=user.organisation_id)
            .prefetch_related("views").first())
