from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "netwerkregie.api"
    verbose_name = _("Partner API")

    def ready(self) -> None:
        from netwerkregie.api import schema  # noqa: F401  (registers the schema extension)
