"""The configurable catalogues: which models the administrator maintains, under which title, with which
fields. The catalogue pages (``catalogues.views``) and the administrator's home panel read it."""

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from netwerkregie.cases.models import InterventionType
from netwerkregie.intake.models import AssessmentCriterion, ObservationCategory
from netwerkregie.network.models import ContactTopic


@dataclass(frozen=True)
class Catalogue:
    title: Promise
    model: type[models.Model]
    fields: tuple[str, ...]


CATALOGUES = {
    "observations": Catalogue(gettext_lazy("Observations in signals"), ObservationCategory,
                              ("code", "label_nl", "label_en", "position", "is_active")),
    "criteria": Catalogue(gettext_lazy("Assessment criteria"), AssessmentCriterion,
                          ("code", "label_nl", "label_en", "position", "is_active")),
    "topics": Catalogue(gettext_lazy("Topics of contact moments"), ContactTopic,
                        ("code", "label_nl", "label_en", "is_active")),
    "interventions": Catalogue(gettext_lazy("Interventions in support plans"), InterventionType,
                               ("code", "domain", "label_nl", "label_en", "compulsory", "is_active")),
}
