"""Pages of 法律顾问 (/legalservices/advisers/)."""

from django.urls import path

from fazhi.legalservices.advisers import views

app_name = "advisers"

urlpatterns = [
    path("", views.adviser_list_view, name="adviser_list"),
    path("coverage/", views.coverage_view, name="coverage"),
    path("opinions/", views.opinion_list_view, name="opinion_list"),
    path("opinions/<int:pk>/", views.opinion_detail_view, name="opinion_detail"),
    path("opinions/<int:pk>/route/", views.opinion_route_view, name="opinion_route"),
    path("opinions/<int:pk>/answer/", views.opinion_answer_view, name="opinion_answer"),
    path("opinions/<int:pk>/documents/<int:doc_pk>/", views.opinion_document_view, name="opinion_document"),
    path("<int:pk>/", views.adviser_detail_view, name="adviser_detail"),
    path("<int:pk>/contracts/", views.adviser_contract_view, name="adviser_contract"),
    path("<int:pk>/contracts/<int:contract_pk>/terminate/", views.contract_terminate_view, name="contract_terminate"),
    path("<int:pk>/active/", views.adviser_active_view, name="adviser_active"),
    path("<int:pk>/edit/", views.adviser_edit_view, name="adviser_edit"),
    path("<int:pk>/services/", views.adviser_service_view, name="adviser_service"),
]
