from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Notifications of waiting work, at once or in a daily digest, as each user chooses. It sits just above
    ``core`` and imports nothing else, so the services of every domain app can call it."""

    name = "netwerkregie.notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from netwerkregie.notifications import checks  # noqa: F401 (registers the deployment check)
