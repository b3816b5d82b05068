from django.urls import path

from netwerkregie.core import views

app_name = "core"

urlpatterns = [
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/verify/", views.audit_verify, name="audit_verify"),
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
