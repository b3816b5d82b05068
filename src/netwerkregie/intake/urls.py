from django.urls import path

from netwerkregie.intake import calendar_views, consultation_views, joint_views, submitter_views, views

app_name = "intake"

urlpatterns = [
    path("signals/new/", submitter_views.signal_new, name="signal_new"),
    path("signals/mine/", submitter_views.my_signals, name="my_signals"),
    path("signals/mine/<str:reference>/", submitter_views.my_signal, name="my_signal"),
    path("triage/", views.triage, name="triage"),
    path("signals/<str:reference>/", views.signal_detail, name="signal_detail"),
    path("signals/<str:reference>/person/", views.signal_link_person, name="signal_link_person"),
    path("signals/<str:reference>/agenda/", views.signal_put_on_agenda, name="signal_put_on_agenda"),
    path("signals/<str:reference>/pre-assessment/", views.signal_pre_assess, name="signal_pre_assess"),
    path("signals/<str:reference>/justify/", views.signal_justify, name="signal_justify"),
    path("persons/<str:pseudonym>/", views.person_detail, name="person_detail"),
    path("assessments/", views.session_list, name="session_list"),
    path("assessments/new/", views.session_new, name="session_new"),
    path("assessments/<int:pk>/", views.session_detail, name="session_detail"),
    path("assessments/<int:pk>/calendar.ics", calendar_views.session_calendar, name="session_calendar"),
    path("assessments/<int:pk>/schedule/", calendar_views.session_schedule, name="session_schedule"),
    path("assessments/<int:pk>/signals/<str:reference>/", joint_views.session_decide, name="session_decide"),
    path("assessments/<int:pk>/signals/<str:reference>/contribution/", joint_views.session_contribute,
         name="session_contribute"),
    path("assessments/<int:pk>/signals/<str:reference>/reveal/", joint_views.session_reveal, name="session_reveal"),
    path("consultations/", consultation_views.consultation_list, name="consultation_list"),
    path("consultations/new/", consultation_views.consultation_new, name="consultation_new"),
    path("consultations/<int:pk>/advice/", consultation_views.consultation_advice, name="consultation_advice"),
]
