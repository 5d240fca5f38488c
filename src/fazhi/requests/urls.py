from django.urls import path

from fazhi.requests import views

app_name = "requests"

urlpatterns = [
    path("sessions/", views.session_list_view, name="session_list"),
    path("proposals/", views.proposal_list_view, name="proposal_list"),
    path("proposals/new/", views.proposal_create_view, name="proposal_create"),
    path("proposals/stats/", views.proposal_stats_view, name="proposal_stats"),
    path("proposals/<int:pk>/", views.proposal_detail_view, name="proposal_detail"),
    path("proposals/<int:pk>/documents/<int:document_pk>/", views.proposal_document_view, name="proposal_document"),
    path(
        "proposals/<int:pk>/units/<int:unit_pk>/<slug:action>/",
        views.proposal_unit_action_view,
        name="proposal_unit_action",
    ),
    path("proposals/<int:pk>/<slug:action>/", views.proposal_action_view, name="proposal_action"),
    path("disclosure/", views.disclosure_list_view, name="disclosure_list"),
    path("disclosure/new/", views.disclosure_create_view, name="disclosure_create"),
    path("disclosure/report/", views.disclosure_report_view, name="disclosure_report"),
    path("disclosure/<int:pk>/", views.disclosure_detail_view, name="disclosure_detail"),
    path("disclosure/<int:pk>/events/", views.disclosure_event_view, name="disclosure_event"),
    path(
        "disclosure/<int:pk>/documents/<int:document_pk>/", views.disclosure_document_view, name="disclosure_document"
    ),
]
