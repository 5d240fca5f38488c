"""Pages of 公文 (/documents/): the 发文字号 registers."""

from django.urls import path

from fazhi.documents import views

app_name = "documents"

urlpatterns = [
    path("registers/", views.register_list_view, name="register_list"),
    path("registers/new/", views.register_create_view, name="register_create"),
    path("registers/<int:pk>/", views.register_detail_view, name="register_detail"),
]
