from django.urls import path

from fazhi.tracking import views

app_name = "tracking"

urlpatterns = [
    path("", views.inbox_view, name="inbox"),
]
