"""PDFs never reach outside the application (``core.pdf``): an image or stylesheet on another host is
not requested - a real HTTP server on loopback counts what it receives - while the application's own
static files still load."""

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from netwerkregie.cases import consultations as case_consultations
from netwerkregie.core.pdf import document, render_pdf
from netwerkregie.core.roles import Role
from netwerkregie.privacy import services as privacy
from tests.case_helpers import decided_case
from tests.conftest import verified_client

pytestmark = pytest.mark.django_db
MM = 96 / 25.4  # CSS pixels per millimetre


class Listener:
    """A plain HTTP server on a free loopback port that remembers every path asked of it."""

    def __init__(self) -> None:
        received = self.received = []

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                received.append(self.path)
                self.send_response(200)
                self.send_header("Content-Type", "text/css")
                self.end_headers()
                self.wfile.write(b"@page { size: 50mm 50mm }")

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def outside_html(self) -> str:
        return (f'<link rel="stylesheet" href="{self.base}/outside.css">'
                f'<style>@import url("{self.base}/imported.css"); body {{ background: url("{self.base}/bg.png") }}'
                f'</style><img src="{self.base}/x.png" alt=""><img src="//127.0.0.1:{self.server.server_port}/y">')


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    server.thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


@pytest.fixture
def own_static(settings, tmp_path: Path) -> Path:
    """A stylesheet among the application's static files that sets the page size, so loading shows."""
    folder = tmp_path / "static"
    folder.mkdir()
    (folder / "page.css").write_text("@page { size: 100mm 60mm; margin: 0 }")
    settings.STATICFILES_DIRS = [*django_settings.STATICFILES_DIRS, ("pdftest", folder)]
    return folder


def page_size(html: str, host: str = "testserver") -> tuple[int, int]:
    request = RequestFactory().get("/", HTTP_HOST=host)
    page = document(html, request=request).pages[0]
    return round(page.width / MM), round(page.height / MM)


def test_a_pdf_requests_nothing_from_another_host_and_still_loads_its_own_stylesheet(listener, own_static) -> None:
    html = f'<html><head><link rel="stylesheet" href="/static/pdftest/page.css">{listener.outside_html()}</head>' \
           f'<body><p>Verslag</p></body></html>'
    assert page_size(html) == (100, 60)  # the own stylesheet set the page; the outside one (50 x 50) did not
    assert listener.received == []
    pdf = render_pdf(html, request=RequestFactory().get("/"))
    assert pdf.startswith(b"%PDF")
    assert listener.received == []


def test_the_real_app_stylesheet_loads_by_its_static_url(listener) -> None:
    request = RequestFactory().get("/")
    pdf = render_pdf(f'<link rel="stylesheet" href="/static/netwerkregie/app.css">{listener.outside_html()}'
                     f'<p>Tekst</p>', request=request)
    assert pdf.startswith(b"%PDF")
    assert listener.received == []


def test_a_static_path_on_another_host_is_refused_too(listener, own_static) -> None:
    html = f'<link rel="stylesheet" href="{listener.base}/static/pdftest/page.css"><p>x</p>'
    assert page_size(html) == (210, 297)  # A4: nothing loaded
    assert listener.received == []


@pytest.mark.parametrize("outside", ["file:///etc/hostname", "file:///proc/self/environ", "/static/../../x.css",
                                     "/static/pdftest/../page.css", "/admin/", "ftp://127.0.0.1/x.css"])
def test_files_outside_the_static_files_are_refused(own_static, outside: str) -> None:
    (own_static.parent / "x.css").write_text("@page { size: 80mm 80mm }")
    assert page_size(f'<link rel="stylesheet" href="{outside}"><p>x</p>') == (210, 297)


def test_a_file_url_inside_the_static_files_and_a_data_url_load(own_static) -> None:
    assert page_size(f'<link rel="stylesheet" href="file://{own_static / "page.css"}"><p>x</p>') == (100, 60)
    assert page_size('<link rel="stylesheet" href="data:text/css,@page%7Bsize:70mm%2040mm%7D"><p>x</p>') == (70, 40)


@pytest.fixture
def outside_templates(settings, tmp_path: Path, listener: Listener) -> None:
    """Each PDF template replaced by one that points outside, to show the views use the fetcher."""
    for name in ("cases/minutes_pdf.html", "reports/report_pdf.html", "privacy/access_export_pdf.html"):
        target = tmp_path / "templates" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"<html><head>{listener.outside_html()}</head><body><p>PDF</p></body></html>")
    settings.TEMPLATES = [{**django_settings.TEMPLATES[0],
                           "DIRS": [tmp_path / "templates", *django_settings.TEMPLATES[0]["DIRS"]]}]


def test_the_minutes_the_report_and_the_access_export_make_no_outside_request(users, listener,
                                                                              outside_templates) -> None:
    coordinator, manager, officer = users[Role.COORDINATOR], users[Role.CASE_MANAGER], users[Role.PRIVACY_OFFICER]
    case = decided_case(users, "Pieter Pdf")
    consultation = case_consultations.plan_consultation(title="Overleg", held_on=timezone.localdate(),
                                                        attendees=[manager],
                                           cases=[case], actor=coordinator)
    subject_request = privacy.register_request(kind="access", person=case.person, received_on=timezone.localdate(),
                                               handler=officer, actor=officer)
    for user, url in ((coordinator, reverse("cases:minutes_pdf", args=[consultation.pk])),
                      (users[Role.ANALYST], reverse("reports:export_pdf")),
                      (officer, reverse("privacy:export_pdf", args=[subject_request.pk]))):
        response = verified_client(user).get(url)
        assert response.status_code == 200, url
        assert response.content.startswith(b"%PDF"), url
    assert listener.received == []
