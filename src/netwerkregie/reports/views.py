"""Reports: aggregated, suppressed figures for the analyst, the coordinator and (prevention and
budget only) the programme officer. Exports are audited; looking at figures is not about anyone."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from netwerkregie.core.access import roles_required
from netwerkregie.core.audit import log_event
from netwerkregie.core.csv_export import csv_response
from netwerkregie.core.models import AuditAction
from netwerkregie.core.roles import Role
from netwerkregie.reports import figures, kept
from netwerkregie.reports.forms import PeriodForm
from netwerkregie.reports.suppression import threshold

READERS = (Role.ANALYST, Role.COORDINATOR, Role.PROGRAMME_OFFICER, Role.PRIVACY_OFFICER)
ALL_SECTIONS = ("signals", "assessments", "cases", "oversight", "prevention", "budget")


def _sections_for(user: Any) -> tuple[str, ...]:
    """The analyst and the coordinator see every figure; the programme officer prevention and budget; the
    privacy officer the oversight of revealed identities, re-justifications and lapses."""
    if user.roles & {Role.ANALYST, Role.COORDINATOR}:
        return ALL_SECTIONS
    keys: tuple[str, ...] = ()
    if Role.PROGRAMME_OFFICER in user.roles:
        keys += ("prevention", "budget")
    if Role.PRIVACY_OFFICER in user.roles:
        keys += ("oversight",)
    return keys


def _period(request: HttpRequest) -> tuple[PeriodForm, figures.Period]:
    """The chosen period; without a valid choice, this year (and the form keeps its message)."""
    form = PeriodForm(request.GET or None)
    if form.is_bound and form.is_valid():
        bounds = form.period_bounds()
        if bounds:
            return form, figures.Period(*bounds)
        return form, figures.Period.of(form.cleaned_data["year"], form.cleaned_data["quarter"])
    return form, figures.Period.of(timezone.localdate().year)


@roles_required(*READERS)
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    form, period = _period(request)
    sections = kept.report(_sections_for(request.user), period)
    return render(request, "reports/index.html", {
        "form": form, "period": period, "sections": sections, "threshold": threshold(),
        "query": request.GET.urlencode(),
    }, status=422 if form.is_bound and form.errors else 200)


def _audit_export(request: HttpRequest, period: figures.Period, keys: tuple[str, ...], fmt: str) -> None:
    log_event(AuditAction.EXPORT, actor=request.user, object_type="reports.figures", request=request,
              reason="report export", detail={"from": period.start.isoformat(), "to": period.end.isoformat(),
                                              "sections": list(keys), "format": fmt})


@roles_required(*READERS)
@require_GET
def export_pdf(request: HttpRequest) -> HttpResponse:
    """The year report for the council: the period, the figures, the suppression rule, the date made."""
    from netwerkregie.core.pdf import render_pdf  # WeasyPrint loads in seconds: only when a PDF is made

    _form, period = _period(request)
    keys = _sections_for(request.user)
    sections = kept.report(keys, period)
    html = render_to_string("reports/report_pdf.html", {
        "period": period, "sections": sections, "threshold": threshold(),
        "made_at": timezone.localtime(), "municipality": settings.MUNICIPALITY_NAME}, request=request)
    response = HttpResponse(render_pdf(html, request=request), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="cijfers-{period.start:%Y%m%d}-{period.end:%Y%m%d}.pdf"'
    _audit_export(request, period, keys, "pdf")
    return response


@roles_required(*READERS)
@require_GET
def export_csv(request: HttpRequest) -> HttpResponse:
    """The same suppressed figures as the page, in the budget export's CSV dialect."""
    _form, period = _period(request)
    keys = _sections_for(request.user)
    rows: list[list[object]] = [
        [_("Period"), period.label],
        [_("Counts above zero and below %(n)d are shown as < %(n)d; where a total would reveal one of them, a "
           "second count is hidden too.") % {"n": threshold()}],
        [],
        [_("Section"), _("Figure"), _("Category"), _("Count")]]
    for section in kept.report(keys, period):
        for table in section.tables:
            rows += [[section.title, table.title, row.label, row.shown] for row in table.rows]
            if table.total is not None:
                rows.append([section.title, table.title, _("Total"), table.total.shown])
        rows += [[section.title, what, "", value] for what, value in section.notes]
        for money in section.money:
            for label, amounts in money.rows:
                rows += [[section.title, f"{money.title}: {column}", label, amount]
                         for column, amount in zip(money.columns, amounts, strict=True)]
    response = csv_response(f"cijfers-{period.start:%Y%m%d}-{period.end:%Y%m%d}.csv", rows)
    _audit_export(request, period, keys, "csv")
    return response
