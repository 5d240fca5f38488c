"""Pages of penalty cases. Mounted under /enforcement/ beside the registry pages, so old addresses keep working."""

from django.urls import path

from fazhi.cases import views

app_name = "cases"

urlpatterns = [
    path("cases/", views.case_list_view, name="case_list"),
    path("cases/new/", views.case_create_view, name="case_create"),
    path("cases/import/", views.case_import_view, name="case_import"),
    path("cases/compliance/", views.case_compliance_view, name="compliance"),
    path("cases/warnings/", views.case_warning_list_view, name="warning_list"),
    path("cases/warnings/check-all/", views.case_check_all_view, name="check_all"),
    path("cases/<int:pk>/", views.case_detail_view, name="case_detail"),
    path("cases/<int:pk>/edit/", views.case_edit_view, name="case_edit"),
    path("cases/<int:pk>/advance/<slug:stage>/", views.case_advance_view, name="case_advance"),
    path("cases/<int:pk>/extensions/", views.case_extend_view, name="case_extend"),
    path("disclosures/<int:pk>/withdraw/", views.disclosure_withdraw_view, name="disclosure_withdraw"),
]
