from django.urls import path

from fazhi.complaints import public_views

app_name = "complaints_public"

urlpatterns = [
    path("new/", public_views.complaint_form_view, name="form"),
    path("receipt/", public_views.complaint_receipt_view, name="receipt"),
    path("status/", public_views.complaint_status_view, name="status"),
    path("rate/", public_views.complaint_rate_view, name="rate"),
]
