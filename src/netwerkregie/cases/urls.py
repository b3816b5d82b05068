from django.urls import path

from netwerkregie.cases import calendar_views, minutes_views
from netwerkregie.cases.views import case_file, closure, consultation, emergency, plan

app_name = "cases"

urlpatterns = [
    path("cases/", case_file.dashboard, name="dashboard"),
    path("cases/all/", case_file.case_list, name="case_list"),
    path("cases/new/", case_file.case_new, name="case_new"),
    path("cases/emergency-access/", emergency.emergency_access, name="emergency_access"),
    path("cases/<str:reference>/", case_file.case_detail, name="case_detail"),
    path("cases/<str:reference>/person/", case_file.case_person, name="case_person"),
    path("cases/<str:reference>/team/", case_file.member_add, name="member_add"),
    path("cases/<str:reference>/team/<int:pk>/remove/", case_file.member_remove, name="member_remove"),
    path("cases/<str:reference>/plan/", plan.plan_edit, name="plan_edit"),
    path("cases/<str:reference>/plan/history/", plan.plan_history, name="plan_history"),
    path("cases/<str:reference>/review/", closure.review_new, name="review_new"),
    path("cases/<str:reference>/review/plan/", closure.review_plan, name="review_plan"),
    path("cases/<str:reference>/duties/", case_file.duties, name="duties"),
    path("cases/<str:reference>/close/", closure.case_close, name="case_close"),
    path("cases/<str:reference>/justify/", closure.case_justify, name="case_justify"),
    path("case-consultations/", consultation.consultation_list, name="consultation_list"),
    path("case-consultations/new/", consultation.consultation_new, name="consultation_new"),
    path("case-consultations/<int:pk>/", consultation.consultation_detail, name="consultation_detail"),
    path("case-consultations/<int:pk>/calendar.ics", calendar_views.consultation_calendar,
         name="consultation_calendar"),
    path("case-consultations/<int:pk>/schedule/", calendar_views.consultation_schedule, name="consultation_schedule"),
    path("case-consultations/<int:pk>/agenda/", consultation.agenda_add, name="agenda_add"),
    path("case-consultations/<int:pk>/items/<int:item_pk>/", consultation.agenda_item, name="agenda_item"),
    path("case-consultations/<int:pk>/items/<int:item_pk>/establish/", minutes_views.minutes_establish,
         name="minutes_establish"),
    path("case-consultations/<int:pk>/items/<int:item_pk>/correct/", minutes_views.minutes_correct,
         name="minutes_correct"),
    path("case-consultations/<int:pk>/items/<int:item_pk>/versions/", minutes_views.minutes_history,
         name="minutes_history"),
    path("case-consultations/<int:pk>/minutes.pdf", consultation.minutes_pdf, name="minutes_pdf"),
    path("case-actions/<int:pk>/done/", consultation.action_done, name="action_done"),
]
