from django.urls import path

from fazhi.workdays import views

app_name = "workdays"

urlpatterns = [
    path("calculator/", views.calculator_view, name="calculator"),
    path("calendar/", views.override_list_view, name="override_list"),
]
