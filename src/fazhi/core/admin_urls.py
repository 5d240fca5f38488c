"""URLs of the system administration pages (divisions, units, users, roles, logs)."""

from django.urls import path

from fazhi.core import admin_views as v

urlpatterns: list = [
    path("divisions/", v.division_list_view, name="division_list"),
    path("divisions/new/", v.division_edit_view, name="division_create"),
    path("divisions/<int:pk>/", v.division_edit_view, name="division_edit"),
    path("divisions/<int:pk>/toggle/", v.division_toggle_view, name="division_toggle"),
    path("units/", v.unit_list_view, name="unit_list"),
    path("units/new/", v.unit_edit_view, name="unit_create"),
    path("units/<int:pk>/", v.unit_edit_view, name="unit_edit"),
    path("units/<int:pk>/toggle/", v.unit_toggle_view, name="unit_toggle"),
    path("users/", v.user_list_view, name="user_list"),
    path("users/new/", v.user_create_view, name="user_create"),
    path("users/<int:pk>/", v.user_edit_view, name="user_edit"),
    path("users/<int:pk>/password/", v.user_password_reset_view, name="user_password_reset"),
    path("users/<int:pk>/unlock/", v.user_unlock_view, name="user_unlock"),
    path("users/<int:pk>/toggle/", v.user_toggle_view, name="user_toggle"),
    path("users/<int:pk>/tokens/<int:token_id>/revoke/", v.user_token_revoke_view, name="user_token_revoke"),
    path("roles/", v.role_list_view, name="role_list"),
    path("roles/new/", v.role_edit_view, name="role_create"),
    path("roles/<int:pk>/", v.role_edit_view, name="role_edit"),
    path("roles/<int:pk>/toggle/", v.role_toggle_view, name="role_toggle"),
    path("logs/login/", v.login_log_view, name="login_log"),
    path("logs/operations/", v.operation_log_view, name="operation_log"),
    path("logs/anchors/", v.chain_anchor_export_view, name="chain_anchor_export"),
    path("sessions/", v.session_list_view, name="session_list"),
    path("sessions/<int:pk>/logout/", v.session_logout_view, name="session_logout"),
    path("import/<slug:key>/", v.import_view, name="import"),
    path("import/<slug:key>/confirm/", v.import_confirm_view, name="import_confirm"),
    path("import/<slug:key>/template/", v.import_template_view, name="import_template"),
    path("import/<slug:key>/<str:token>/errors/", v.import_errors_view, name="import_errors"),
]
