from django.urls import path

from fazhi.tracking import views

app_name = "tracking"

urlpatterns = [
    path("", views.inbox_view, name="inbox"),
    path("items/<int:pk>/", views.item_detail_view, name="item_detail"),
    path("items/<int:pk>/urge/", views.item_urge_view, name="item_urge"),
    path("attachments/<int:pk>/", views.attachment_download_view, name="attachment_download"),
    path("tasks/", views.task_list_view, name="task_list"),
    path("tasks/new/", views.task_create_view, name="task_create"),
    path("tasks/board/", views.task_board_view, name="task_board"),
    path("tasks/<int:pk>/", views.task_detail_view, name="task_detail"),
    path("tasks/<int:pk>/assign/", views.task_assign_view, name="task_assign"),
    path("tasks/assignments/<int:pk>/", views.assignment_detail_view, name="assignment_detail"),
    path("tasks/assignments/<int:pk>/report/", views.assignment_report_view, name="assignment_report"),
    path("tasks/assignments/<int:pk>/accept/", views.assignment_accept_view, name="assignment_accept"),
    path("tasks/assignments/<int:pk>/return/", views.assignment_return_view, name="assignment_return"),
    path("system/verify/", views.verify_view, name="verify"),
]
