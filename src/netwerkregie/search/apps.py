from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "netwerkregie.search"
    verbose_name = "Search"
