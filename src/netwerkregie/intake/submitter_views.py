"""The submitter's pages: a new signal, the list of one's own signals and the receipt of one; never the handling."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from netwerkregie.core.access import roles_required
from netwerkregie.core.audit import record_view
from netwerkregie.core.form_tools import apply_errors
from netwerkregie.core.pagination import paginate
from netwerkregie.core.roles import Role
from netwerkregie.intake import services
from netwerkregie.intake.forms import CoordinatorSignalForm, SignalForm
from netwerkregie.intake.models import Channel, Signal

# The session remembers the signal its user just sent: its receipt shows what they sent, in that session only.
JUST_SUBMITTED = "intake_just_submitted"


# --- Submitting and following one's own signals ------------------------------------------------

@roles_required(Role.PARTNER, Role.COORDINATOR)
@require_http_methods(["GET", "POST"])
def signal_new(request: HttpRequest) -> HttpResponse:
    coordinator = request.user.has_role(Role.COORDINATOR)
    form_class = CoordinatorSignalForm if coordinator else SignalForm
    form = form_class(request.POST or None)
    own_organisation = request.user.organisation
    if not coordinator and own_organisation is None:
        messages.error(request, _("Your account is not linked to an organisation; ask the administrator."))
        return redirect("home")
    if request.method == "POST" and form.is_valid():
        organisation = form.cleaned_data["source_organisation"] if coordinator else own_organisation
        channel = form.cleaned_data["channel"] if coordinator else Channel.WEB_FORM
        try:
            submission = services.submit_signal(
                form.signal_input(), organisation=organisation, channel=channel,
                submitted_by=request.user,
            )
        except services.SpecialCategoryFlagged as flagged:
            form.flagged_terms = flagged.terms
            form.add_error(None, flagged)
        except ValidationError as error:
            apply_errors(form, error, form.field_map)
        else:
            request.session[JUST_SUBMITTED] = submission.signal.reference  # the receipt shows what was sent
            return redirect("intake:my_signal", reference=submission.signal.reference)
    return render(request, "intake/signal_form.html", {"form": form, "coordinator": coordinator})


@roles_required(Role.PARTNER, Role.COORDINATOR)
@require_GET
def my_signals(request: HttpRequest) -> HttpResponse:
    pages = paginate(request, Signal.objects.submitted_by_user(request.user).order_by("-received_at", "-pk"))
    return render(request, "intake/my_signals.html", {"signals": pages["page"].object_list, **pages})


@roles_required(Role.PARTNER, Role.COORDINATOR)
@require_GET
def my_signal(request: HttpRequest, reference: str) -> HttpResponse:
    """The submitter's receipt: reference, date, status; never the handling."""
    signal = Signal.objects.submitted_by_user(request.user).filter(reference=reference).first()
    if signal is None:
        raise Http404
    # Right after sending the submitter sees, once, what they themselves sent; later only the status.
    just_sent = request.session.get(JUST_SUBMITTED) == signal.reference
    if just_sent:
        del request.session[JUST_SUBMITTED]
    if just_sent:
        record_view(signal, actor=request.user, purpose="receipt of own signal")
    return render(request, "intake/my_signal.html", {"signal": signal, "just_sent": just_sent})
