"""Pages of 专项监督与责任追究 (/supervision/accountability/)."""

from django.urls import path

from fazhi.supervision.accountability import views

app_name = "accountability"

urlpatterns = [
    path("investigations/", views.investigation_list_view, name="investigation_list"),
    path("investigations/new/", views.investigation_create_view, name="investigation_create"),
    path("investigations/<int:pk>/", views.investigation_detail_view, name="investigation_detail"),
    path("investigations/<int:pk>/steps/", views.investigation_step_view, name="investigation_step"),
    path("investigations/<int:pk>/statement/", views.investigation_statement_view, name="investigation_statement"),
    path("investigations/<int:pk>/notice/", views.investigation_notice_view, name="investigation_notice"),
    path("investigations/<int:pk>/extend/", views.investigation_extend_view, name="investigation_extend"),
    path("investigations/<int:pk>/conclude/", views.investigation_conclude_view, name="investigation_conclude"),
    path("investigations/<int:pk>/referrals/", views.investigation_refer_view, name="investigation_refer"),
    path(
        "investigations/<int:pk>/documents/<int:document_pk>/",
        views.investigation_document_view,
        name="investigation_document",
    ),
    path("referrals/<int:pk>/follow-up/", views.referral_follow_up_view, name="referral_follow_up"),
    path("proposals/", views.proposal_list_view, name="proposal_list"),
    path("proposals/<int:pk>/", views.proposal_detail_view, name="proposal_detail"),
    path("proposals/<int:pk>/dismiss/", views.proposal_dismiss_view, name="proposal_dismiss"),
    path("records/", views.record_list_view, name="record_list"),
    path("records/new/", views.record_create_view, name="record_create"),
    path("records/<int:pk>/", views.record_detail_view, name="record_detail"),
    path("records/<int:pk>/decide/", views.record_decide_view, name="record_decide"),
    path("records/<int:pk>/statement/", views.record_statement_view, name="record_statement"),
    path("records/<int:pk>/notice/", views.record_notice_view, name="record_notice"),
    path("records/<int:pk>/documents/<int:document_pk>/", views.record_document_view, name="record_document"),
    path("stats/", views.stats_view, name="stats"),
    path("typical/", views.typical_list_view, name="typical_list"),
    path("typical/new/", views.typical_create_view, name="typical_create"),
    path("typical/<int:pk>/", views.typical_detail_view, name="typical_detail"),
    path("typical/<int:pk>/edit/", views.typical_edit_view, name="typical_edit"),
    path("typical/<int:pk>/publish/", views.typical_publish_view, name="typical_publish"),
    path("typical/<int:pk>/withdraw/", views.typical_withdraw_view, name="typical_withdraw"),
    path("typical/<int:pk>/documents/<int:document_pk>/", views.typical_document_view, name="typical_document"),
]
