"""Signing in and out, the second factor, passwords and invitations (under ``accounts/``), and the
administrator's pages for accounts and role grants."""

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path, reverse_lazy

from netwerkregie.accounts import oidc, sign_in, views
from netwerkregie.accounts.forms import PasswordResetForm
from netwerkregie.core.middleware import mfa_not_required

app_name = "accounts"

urlpatterns = [
    path("accounts/login/", sign_in.LoginView.as_view(), name="login"),
    path("accounts/oidc/start/", login_not_required(mfa_not_required(oidc.SignInStart.as_view())), name="oidc_start"),
    path("accounts/oidc/callback/", login_not_required(mfa_not_required(oidc.SignInCallback.as_view())),
         name="oidc_callback"),
    path("accounts/logout/", mfa_not_required(oidc.SignOut.as_view()), name="logout"),
    path("accounts/mfa/", sign_in.mfa_verify, name="mfa_verify"),
    path("accounts/mfa/setup/", sign_in.mfa_setup, name="mfa_setup"),
    path("accounts/mfa/backup-codes/", sign_in.backup_codes, name="backup_codes"),
    path("accounts/invitation/<uidb64>/<token>/", sign_in.InvitationView.as_view(), name="invitation"),
    path("accounts/", sign_in.account, name="account"),
    path("accounts/password/", sign_in.PasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html"),
        name="password_change_done",
    ),
    path(
        "accounts/password/reset/",
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
        "accounts/password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "accounts/password/reset/<uidb64>/<token>/",
        sign_in.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    # The administrator's pages (their addresses are Dutch, as they always were).
    path("beheer/gebruikers/", views.user_list, name="user_list"),
    path("beheer/gebruikers/nieuw/", views.user_new, name="user_new"),
    path("beheer/gebruikers/<int:pk>/", views.user_edit, name="user_edit"),
    path("beheer/gebruikers/<int:pk>/uitnodigen/", views.user_invite, name="user_invite"),
    path("beheer/gebruikers/<int:pk>/deblokkeren/", views.user_unlock, name="user_unlock"),
    path("beheer/gebruikers/<int:pk>/tweede-factor-herstellen/", views.user_reset_second_factor,
         name="user_reset_second_factor"),
    path("beheer/roltoekenningen/", views.role_grant_list, name="role_grant_list"),
    path("beheer/roltoekenningen/<int:pk>/", views.role_grant_detail, name="role_grant_detail"),
]
