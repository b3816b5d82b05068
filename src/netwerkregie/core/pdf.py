"""PDFs from HTML (WeasyPrint) that never reach outside the application.

Whatever a template or a user's text puts in an ``<img>``, a stylesheet link or a CSS ``url()``, the
fetcher here makes no network request at all: a URL of this application's static files is read from
the static files (the finders, or the collected files), a ``data:`` URL is decoded, and everything
else - another host, another path of this host, ``file:`` outside the static files - is refused, so
WeasyPrint leaves that resource out and still renders the rest.
"""

from __future__ import annotations

import mimetypes
import posixpath
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest
from weasyprint.urls import URLFetcher, URLFetcherResponse


class StaticOnlyFetcher(URLFetcher):  # type: ignore[misc]  # weasyprint has no type information
    """Serves this application's static files by path; refuses every other URL but ``data:``."""

    def __init__(self, *, host: str) -> None:
        super().__init__(allowed_protocols=("data",), allow_redirects=False)
        self.host = host.lower()

    def fetch(self, url: str, headers: Any = None) -> URLFetcherResponse:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme in ("http", "https") and parts.netloc.lower() == self.host:
            path = static_path(unquote(parts.path))
        elif scheme == "file":
            path = _static_file(Path(unquote(parts.path)))
        else:
            path = None
        if path is None:
            raise ValueError(f"Not a static file of this application: {url[:200]}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


def static_path(url_path: str) -> Path | None:
    """The file behind a static URL path such as ``/static/netwerkregie/app.css``, or None."""
    prefix = urlsplit(getattr(staticfiles_storage, "base_url", None) or "/static/").path
    prefix = prefix if prefix.startswith("/") else f"/{prefix}"
    if not url_path.startswith(prefix):
        return None
    name = url_path[len(prefix):]
    if not name or name.startswith("/") or ".." in name.split("/") or posixpath.normpath(name) != name:
        return None
    found = finders.find(name)
    if found:
        return Path(found)
    if staticfiles_storage.exists(name):
        return Path(staticfiles_storage.path(name))
    return None


def _static_roots() -> list[Path]:
    roots = [Path(settings.STATIC_ROOT)]
    for finder in finders.get_finders():
        roots += [Path(root) for _prefix, root in getattr(finder, "locations", [])]
        roots += [Path(storage.location) for storage in getattr(finder, "storages", {}).values()]
    return [root.resolve() for root in roots]


def _static_file(path: Path) -> Path | None:
    """A ``file:`` path only when it is a file inside the static files."""
    resolved = path.resolve()
    if resolved.is_file() and any(resolved.is_relative_to(root) for root in _static_roots()):
        return resolved
    return None


def render_pdf(html: str, *, request: HttpRequest) -> bytes:
    """The PDF of ``html``; relative URLs resolve against this site, and only its static files load."""
    pdf: bytes = document(html, request=request).write_pdf()
    return pdf


def document(html: str, *, request: HttpRequest) -> Any:
    """The laid-out document (pages and their boxes), before it is written as a PDF."""
    return weasyprint.HTML(string=html, base_url=request.build_absolute_uri("/"),
                url_fetcher=StaticOnlyFetcher(host=request.get_host())).render()
