from django.urls import path

from netwerkregie.sharing import approval_views, views

app_name = "sharing"

urlpatterns = [
    path("cases/<str:reference>/refer/", views.refer_case, name="refer_case"),
    path("signals/<str:reference>/refer/", views.refer_signal, name="refer_signal"),
    path("referrals/sent/<str:reference>/withdraw/", views.withdraw, name="withdraw"),
    path("referrals/", views.inbox, name="inbox"),
    path("referrals/<str:reference>/", views.received, name="received"),
    path("referrals/<str:reference>/accept/", views.accept, name="accept"),
    path("referrals/<str:reference>/decline/", views.decline, name="decline"),
    path("referrals/<str:reference>/report/", views.report_back, name="report_back"),
    path("approvals/", views.approval_list, name="approval_list"),
    path("approvals/<int:pk>/", views.approval_detail, name="approval_detail"),
    path("approvals/<int:pk>/case/", approval_views.approved_case, name="approved_case"),
    path("privacy/disclosures/", views.ledger, name="ledger"),
]
