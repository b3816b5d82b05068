"""Every list is paginated: one page of a queryset, and the query string that keeps the filters."""

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PER_PAGE = 50


def paginate(request: HttpRequest, queryset: Any, per_page: int = PER_PAGE) -> dict[str, Any]:
    """``page`` (with its paginator's total) and ``query``: the current filters without the page number,
    for the links of ``partials/pager.html``. A page number out of range or not a number shows the
    nearest page (Django's ``get_page``), never an error."""
    page: Page = Paginator(queryset, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {"page": page, "query": query.urlencode()}
