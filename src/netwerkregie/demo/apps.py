from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data for `make demo`. It sits above every domain app, so it may use them all."""

    name = "netwerkregie.demo"
    verbose_name = _("Demo data")
