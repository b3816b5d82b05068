import pytest

SITE = "https://netwerkregie.example.nl"


@pytest.fixture(autouse=True)
def _site_url(settings: pytest.FixtureRequest) -> None:
    """The address the links in scheduled mail start with (there is no request to take it from)."""
    settings.SITE_URL = SITE
