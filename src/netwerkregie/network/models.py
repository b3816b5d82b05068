"""The coordinator's network: partner organisations and the neighbourhoods they serve.

Organisations are parties that knowingly take part; this module never holds profiles of
communities or their members (DESIGN.md, "The network is not a register of communities").
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Neighbourhood(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.SlugField(_("code"), max_length=30, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("neighbourhood")
        verbose_name_plural = _("neighbourhoods")

    def __str__(self) -> str:
        return self.name


class Sector(models.TextChoices):
    SCHOOL = "school", _("School")
    RELIGIOUS_ORGANISATION = "religious_organisation", _("Religious organisation")
    COMMUNITY_CENTRE = "community_centre", _("Community centre")
    CLUB = "club", _("Sports or neighbourhood club")
    INTEREST_GROUP = "interest_group", _("Interest group")
    SOCIAL_WORK = "social_work", _("Social work")
    YOUTH_WORK = "youth_work", _("Youth work")
    POLICE = "police", _("Police")
    PUBLIC_PROSECUTOR = "public_prosecutor", _("Public prosecutor")
    CARE = "care", _("Care")
    HOUSING = "housing", _("Housing")
    EMPLOYER = "employer", _("Employer")
    MUNICIPALITY = "municipality", _("Municipality")
    OTHER = "other", _("Other")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    sector = models.CharField(_("sector"), max_length=30, choices=Sector.choices)
    neighbourhoods = models.ManyToManyField(
        Neighbourhood, blank=True, related_name="organisations", verbose_name=_("neighbourhoods")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name
