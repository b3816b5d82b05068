from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "netwerkregie.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from netwerkregie.core import checks, receivers  # noqa: F401  (registers hooks)
