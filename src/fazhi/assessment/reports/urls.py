"""Pages of 通报与年度报告 (/assessment/reports/)."""

from django.urls import path

from fazhi.assessment.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list_view, name="report_list"),
    path("bulletins/new/", views.bulletin_generate_view, name="bulletin_generate"),
    path("annual/new/", views.annual_generate_view, name="annual_generate"),
    path("<int:pk>/", views.report_detail_view, name="report_detail"),
    path("<int:pk>/sections/", views.section_edit_view, name="section_edit"),
    path("<int:pk>/regenerate/", views.report_regenerate_view, name="report_regenerate"),
    path("<int:pk>/submit/", views.report_submit_view, name="report_submit"),
    path("<int:pk>/approve/", views.report_approve_view, name="report_approve"),
    path("<int:pk>/return/", views.report_return_view, name="report_return"),
    path("<int:pk>/publish/", views.report_publish_view, name="report_publish"),
    path("<int:pk>/document/", views.report_document_view, name="report_document"),
    path("<int:pk>/pdf/", views.report_pdf_view, name="report_pdf"),
    path("<int:pk>/figures/<int:figure_pk>/", views.figure_records_view, name="figure_records"),
]
