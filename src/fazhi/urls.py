from django.urls import include, path

from fazhi.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("", include("fazhi.core.urls")),
    path("workdays/", include("fazhi.workdays.urls")),
    path("", include("fazhi.tracking.urls")),
    path("enforcement/", include("fazhi.enforcement.urls")),
    path("inspections/", include("fazhi.inspections.urls")),
    path("portal/complaints/", include("fazhi.complaints.public_urls")),
    path("portal/", include("fazhi.portal.urls")),
    path("complaints/", include("fazhi.complaints.urls")),
]
