from django.urls import path

from netwerkregie.search import views

app_name = "search"

urlpatterns = [
    path("search/", views.index, name="index"),
    path("persons/<str:pseudonym>/merge/", views.merge, name="merge"),
    path("persons/<str:pseudonym>/remove/", views.remove, name="remove"),
]
