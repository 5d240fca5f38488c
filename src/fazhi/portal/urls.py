from django.urls import path

from fazhi.portal import agencies, complaints, disclosures, inspections, views

app_name = "portal"

urlpatterns = [
    path("", views.portal_home_view, name="home"),
    # registry
    path("agencies/", agencies.portal_agency_list_view, name="agency_list"),
    path("agencies/<int:pk>/", agencies.portal_agency_detail_view, name="agency_detail"),
    # cases / disclosure
    path("disclosures/", disclosures.portal_disclosure_list_view, name="disclosure_list"),
    # 双随机、一公开
    path("inspections/plans/", inspections.plan_list_view, name="inspection_plans"),
    path("inspections/plans/<int:pk>/", inspections.plan_detail_view, name="inspection_plan"),
    path("inspections/draws/<int:pk>/", inspections.draw_detail_view, name="inspection_draw"),
    path("inspections/results/", inspections.record_list_view, name="inspection_results"),
    path("inspections/feedback/<str:token>/", inspections.feedback_view, name="inspection_feedback"),
]

# The public complaint pages keep their own namespace and addresses (/portal/complaints/…): mounted by fazhi.urls.
complaint_urls = (
    [
        path("new/", complaints.complaint_form_view, name="form"),
        path("receipt/", complaints.complaint_receipt_view, name="receipt"),
        path("status/", complaints.complaint_status_view, name="status"),
        path("rate/", complaints.complaint_rate_view, name="rate"),
    ],
    "complaints_public",
)
