from django.apps import AppConfig


class TodayConfig(AppConfig):
    name = "netwerkregie.today"
    verbose_name = "Today"
