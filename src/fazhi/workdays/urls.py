from django.urls import path

from fazhi.workdays import views

app_name = "workdays"

urlpatterns = [
    path("calculator/", views.calculator_view, name="calculator"),
    path("calendar/", views.override_list_view, name="override_list"),
    path("calendar/overrides/new/", views.override_create_view, name="override_create"),
    path("calendar/overrides/<int:pk>/edit/", views.override_edit_view, name="override_edit"),
    path("calendar/overrides/<int:pk>/delete/", views.override_delete_view, name="override_delete"),
    path("calendar/year/", views.calendar_year_view, name="year_save"),
]
