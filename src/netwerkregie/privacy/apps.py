from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    """The privacy lifecycle: purge on schedule, legal holds, emergency access and oversight.
    It sits above every domain app, because it must reach every record with personal data."""

    name = "netwerkregie.privacy"
    verbose_name = _("Privacy")
