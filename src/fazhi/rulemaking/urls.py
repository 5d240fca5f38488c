from django.urls import path

from fazhi.rulemaking import views

app_name = "rulemaking"

urlpatterns = [
    path("catalogues/", views.catalogue_list_view, name="catalogue_list"),
    path("catalogues/new/", views.catalogue_create_view, name="catalogue_create"),
    path("catalogues/<int:pk>/", views.catalogue_detail_view, name="catalogue_detail"),
    path("catalogues/<int:pk>/<slug:action>/", views.catalogue_action_view, name="catalogue_action"),
    path("decisions/", views.decision_list_view, name="decision_list"),
    path("decisions/new/", views.decision_create_view, name="decision_create"),
    path("decisions/<int:pk>/", views.decision_detail_view, name="decision_detail"),
    path("decisions/<int:pk>/file/", views.decision_file_view, name="decision_file"),
    path("decisions/<int:pk>/step/<slug:step>/", views.decision_step_view, name="decision_step"),
    path("documents/<int:pk>/", views.document_download_view, name="document_download"),
    path("normative/", views.normative_list_view, name="normative_list"),
    path("normative/new/", views.normative_create_view, name="normative_create"),
    path("normative/stats/", views.filing_stats_view, name="filing_stats"),
    path("normative/<int:pk>/", views.normative_detail_view, name="normative_detail"),
    path("normative/<int:pk>/<slug:action>/", views.normative_action_view, name="normative_action"),
    path("cleanups/", views.cleanup_list_view, name="cleanup_list"),
    path("cleanups/new/", views.cleanup_create_view, name="cleanup_create"),
    path("cleanups/<int:pk>/", views.cleanup_detail_view, name="cleanup_detail"),
    path("cleanups/<int:pk>/<slug:action>/", views.cleanup_action_view, name="cleanup_action"),
    path("incidental/", views.incidental_list_view, name="incidental_list"),
    path("incidental/new/", views.incidental_create_view, name="incidental_create"),
    path("incidental/<int:pk>/", views.incidental_detail_view, name="incidental_detail"),
    path("incidental/<int:pk>/<slug:action>/", views.incidental_action_view, name="incidental_action"),
]
