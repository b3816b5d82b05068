from django.urls import path

from netwerkregie.catalogues import views

app_name = "catalogues"

urlpatterns = [
    path("catalogues/", views.index, name="index"),
    path("catalogues/<slug:key>/new/", views.edit, name="new"),
    path("catalogues/<slug:key>/<int:pk>/", views.edit, name="edit"),
]
