"""Pages of 行政执法案卷评查 (/supervision/reviews/)."""

from django.urls import path

from fazhi.supervision.reviews import views

app_name = "reviews"

urlpatterns = [
    path("rubrics/", views.rubric_list_view, name="rubric_list"),
    path("rubrics/import/", views.rubric_import_view, name="rubric_import"),
    path("rubrics/import/template/", views.rubric_import_template_view, name="rubric_import_template"),
    path("rubrics/<int:pk>/", views.rubric_detail_view, name="rubric_detail"),
    path("rubrics/<int:pk>/version/", views.rubric_version_view, name="rubric_version"),
    path("campaigns/", views.campaign_list_view, name="campaign_list"),
    path("campaigns/new/", views.campaign_create_view, name="campaign_create"),
    path("campaigns/<int:pk>/", views.campaign_detail_view, name="campaign_detail"),
    path("campaigns/<int:pk>/summary/", views.campaign_summary_view, name="campaign_summary"),
    path("campaigns/<int:pk>/reviewers/", views.campaign_pool_view, name="campaign_pool"),
    path("campaigns/<int:pk>/documents/<int:document_id>/", views.campaign_document_view, name="campaign_document"),
    path("campaigns/<int:pk>/<slug:action>/", views.campaign_action_view, name="campaign_action"),
    path("files/", views.file_list_view, name="file_list"),
    path("files/<int:pk>/", views.file_detail_view, name="file_detail"),
    path("files/<int:pk>/sheet/", views.file_sheet_view, name="file_sheet"),
    path("files/<int:pk>/assign/", views.file_assign_view, name="file_assign"),
    path("files/<int:pk>/resolve/", views.file_resolve_view, name="file_resolve"),
    path("files/<int:pk>/documents/<int:document_id>/", views.file_document_view, name="file_document"),
    path("opinions/", views.opinion_list_view, name="opinion_list"),
    path("opinions/<int:pk>/", views.opinion_detail_view, name="opinion_detail"),
    path("opinions/<int:pk>/documents/<int:document_id>/", views.opinion_document_view, name="opinion_document"),
    path("opinions/<int:pk>/<slug:action>/", views.opinion_action_view, name="opinion_action"),
]
