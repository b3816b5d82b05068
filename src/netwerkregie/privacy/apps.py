from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """The privacy lifecycle: purge on schedule, legal holds, emergency access and oversight.
    It sits above every domain app, because it must reach every record with personal data."""

    name = "netwerkregie.privacy"
    verbose_name = _("Privacy")

    def ready(self) -> None:
        # At start-up, when the models are loaded: the scheduler (ops, below this app) runs the purge.
        from netwerkregie.ops.registry import register
        from netwerkregie.privacy.jobs import PURGE

        register(PURGE)
