"""Every list is paginated: one page of a queryset, and the query string that keeps the filters."""

from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PER_PAGE = 50

if TYPE_CHECKING:  # Django's Paginator takes no subscript at run time
    _Paginator = Paginator[Any]
else:
    _Paginator = Paginator


class _CountedPaginator(_Paginator):
    """A paginator told its total (a number known without counting the rows)."""

    def __init__(self, object_list: Any, per_page: int, count: int) -> None:
        super().__init__(object_list, per_page)
        self.__dict__["count"] = count  # the cached_property's value, so no COUNT(*) is run


def paginate(request: HttpRequest, queryset: Any, per_page: int = PER_PAGE, *,
             count: int | None = None) -> dict[str, Any]:
    """``page`` (with its paginator's total) and ``query``: the current filters without the page number,
    for the links of ``partials/pager.html``. A page number out of range or not a number shows the
    nearest page (Django's ``get_page``), never an error. ``count``: the total when it is known without
    counting (the whole audit log: the chain's head)."""
    paginator: Paginator[Any] = (Paginator(queryset, per_page) if count is None
                                 else _CountedPaginator(queryset, per_page, count))
    page: Page[Any] = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {"page": page, "query": query.urlencode()}
