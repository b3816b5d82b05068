"""Signing in, the second factor, password reset and the administration of accounts and role grants."""

import re
from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.utils.translation import gettext_lazy as _

from netwerkregie.core.limits import mail_allowed
from netwerkregie.core.models import User
from netwerkregie.core.roles import Role
from netwerkregie.core.second_factor import BACKUP_CODE, normalise_backup_code
from netwerkregie.core.validators import no_hidden_characters


def password_sign_in_allowed(user: Any) -> bool:
    """Holders of a role in LOCAL_PASSWORD_DISABLED_ROLES sign in through the identity provider only."""
    return not (set(user.roles) & set(settings.LOCAL_PASSWORD_DISABLED_ROLES))


class EmailAuthenticationForm(AuthenticationForm):
    error_messages = {  # Django's own says both fields may be case-sensitive; the e-mail address is not
        **AuthenticationForm.error_messages,
        "invalid_login": _("The e-mail address or the password is not right. Capitals matter in the password, "
                           "not in the e-mail address."),
    }
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autocomplete": "username", "autofocus": True}),
    )

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if not password_sign_in_allowed(user):
            raise forms.ValidationError(
                _("Your work is signed in through the identity provider, not with a password: use the button above."),
                code="use_provider")


class PasswordResetForm(DjangoPasswordResetForm):
    """No reset link for accounts that may not sign in with a password, and no more than the limits allow
    (``core.limits``); the page after it reads the same whatever happened."""

    def get_users(self, email: str) -> Any:
        return (user for user in super().get_users(email) if password_sign_in_allowed(user))

    def save(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        if settings.SITE_URL:  # the link names the site itself, never the Host header whoever asked sent along
            site = urlsplit(settings.SITE_URL)
            kwargs.update(domain_override=site.netloc, use_https=site.scheme == "https")
        if mail_allowed("password_reset", email=self.cleaned_data["email"], request=request):
            super().save(*args, request=request, **kwargs)


class TokenForm(forms.Form):
    token = forms.RegexField(
        label=_("Six-digit code from your authenticator app"),
        regex=r"^\s*\d{6}\s*$",
        error_messages={"invalid": _("Enter the six digits shown in your authenticator app.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )

    def clean_token(self) -> str:
        return str(self.cleaned_data["token"]).strip()


class SecondStepForm(forms.Form):
    """The second step at sign-in: the six digits from the authenticator app, or one of the backup codes."""

    token = forms.CharField(
        label=_("Six-digit code from your authenticator app, or a backup code"),
        max_length=40,
        error_messages={"required": _("Enter the six digits shown in your authenticator app, or a backup code.")},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false",
                                      "autocapitalize": "characters"}),
    )

    def clean_token(self) -> str:
        token = str(self.cleaned_data["token"]).strip()
        if re.fullmatch(r"\d{6}", token):
            return token
        code = normalise_backup_code(token)
        if BACKUP_CODE.fullmatch(code):
            return code
        raise forms.ValidationError(_("Enter the six digits shown in your authenticator app, or a backup code of "
                                      "ten letters and digits (the dash may be left out)."), code="invalid")

    @property
    def is_backup_code(self) -> bool:
        return not re.fullmatch(r"\d{6}", self.cleaned_data["token"])


class UserForm(forms.Form):
    """An account as the administrator manages it; passwords are never part of it."""

    full_name = forms.CharField(label=_("Name"), max_length=150, validators=[no_hidden_characters])
    email = forms.EmailField(label=_("E-mail address"), max_length=254,
                             help_text=_("The invitation goes to this address; it is also the sign-in name."))
    organisation = forms.ModelChoiceField(label=_("Organisation"), required=False, queryset=None, empty_label="—",
                                          help_text=_("Required for partners and core partners."))
    roles = forms.MultipleChoiceField(label=_("Roles"), choices=Role.choices, widget=forms.CheckboxSelectMultiple,
                                      help_text=_("Give only what the work needs. Every role that sees personal "
                                                  "data signs in with a second factor."))
    oidc_subject = forms.CharField(
        label=_("Identifier at the identity provider"), required=False, max_length=255,
        help_text=_("The stable identifier of this person's work account (Entra ID: object ID; Keycloak: user ID). "
                    "Signing in through the identity provider finds the account by it, never by e-mail address."))
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True,
                                   help_text=_("Switching this off ends the person's sessions at once; nothing "
                                               "they recorded is deleted."))

    def __init__(self, *args: Any, editing: bool = False, own: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The organisations of the network register, by the user's relation to them (accounts sit below network).
        organisations = User._meta.get_field("organisation").related_model._default_manager
        self.fields["organisation"].queryset = organisations.filter(is_active=True).order_by("name")
        self.fields["roles"].help_text = _(
            "Give only what the work needs. Every role that sees personal data signs in with a second factor. "
            "A role that sees personal data or oversees others (network coordinator, core partner, case manager, "
            "data protection officer, receiving organisation, administrator) takes effect only when another "
            "administrator or the data protection officer confirms it; taking a role away takes effect at once.")
        if own:  # nobody changes their own roles (the service refuses it too): the page shows them as facts
            del self.fields["roles"]
        if not editing:
            del self.fields["is_active"]
        if not settings.OIDC_ENABLED:
            del self.fields["oidc_subject"]


class GrantDecisionForm(forms.Form):
    reason = forms.CharField(label=_("Reason (required when you refuse)"), required=False, max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("The administrator who asked reads it."))
