from django.urls import path

from fazhi.disputes import views

app_name = "disputes"

urlpatterns = [
    path("reconsiderations/", views.reconsideration_list_view, name="reconsideration_list"),
    path("reconsiderations/new/", views.reconsideration_create_view, name="reconsideration_create"),
    path("reconsiderations/<int:pk>/", views.reconsideration_detail_view, name="reconsideration_detail"),
    path("reconsiderations/<int:pk>/events/", views.reconsideration_event_view, name="reconsideration_event"),
    path("reconsiderations/<int:pk>/hearings/", views.reconsideration_hearing_view, name="reconsideration_hearing"),
    path(
        "reconsiderations/<int:pk>/hearings/<int:hearing_pk>/record/",
        views.reconsideration_hearing_record_view,
        name="reconsideration_hearing_record",
    ),
    path("reconsiderations/<int:pk>/refer/", views.reconsideration_refer_view, name="reconsideration_refer"),
    path(
        "reconsiderations/<int:pk>/referrals/<int:referral_pk>/opinion/",
        views.referral_opinion_view,
        name="referral_opinion",
    ),
    path("reconsiderations/<int:pk>/opinions/", views.opinion_issue_view, name="opinion_issue"),
    path("reconsiderations/<int:pk>/normative/", views.normative_open_view, name="normative_open"),
    path(
        "reconsiderations/<int:pk>/particulars/",
        views.reconsideration_particulars_view,
        name="reconsideration_particulars",
    ),
    path(
        "reconsiderations/<int:pk>/link-case/", views.reconsideration_link_case_view, name="reconsideration_link_case"
    ),
    path("reconsiderations/<int:pk>/publish/", views.reconsideration_publish_view, name="reconsideration_publish"),
    path(
        "reconsiderations/<int:pk>/documents/<int:doc_pk>/",
        views.reconsideration_document_view,
        name="reconsideration_document",
    ),
    path("opinions/<int:pk>/report/", views.opinion_report_view, name="opinion_report"),
    path("normative-reviews/", views.normative_list_view, name="normative_list"),
    path("normative-reviews/<int:pk>/", views.normative_detail_view, name="normative_detail"),
    path("committees/", views.committee_list_view, name="committee_list"),
    path("committees/<int:pk>/members/", views.committee_member_view, name="committee_member"),
    path("litigations/", views.litigation_list_view, name="litigation_list"),
    path("litigations/new/", views.litigation_create_view, name="litigation_create"),
    path("litigations/<int:pk>/", views.litigation_detail_view, name="litigation_detail"),
    path("litigations/<int:pk>/act/<slug:action>/", views.litigation_action_view, name="litigation_action"),
    path(
        "litigations/<int:pk>/hearings/<int:hearing_pk>/appearance/",
        views.court_appearance_view,
        name="court_appearance",
    ),
    path("heads/", views.head_list_view, name="head_list"),
    path("heads/<int:pk>/deactivate/", views.head_deactivate_view, name="head_deactivate"),
    path("suggestions/", views.suggestion_list_view, name="suggestion_list"),
    path("suggestions/new/", views.suggestion_create_view, name="suggestion_create"),
    path("suggestions/<int:pk>/", views.suggestion_detail_view, name="suggestion_detail"),
    path("suggestions/<int:pk>/reply/", views.suggestion_reply_view, name="suggestion_reply"),
    path("attachments/<int:pk>/", views.attachment_view, name="attachment"),
    path("stats/", views.stats_view, name="stats"),
]
