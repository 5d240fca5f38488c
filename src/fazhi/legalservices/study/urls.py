"""Pages of 学法用法 (/legalservices/study/)."""

from django.urls import path

from fazhi.legalservices.study import views

app_name = "study"

urlpatterns = [
    path("", views.my_exams_view, name="my_exams"),
    path("papers/<int:pk>/", views.paper_view, name="paper"),
    path("papers/<int:pk>/start/", views.paper_start_view, name="paper_start"),
    path("papers/<int:pk>/answer/", views.paper_answer_view, name="paper_answer"),
    path("papers/<int:pk>/submit/", views.paper_submit_view, name="paper_submit"),
    path("exams/", views.exam_list_view, name="exam_list"),
    path("exams/new/", views.exam_create_view, name="exam_create"),
    path("exams/<int:pk>/", views.exam_detail_view, name="exam_detail"),
    path("exams/<int:pk>/enrol/", views.exam_enrol_view, name="exam_enrol"),
    path("exams/<int:pk>/open/", views.exam_open_view, name="exam_open"),
    path("exams/<int:pk>/close/", views.exam_close_view, name="exam_close"),
    path("questions/", views.question_list_view, name="question_list"),
    path("questions/new/", views.question_create_view, name="question_create"),
    path("questions/<int:pk>/", views.question_detail_view, name="question_detail"),
    path("questions/<int:pk>/active/", views.question_active_view, name="question_active"),
    path("sessions/", views.session_list_view, name="session_list"),
    path("sessions/new/", views.session_create_view, name="session_create"),
    path("reports/", views.report_list_view, name="report_list"),
    path("reports/new/", views.report_create_view, name="report_create"),
    path("reports/<int:pk>/", views.report_detail_view, name="report_detail"),
    path("reports/<int:pk>/upload/", views.report_upload_view, name="report_upload"),
    path("reports/<int:pk>/file/", views.report_file_view, name="report_file"),
]
