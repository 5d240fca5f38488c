"""URLs of the system administration pages (divisions, units, users, roles, logs)."""

urlpatterns: list = []
