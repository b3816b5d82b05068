"""The benchmark server's settings: the project's own, with one more URL (``bench_urls``): a bare Django
view that goes through the same middleware as every other request. Never used outside ``bench/``."""

from netwerkregie.settings_dev import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
