"""Pages of 特邀行政执法监督员 (/supervision/invited/)."""

from django.urls import path

from fazhi.supervision.supervisors import views as v

app_name = "supervisors"

urlpatterns = [
    path("mine/", v.mine_view, name="mine"),
    path("mine/record/", v.mine_record_view, name="mine_record"),
    path("mine/submit/", v.mine_submit_view, name="mine_submit"),
    path("campaigns/", v.campaign_list_view, name="campaign_list"),
    path("campaigns/new/", v.campaign_create_view, name="campaign_create"),
    path("campaigns/<int:pk>/", v.campaign_detail_view, name="campaign_detail"),
    path("campaigns/<int:pk>/edit/", v.campaign_edit_view, name="campaign_edit"),
    path("campaigns/<int:pk>/applications/new/", v.application_enter_view, name="application_enter"),
    path("campaigns/<int:pk>/documents/<int:document_pk>/", v.campaign_document_view, name="campaign_document"),
    path("campaigns/<int:pk>/<slug:action>/", v.campaign_action_view, name="campaign_action"),
    path("applications/", v.application_list_view, name="application_list"),
    path("applications/<int:pk>/", v.application_detail_view, name="application_detail"),
    path(
        "applications/<int:pk>/attachments/<int:attachment_pk>/",
        v.application_attachment_view,
        name="application_attachment",
    ),
    path(
        "applications/<int:pk>/documents/<int:document_pk>/", v.application_document_view, name="application_document"
    ),
    path("applications/<int:pk>/<slug:action>/", v.application_action_view, name="application_action"),
    path("objections/", v.objection_list_view, name="objection_list"),
    path("objections/<int:pk>/", v.objection_detail_view, name="objection_detail"),
    path("supervisors/", v.supervisor_list_view, name="supervisor_list"),
    path("supervisors/<int:pk>/", v.supervisor_detail_view, name="supervisor_detail"),
    path("supervisors/<int:pk>/account/", v.supervisor_account_view, name="supervisor_account"),
    path("supervisors/<int:pk>/documents/<int:document_pk>/", v.supervisor_document_view, name="supervisor_document"),
    path("supervisors/<int:pk>/<slug:action>/", v.supervisor_action_view, name="supervisor_action"),
    path("duties/", v.duty_list_view, name="duty_list"),
    path("duties/new/", v.duty_assign_view, name="duty_assign"),
    path("duties/<int:pk>/", v.duty_detail_view, name="duty_detail"),
    path("duties/<int:pk>/attachments/<int:attachment_pk>/", v.duty_attachment_view, name="duty_attachment"),
    path("duties/<int:pk>/<slug:action>/", v.duty_action_view, name="duty_action"),
    path("submissions/", v.submission_list_view, name="submission_list"),
    path("submissions/<int:pk>/", v.submission_detail_view, name="submission_detail"),
    path(
        "submissions/<int:pk>/attachments/<int:attachment_pk>/",
        v.submission_attachment_view,
        name="submission_attachment",
    ),
    path("trainings/", v.training_list_view, name="training_list"),
    path("trainings/new/", v.training_create_view, name="training_create"),
    path("trainings/<int:pk>/", v.training_detail_view, name="training_detail"),
    path("ledger/", v.ledger_view, name="ledger"),
]
