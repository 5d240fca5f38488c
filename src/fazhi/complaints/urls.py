from django.urls import path

from fazhi.complaints import views

app_name = "complaints"

urlpatterns = [
    path("", views.complaint_list_view, name="list"),
    path("<int:pk>/", views.complaint_detail_view, name="detail"),
    path("<int:pk>/assign/", views.complaint_assign_view, name="assign"),
    path("<int:pk>/reply/", views.complaint_reply_view, name="reply"),
    path("<int:pk>/approve/", views.complaint_approve_view, name="approve"),
    path("<int:pk>/return/", views.complaint_return_view, name="return"),
    path("<int:pk>/review-close/", views.complaint_review_close_view, name="review_close"),
    path("<int:pk>/out-of-scope/", views.complaint_out_of_scope_view, name="out_of_scope"),
    path("<int:pk>/merge/", views.complaint_merge_view, name="merge"),
    path("<int:pk>/discipline/", views.discipline_transfer_view, name="discipline"),
    path("discipline/<int:pk>/follow-up/", views.discipline_follow_up_view, name="discipline_follow_up"),
    path("attachments/<int:pk>/", views.attachment_view, name="attachment"),
    path("clues/new/", views.clue_create_view, name="clue_create"),
    path("hotline/import/", views.hotline_import_view, name="hotline_import"),
    path("hotline/import/confirm/", views.hotline_import_confirm_view, name="hotline_import_confirm"),
    path("hotline/template/", views.hotline_template_view, name="hotline_template"),
    path("stats/", views.stats_view, name="stats"),
]
