from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosuresConfig(AppConfig):
    name = "netwerkregie.disclosures"
    label = "disclosures"
    verbose_name = _("Disclosure ledger")
    default_auto_field = "django.db.models.BigAutoField"
