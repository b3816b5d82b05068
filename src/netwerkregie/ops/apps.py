from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpsConfig(AppConfig):
    """Running it: backups that restore, the scheduler and its job runs, health endpoints, request ids.
    It sits above every domain app (the scheduler runs their jobs)."""

    name = "netwerkregie.ops"
    verbose_name = _("Operations")
