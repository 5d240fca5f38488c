"""Pages of 调解 (/legalservices/mediation/)."""

from django.urls import path

from fazhi.legalservices.mediation import views

app_name = "mediation"

urlpatterns = [
    path("", views.case_list_view, name="case_list"),
    path("new/", views.case_create_view, name="case_create"),
    path("stats/", views.stats_view, name="stats"),
    path("stats/chart.png", views.stats_chart_view, name="stats_chart"),
    path("orgs/", views.org_list_view, name="org_list"),
    path("orgs/<int:pk>/", views.org_detail_view, name="org_detail"),
    path("orgs/<int:pk>/edit/", views.org_edit_view, name="org_edit"),
    path("orgs/<int:pk>/active/", views.org_active_view, name="org_active"),
    path("orgs/<int:pk>/mediators/<int:mediator_pk>/", views.mediator_detail_view, name="mediator_detail"),
    path("orgs/<int:pk>/mediators/<int:mediator_pk>/active/", views.mediator_active_view, name="mediator_active"),
    path("<int:pk>/", views.case_detail_view, name="case_detail"),
    path("<int:pk>/session/", views.case_session_view, name="case_session"),
    path("<int:pk>/close/", views.case_close_view, name="case_close"),
    path("<int:pk>/follow-up/", views.case_follow_up_view, name="case_follow_up"),
    path("<int:pk>/court-extend/", views.case_court_extend_view, name="case_court_extend"),
    path("<int:pk>/court-return/", views.case_court_return_view, name="case_court_return"),
    path("<int:pk>/documents/<int:doc_pk>/", views.case_document_view, name="case_document"),
]
