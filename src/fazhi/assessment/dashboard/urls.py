"""Pages of 领导驾驶舱 (/assessment/dashboard/)."""

from django.urls import path

from fazhi.assessment.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("", views.home_view, name="home"),
    path("red/", views.red_list_view, name="red_list"),
]
