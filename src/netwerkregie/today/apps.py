from django.apps import AppConfig


class TodayConfig(AppConfig):
    name = "netwerkregie.today"
    verbose_name = "Today"

    def ready(self) -> None:
        from netwerkregie.ops.registry import register  # start-up: the job registry fills when the apps are ready
        from netwerkregie.today.due_work import ANNOUNCE_DUE

        register(ANNOUNCE_DUE)
