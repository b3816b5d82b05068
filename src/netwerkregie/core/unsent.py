"""No lost work at the idle timeout.

A session ends after ``SESSION_IDLE_MINUTES`` without a request. Two minutes before, every page offers to
stay signed in (``static/netwerkregie/idle-warning.js`` and the dialog in ``base.html``; ``keep_alive``
answers it). If a form is posted all the same after the session ended, the posted fields are kept on the
server, encrypted, for ``UNSENT_WORK_KEEP_MINUTES``, bound to the account that was signed in in this browser
(a signed cookie holds its id, never anything typed, and lapses soon after the session would have); after
signing in again, that same person is shown what was filled in and for which page, and sends it once more
only after seeing it (so a form planted with a copied cookie is not sent blindly). A person has a few kept
forms at most. Nothing is stored in the browser, files are not kept (the page says so),
and another person signing in at the same browser sees nothing of it.
"""

from __future__ import annotations

import datetime
import json
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from netwerkregie.core.http import AuthenticatedHttpRequest
from netwerkregie.core.middleware import mfa_not_required
from netwerkregie.core.models import UnsentSubmission, User

OWNER_COOKIE = "nr_signed_in_as"
_SALT = "netwerkregie.core.unsent"
_NOT_KEPT = {"csrfmiddlewaretoken"}
MAX_KEPT_BYTES = 256 * 1024  # a form's worth of text; anything larger is not an interrupted form
MAX_PATH = 500  # UnsentSubmission.path
KEPT_PER_PERSON = 3


class KeepUnsentWorkMiddleware:
    """Keeps a form posted to a page that needs sign-in after the session ended, and remembers (signed, in a
    cookie for the browser session) which account is signed in here. Placed just before Django's
    LoginRequiredMiddleware, after CSRF: only a post with a valid CSRF token is kept."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if getattr(request, "_nr_signed_out", False):
            response.delete_cookie(OWNER_COOKIE, samesite="Lax")
        elif user is not None and user.is_authenticated:  # renewed with every page, so it lapses with the session
            response.set_signed_cookie(OWNER_COOKIE, str(user.pk), salt=_SALT, httponly=True, samesite="Lax",
                                       secure=settings.SESSION_COOKIE_SECURE)
        return response

    def process_view(self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any) -> Any:
        if request.method != "POST" or request.user.is_authenticated or not getattr(view_func, "login_required", True):
            return None
        owner = _owner(request)
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        path = request.get_full_path()
        if (owner is None or length > MAX_KEPT_BYTES or len(path) > MAX_PATH or request.headers.get("HX-Request")
                or not User.objects.filter(pk=int(owner), is_active=True).exists()):
            return None  # Django's LoginRequiredMiddleware sends the visitor to sign in, as for any page
        fields = {name: values for name, values in request.POST.lists() if name not in _NOT_KEPT}
        if not fields:
            return None  # nothing typed (the idle dialog's keep-alive, a button without fields)
        kept = keep(owner_id=int(owner), path=path, fields=fields,
                    files_left_out=bool(request.FILES))
        return redirect(f"{reverse(settings.LOGIN_URL)}?next={reverse('session:resume', args=[kept.pk])}")


def _owner(request: HttpRequest) -> str | None:
    # Only as long as a session can have been idle plus the time a form is kept: a copied cookie soon lapses.
    lifetime = settings.SESSION_COOKIE_AGE + settings.UNSENT_WORK_KEEP_MINUTES * 60
    value = request.get_signed_cookie(OWNER_COOKIE, default=None, salt=_SALT, max_age=lifetime)
    return value if value and value.isdigit() else None


@receiver(user_logged_out)
def _forget_owner(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    if request is not None:
        request._nr_signed_out = True  # type: ignore[attr-defined]


def keep(*, owner_id: int, path: str, fields: dict[str, list[str]], files_left_out: bool) -> UnsentSubmission:
    """Keep a posted form for its author; what has expired by now is deleted on the way."""
    now = timezone.now()
    forget_expired(now)
    older = UnsentSubmission.objects.filter(user_id=owner_id).order_by("-created_at").values_list("pk", flat=True)
    UnsentSubmission.objects.filter(pk__in=list(older[KEPT_PER_PERSON - 1:])).delete()  # a few, never a pile
    return UnsentSubmission.objects.create(
        user_id=owner_id, path=path, fields=json.dumps(fields), files_left_out=files_left_out, created_at=now,
        expires_at=now + datetime.timedelta(minutes=settings.UNSENT_WORK_KEEP_MINUTES))


def forget_expired(now: datetime.datetime | None = None) -> int:
    """Delete kept forms nobody came back for (also run by the nightly purge)."""
    deleted, _ = UnsentSubmission.objects.filter(expires_at__lte=now or timezone.now()).delete()
    return deleted


@mfa_not_required
@require_POST
def keep_alive(request: HttpRequest) -> HttpResponse:
    """The idle dialog's "stay signed in": any request renews the session (SESSION_SAVE_EVERY_REQUEST)."""
    return HttpResponse(status=204, headers={"Cache-Control": "no-store"})


@never_cache
def resume(request: AuthenticatedHttpRequest, pk: uuid.UUID) -> HttpResponse:
    """Show the kept form once, to its author only, ready to be sent again; then it is gone from the server."""
    kept = UnsentSubmission.objects.filter(pk=pk, user=request.user, expires_at__gt=timezone.now()).first()
    if kept is None:
        raise Http404
    kept.delete()
    fields = [(name, value) for name, values in json.loads(kept.fields).items() for value in values]
    return render(request, "core/resume.html", {"kept": kept, "fields": fields})
