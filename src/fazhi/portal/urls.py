from django.urls import path

from fazhi.portal import inspection_views, views

app_name = "portal"

urlpatterns = [
    path("", views.portal_home_view, name="home"),
    # registry
    path("agencies/", views.portal_agency_list_view, name="agency_list"),
    path("agencies/<int:pk>/", views.portal_agency_detail_view, name="agency_detail"),
    # cases / disclosure
    path("disclosures/", views.portal_disclosure_list_view, name="disclosure_list"),
    # 双随机、一公开
    path("inspections/plans/", inspection_views.plan_list_view, name="inspection_plans"),
    path("inspections/plans/<int:pk>/", inspection_views.plan_detail_view, name="inspection_plan"),
    path("inspections/draws/<int:pk>/", inspection_views.draw_detail_view, name="inspection_draw"),
    path("inspections/results/", inspection_views.record_list_view, name="inspection_results"),
    path("inspections/feedback/<str:token>/", inspection_views.feedback_view, name="inspection_feedback"),
]
