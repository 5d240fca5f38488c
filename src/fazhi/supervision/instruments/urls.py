"""Pages of 监督文书 (/supervision/instruments/)."""

from django.urls import path

from fazhi.supervision.instruments import views

app_name = "instruments"

urlpatterns = [
    path("", views.instrument_list_view, name="instrument_list"),
    path("new/", views.instrument_create_view, name="instrument_create"),
    path("stats/", views.stats_view, name="stats"),
    path("risks/", views.risk_list_view, name="risk_list"),
    path("risks/scan/", views.risk_scan_view, name="risk_scan"),
    path("risks/<int:pk>/draft/", views.risk_draft_view, name="risk_draft"),
    path("risks/<int:pk>/dismiss/", views.risk_dismiss_view, name="risk_dismiss"),
    path("<int:pk>/", views.instrument_detail_view, name="instrument_detail"),
    path("<int:pk>/edit/", views.instrument_edit_view, name="instrument_edit"),
    path("<int:pk>/issue/", views.instrument_issue_view, name="instrument_issue"),
    path("<int:pk>/discard/", views.instrument_discard_view, name="instrument_discard"),
    path("<int:pk>/bases/add/", views.instrument_basis_add_view, name="instrument_basis_add"),
    path("<int:pk>/bases/remove/", views.instrument_basis_remove_view, name="instrument_basis_remove"),
    path("<int:pk>/acknowledge/", views.instrument_acknowledge_view, name="instrument_acknowledge"),
    path("<int:pk>/reply/", views.instrument_reply_view, name="instrument_reply"),
    path("<int:pk>/accept/", views.instrument_accept_view, name="instrument_accept"),
    path("<int:pk>/return/", views.instrument_return_view, name="instrument_return"),
    path("<int:pk>/interview/", views.instrument_interview_view, name="instrument_interview"),
    path("<int:pk>/files/<int:attachment_pk>/", views.instrument_file_view, name="instrument_file"),
]
