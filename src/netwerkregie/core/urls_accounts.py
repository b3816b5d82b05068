from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path, reverse_lazy

from netwerkregie.core import accounts, oidc
from netwerkregie.core.forms import PasswordResetForm
from netwerkregie.core.middleware import mfa_not_required

app_name = "accounts"

urlpatterns = [
    path("login/", accounts.LoginView.as_view(), name="login"),
    path("oidc/start/", login_not_required(mfa_not_required(oidc.SignInStart.as_view())), name="oidc_start"),
    path("oidc/callback/", login_not_required(mfa_not_required(oidc.SignInCallback.as_view())), name="oidc_callback"),
    path("logout/", mfa_not_required(oidc.SignOut.as_view()), name="logout"),
    path("mfa/", accounts.mfa_verify, name="mfa_verify"),
    path("mfa/setup/", accounts.mfa_setup, name="mfa_setup"),
    path("mfa/backup-codes/", accounts.backup_codes, name="backup_codes"),
    path("invitation/<uidb64>/<token>/", accounts.InvitationView.as_view(), name="invitation"),
    path("", accounts.account, name="account"),
    path("password/", accounts.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html"),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        auth_views.PasswordResetView.as_view(
            form_class=PasswordResetForm,
            template_name="accounts/password_reset.html",
            email_template_name="accounts/password_reset_email.txt",
            subject_template_name="accounts/password_reset_subject.txt",
            success_url=reverse_lazy("accounts:password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
]
