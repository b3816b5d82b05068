"""The configurable catalogues, maintained by the administrator. Entries are never deleted (records
refer to them); they are deactivated. Codes are fixed once created. Labels describe behaviour and
help, never identity: the special-category guard refuses labels that name such categories."""

from typing import Any

from django import forms
from django.contrib import messages
from django.db import transaction
from django.forms import modelform_factory
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from netwerkregie.catalogues.registry import CATALOGUES, Catalogue
from netwerkregie.core.access import roles_required
from netwerkregie.core.audit import log_event
from netwerkregie.core.guard import flagged_terms
from netwerkregie.core.models import AuditAction
from netwerkregie.core.roles import Role
from netwerkregie.core.validators import no_markup


class EntryForm(forms.ModelForm):
    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name in ("label_nl", "label_en"):
            value = data.get(name) or ""
            try:
                no_markup(value)
            except forms.ValidationError as error:
                self.add_error(name, error)
                continue
            terms = flagged_terms(value)
            if terms:
                self.add_error(name, _("Catalogue entries describe behaviour or help, not who someone is "
                                       "(found: %(terms)s).") % {"terms": ", ".join(terms)})
        return data


def _catalogue(key: str) -> Catalogue:
    if key not in CATALOGUES:
        raise Http404
    return CATALOGUES[key]


@roles_required(Role.ADMIN)
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "catalogues/index.html", {"catalogues": [
        (key, c.title, c.model.objects.all(), c.fields) for key, c in CATALOGUES.items()]})


@roles_required(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, key: str, pk: int | None = None) -> HttpResponse:
    catalogue = _catalogue(key)
    entry = catalogue.model.objects.filter(pk=pk).first() if pk else None
    if pk and entry is None:
        raise Http404
    form_class = modelform_factory(catalogue.model, form=EntryForm, fields=catalogue.fields)
    form = form_class(request.POST or None, instance=entry)
    if entry is not None:
        form.fields["code"].disabled = True  # records refer to the code
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            saved = form.save()
            log_event(AuditAction.UPDATE if entry else AuditAction.CREATE, actor=request.user, obj=saved,
                      request=request, detail={"catalogue": key, "fields": sorted(form.changed_data)})
        messages.success(request, _("Catalogue entry saved."))
        return redirect("catalogues:index")
    return render(request, "cases/simple_form.html", {
        "form": form,
        "heading": _("%(catalogue)s: %(entry)s") % {"catalogue": catalogue.title, "entry": entry or _("new entry")},
        "intro": _("Entries are not deleted, because records refer to them: switch off 'active' instead.")})
