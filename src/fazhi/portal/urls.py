from django.urls import path

from fazhi.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.portal_home_view, name="home"),
    # registry
    # cases / disclosure
]
