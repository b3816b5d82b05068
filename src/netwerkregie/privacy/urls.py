from django.urls import path

from netwerkregie.privacy import views

app_name = "privacy"

urlpatterns = [
    path("privacy/", views.overview, name="overview"),
    path("privacy/access-review/", views.access_review, name="access_review"),
    path("privacy/emergency-access/<int:pk>/review/", views.emergency_review, name="emergency_review"),
    path("privacy/person-audit/", views.person_audit, name="person_audit"),
    path("privacy/requests/", views.requests, name="requests"),
    path("privacy/requests/<int:pk>/", views.request_detail, name="request_detail"),
    path("privacy/requests/<int:pk>/export.json", views.export_json, name="export_json"),
    path("privacy/requests/<int:pk>/export.pdf", views.export_pdf, name="export_pdf"),
    path("privacy/register/", views.processing_register, name="register"),
    path("privacy/audit-verification/", views.verification, name="verification"),
    path("privacy/audit-verification/request/", views.verify_now, name="verify_now"),
]
