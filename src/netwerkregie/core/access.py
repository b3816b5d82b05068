"""The access chokepoint.

Every model that holds personal data gets a queryset derived from ``AccessQuerySet`` and
implements ``visible_to(user)``: the one place that decides who sees which rows. Views,
exports and reports fetch through it, usually via ``get_visible_or_404``, so "does not exist"
and "not yours" look the same (404) and existence never leaks.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, Generic, TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase

M = TypeVar("M", bound=models.Model)


class AccessQuerySet(models.QuerySet[M], Generic[M]):
    def visible_to(self, user: Any) -> AccessQuerySet[M]:
        raise NotImplementedError(f"{self.model.__name__} must decide visible_to(user).")


def user_roles(user: Any) -> frozenset[str]:
    """The roles of an authenticated, active user; nothing for anyone else."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    return user.roles  # type: ignore[no-any-return]


def get_visible_or_404(queryset: AccessQuerySet[M], user: Any, **lookup: Any) -> M:
    try:
        return queryset.visible_to(user).get(**lookup)
    except (ObjectDoesNotExist, ValidationError, ValueError, TypeError):
        raise Http404 from None


View = Callable[..., HttpResponseBase]  # a page, or a file (FileResponse) or a stream


def roles_required(*roles: str) -> Callable[[View], View]:
    """Let users with one of ``roles`` through; everyone else gets the same 404 as a missing page."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not user_roles(request.user) & set(roles):
                raise Http404
            return view(request, *args, **kwargs)

        wrapped.allowed_roles = frozenset(roles)  # type: ignore[attr-defined]
        return wrapped

    return decorator
