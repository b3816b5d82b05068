from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse


def mfa_not_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a view that a signed-in user may reach before passing the second factor."""
    view.mfa_not_required = True  # type: ignore[attr-defined]
    return view


class RequireMultiFactorMiddleware:
    """Send users whose roles need a second factor to enrol or verify before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or not user.requires_mfa or user.is_verified():  # type: ignore[attr-defined]
            # is_verified: added to the user by django_otp's OTPMiddleware, which has no type information
            return None
        if getattr(view_func, "mfa_not_required", False) or getattr(
            view_func, "login_required", True
        ) is False:
            return None
        from django_otp import user_has_device

        target = "accounts:mfa_verify" if user_has_device(user) else "accounts:mfa_setup"
        if request.method in ("GET", "HEAD"):  # after the second factor, on to the page that was asked for
            return redirect_to_login(request.get_full_path(), reverse(target))
        return redirect(target)
