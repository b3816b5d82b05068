from django.urls import path

from netwerkregie.network import views

app_name = "network"

urlpatterns = [
    path("network/", views.overview, name="overview"),
    path("network/partners/", views.organisation_list, name="organisation_list"),
    path("network/partners/new/", views.organisation_edit, name="organisation_new"),
    path("network/partners/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("network/partners/<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path("network/contacts/<int:pk>/edit/", views.contact_edit, name="contact_edit"),
    path("network/partners/<int:pk>/accounts/new/", views.partner_invite, name="partner_invite"),
    path("network/accounts/<int:pk>/invite/", views.partner_reinvite, name="partner_reinvite"),
    path("network/accounts/<int:pk>/switch-off/", views.partner_switch_off, name="partner_switch_off"),
    path("network/neighbourhoods/", views.neighbourhood_list, name="neighbourhood_list"),
    path("network/neighbourhoods/<int:pk>/edit/", views.neighbourhood_edit, name="neighbourhood_edit"),
    path("network/partners/<int:pk>/contacts/new/", views.contact_new, name="contact_new"),
    path("network/covenants/", views.covenant_list, name="covenant_list"),
    path("network/covenants/new/", views.covenant_new, name="covenant_new"),
    path("network/covenants/<int:pk>/edit/", views.covenant_edit, name="covenant_edit"),
    path("network/covenants/<int:pk>/document/", views.covenant_document, name="covenant_document"),
    path("network/contact-moments/", views.contact_moment_list, name="contact_moment_list"),
    path("network/contact-moments/new/", views.contact_moment_new, name="contact_moment_new"),
    path("network/contact-moments/<int:pk>/done/", views.follow_up_done, name="follow_up_done"),
]
