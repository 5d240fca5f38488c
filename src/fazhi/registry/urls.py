"""Pages of the registry. Mounted under /enforcement/ beside the case pages, so old addresses keep working."""

from django.urls import path

from fazhi.registry import views

app_name = "registry"

urlpatterns = [
    path("agencies/", views.agency_list_view, name="agency_list"),
    path("agencies/new/", views.agency_edit_view, name="agency_create"),
    path("agencies/<int:pk>/", views.agency_detail_view, name="agency_detail"),
    path("agencies/<int:pk>/edit/", views.agency_edit_view, name="agency_edit"),
    path("agencies/<int:agency_pk>/list-entries/new/", views.list_entry_create_view, name="list_entry_create"),
    path("power-items/", views.power_item_list_view, name="power_item_list"),
    path("power-items/new/", views.power_item_edit_view, name="power_item_create"),
    path("power-items/<int:pk>/", views.power_item_detail_view, name="power_item_detail"),
    path("power-items/<int:pk>/edit/", views.power_item_edit_view, name="power_item_edit"),
    path("officers/", views.officer_list_view, name="officer_list"),
    path("officers/new/", views.officer_edit_view, name="officer_create"),
    path("officers/<int:pk>/", views.officer_detail_view, name="officer_detail"),
    path("officers/<int:pk>/edit/", views.officer_edit_view, name="officer_edit"),
    path("officers/<int:pk>/certificates/new/", views.certificate_create_view, name="certificate_create"),
    path(
        "officers/<int:pk>/certificates/<int:cert_pk>/status/", views.certificate_status_view, name="certificate_status"
    ),
    path("officers/<int:pk>/training/new/", views.training_create_view, name="training_create"),
    path("registry-import/<slug:key>/", views.registry_import_view, name="registry_import"),
    path("registry-import/<slug:key>/confirm/", views.registry_import_confirm_view, name="registry_import_confirm"),
    path("registry-import/<slug:key>/template/", views.registry_import_template_view, name="registry_import_template"),
    path(
        "registry-import/<slug:key>/<str:token>/errors/",
        views.registry_import_errors_view,
        name="registry_import_errors",
    ),
]
