"""Pages of 法治督察 (/assessment/oversight/)."""

from django.urls import path

from fazhi.assessment.oversight import views

app_name = "oversight"

urlpatterns = [
    path("campaigns/", views.campaign_list_view, name="campaign_list"),
    path("campaigns/new/", views.campaign_create_view, name="campaign_create"),
    path("campaigns/import-template/", views.problem_import_template_view, name="problem_import_template"),
    path("campaigns/<int:pk>/", views.campaign_detail_view, name="campaign_detail"),
    path("campaigns/<int:pk>/problems/", views.problem_add_view, name="problem_add"),
    path("campaigns/<int:pk>/import/", views.problem_import_view, name="problem_import"),
    path("campaigns/<int:pk>/close/", views.campaign_close_view, name="campaign_close"),
    path("problems/", views.problem_list_view, name="problem_list"),
    path("problems/<int:pk>/", views.problem_detail_view, name="problem_detail"),
    path("problems/<int:pk>/plan/", views.problem_plan_view, name="problem_plan"),
    path("problems/<int:pk>/report/", views.problem_report_view, name="problem_report"),
    path("problems/<int:pk>/signoff/", views.problem_signoff_view, name="problem_signoff"),
    path("problems/<int:pk>/return/", views.problem_return_view, name="problem_return"),
    path("problems/<int:pk>/links/", views.problem_link_view, name="problem_link"),
    path("problems/<int:pk>/clues/", views.problem_clue_view, name="problem_clue"),
    path("problems/<int:pk>/files/<int:attachment_pk>/", views.problem_file_view, name="problem_file"),
    path("clues/<int:pk>/feedback/", views.clue_feedback_view, name="clue_feedback"),
]
