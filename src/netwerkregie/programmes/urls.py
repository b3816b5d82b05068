from django.urls import path

from netwerkregie.programmes import views

app_name = "programmes"

urlpatterns = [
    path("programmes/", views.activity_list, name="activity_list"),
    path("programmes/new/", views.activity_edit, name="activity_new"),
    path("programmes/<int:pk>/", views.activity_detail, name="activity_detail"),
    path("programmes/<int:pk>/edit/", views.activity_edit, name="activity_edit"),
    path("budget/", views.budget, name="budget"),
    path("budget/new/", views.budget_new, name="budget_new"),
    path("budget/expenses/new/", views.expense_new, name="expense_new"),
    path("budget/export.csv", views.budget_csv, name="budget_csv"),
    path("programmes/reach.csv", views.reach_csv, name="reach_csv"),
]
