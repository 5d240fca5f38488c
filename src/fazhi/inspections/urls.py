from django.urls import path

from fazhi.inspections import views

app_name = "inspections"

urlpatterns = [
    path("enterprises/", views.enterprise_list_view, name="enterprise_list"),
    path("enterprises/new/", views.enterprise_create_view, name="enterprise_create"),
    path("enterprises/<int:pk>/", views.enterprise_detail_view, name="enterprise_detail"),
    path("enterprises/import/", views.enterprise_import_view, name="enterprise_import"),
    path("enterprises/import/confirm/", views.enterprise_import_confirm_view, name="enterprise_import_confirm"),
    path("enterprises/import/template/", views.enterprise_import_template_view, name="enterprise_import_template"),
    path(
        "enterprises/import/<str:token>/errors/", views.enterprise_import_errors_view, name="enterprise_import_errors"
    ),
    path("pool/", views.pool_list_view, name="pool_list"),
    path("plans/", views.plan_list_view, name="plan_list"),
    path("plans/new/", views.plan_create_view, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail_view, name="plan_detail"),
    path("plans/<int:pk>/publish/", views.plan_publish_view, name="plan_publish"),
    path("plans/<int:pk>/draws/", views.draw_commit_view, name="draw_commit"),
    path("draws/<int:pk>/", views.draw_detail_view, name="draw_detail"),
    path("draws/<int:pk>/<slug:action>/", views.draw_action_view, name="draw_action"),
    path("records/", views.record_list_view, name="record_list"),
    path("records/new/", views.record_create_view, name="record_create"),
    path("records/<int:pk>/", views.record_detail_view, name="record_detail"),
    path("records/<int:pk>/publish/", views.record_publish_view, name="record_publish"),
    path("burden/", views.burden_view, name="burden"),
    path("quiet-days/", views.quiet_day_list_view, name="quiet_day_list"),
]
