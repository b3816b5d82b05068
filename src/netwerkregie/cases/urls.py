from django.urls import path

from netwerkregie.cases import calendar_views, minutes_views, views

app_name = "cases"

urlpatterns = [
    path("cases/", views.dashboard, name="dashboard"),
    path("cases/all/", views.case_list, name="case_list"),
    path("cases/new/", views.case_new, name="case_new"),
    path("cases/emergency-access/", views.emergency_access, name="emergency_access"),
    path("cases/<str:reference>/", views.case_detail, name="case_detail"),
    path("cases/<str:reference>/person/", views.case_person, name="case_person"),
    path("cases/<str:reference>/team/", views.member_add, name="member_add"),
    path("cases/<str:reference>/team/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("cases/<str:reference>/plan/", views.plan_edit, name="plan_edit"),
    path("cases/<str:reference>/plan/history/", views.plan_history, name="plan_history"),
    path("cases/<str:reference>/review/", views.review_new, name="review_new"),
    path("cases/<str:reference>/duties/", views.duties, name="duties"),
    path("cases/<str:reference>/close/", views.case_close, name="case_close"),
    path("cases/<str:reference>/justify/", views.case_justify, name="case_justify"),
    path("case-consultations/", views.consultation_list, name="consultation_list"),
    path("case-consultations/new/", views.consultation_new, name="consultation_new"),
    path("case-consultations/<int:pk>/", views.consultation_detail, name="consultation_detail"),
    path("case-consultations/<int:pk>/calendar.ics", calendar_views.consultation_calendar,
         name="consultation_calendar"),
    path("case-consultations/<int:pk>/schedule/", calendar_views.consultation_schedule, name="consultation_schedule"),
    path("case-consultations/<int:pk>/agenda/", views.agenda_add, name="agenda_add"),
    path("case-consultations/<int:pk>/items/<int:item_pk>/", views.agenda_item, name="agenda_item"),
    path("case-consultations/<int:pk>/items/<int:item_pk>/establish/", minutes_views.minutes_establish,
         name="minutes_establish"),
    path("case-consultations/<int:pk>/items/<int:item_pk>/correct/", minutes_views.minutes_correct,
         name="minutes_correct"),
    path("case-consultations/<int:pk>/items/<int:item_pk>/versions/", minutes_views.minutes_history,
         name="minutes_history"),
    path("case-consultations/<int:pk>/minutes.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("case-actions/<int:pk>/done/", views.action_done, name="action_done"),
]
