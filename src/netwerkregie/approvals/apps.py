from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    name = "netwerkregie.approvals"
    label = "approvals"
    verbose_name = _("Approvals")
    default_auto_field = "django.db.models.BigAutoField"
