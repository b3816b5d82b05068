from django.urls import path

from netwerkregie.reports import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.index, name="index"),
    path("reports/figures.csv", views.export_csv, name="export_csv"),
    path("reports/figures.pdf", views.export_pdf, name="export_pdf"),
]
