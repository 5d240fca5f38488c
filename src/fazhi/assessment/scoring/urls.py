"""Pages of 考核评价 (/assessment/scoring/)."""

from django.urls import path

from fazhi.assessment.scoring import views

app_name = "scoring"

urlpatterns = [
    path("", views.run_list_view, name="run_list"),
    path("new/", views.run_create_view, name="run_create"),
    path("<int:pk>/", views.run_detail_view, name="run_detail"),
    path("<int:pk>/compute/", views.run_compute_view, name="run_compute"),
    path("<int:pk>/publish/", views.run_publish_view, name="run_publish"),
    path("<int:pk>/finalise/", views.run_finalise_view, name="run_finalise"),
    path("<int:pk>/notice/", views.run_notice_view, name="run_notice"),
    path("units/<int:pk>/", views.member_detail_view, name="member_detail"),
    path("scores/<int:pk>/", views.score_detail_view, name="score_detail"),
    path("scores/<int:pk>/evidence/", views.score_evidence_view, name="score_evidence"),
    path("appeals/<int:pk>/answer/", views.appeal_answer_view, name="appeal_answer"),
    path("frameworks/", views.framework_list_view, name="framework_list"),
    path("frameworks/new/", views.framework_create_view, name="framework_create"),
    path("frameworks/<int:pk>/", views.framework_detail_view, name="framework_detail"),
    path("frameworks/<int:pk>/nodes/new/", views.indicator_create_view, name="indicator_create"),
    path("nodes/<int:pk>/", views.indicator_edit_view, name="indicator_edit"),
    path("nodes/<int:pk>/delete/", views.indicator_delete_view, name="indicator_delete"),
    path("indicators/", views.source_list_view, name="source_list"),
]
