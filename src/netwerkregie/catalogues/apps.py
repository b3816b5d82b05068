from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CataloguesConfig(AppConfig):
    """The administrator's editor for the configurable catalogues of the domain apps."""

    name = "netwerkregie.catalogues"
    verbose_name = _("Catalogues")
