from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SharingConfig(AppConfig):
    name = "netwerkregie.sharing"
    label = "sharing"
    verbose_name = _("Information sharing")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from netwerkregie.sharing import receivers  # noqa: F401  (connects the approval receiver)
