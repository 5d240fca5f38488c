"""Pages of 普法 (/legalservices/outreach/)."""

from django.urls import path

from fazhi.legalservices.outreach import views

app_name = "outreach"

urlpatterns = [
    path("", views.list_index_view, name="list_index"),
    path("lists/<int:pk>/", views.list_detail_view, name="list_detail"),
    path("lists/<int:pk>/publish/", views.list_publish_view, name="list_publish"),
    path("lists/<int:pk>/items/<int:item_pk>/complete/", views.item_complete_view, name="item_complete"),
    path("lists/<int:pk>/items/<int:item_pk>/remove/", views.item_remove_view, name="item_remove"),
    path("activities/", views.activity_list_view, name="activity_list"),
    path("activities/new/", views.activity_create_view, name="activity_create"),
    path("activities/<int:pk>/", views.activity_detail_view, name="activity_detail"),
    path("activities/<int:pk>/attach/", views.activity_attach_view, name="activity_attach"),
    path("activities/<int:pk>/files/<int:attachment_pk>/", views.activity_file_view, name="activity_file"),
    path("literates/", views.literate_list_view, name="literate_list"),
    path("literates/new/", views.literate_create_view, name="literate_create"),
    path("literates/<int:pk>/retire/", views.literate_retire_view, name="literate_retire"),
    path("completion/", views.completion_view, name="completion"),
]
