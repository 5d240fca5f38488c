from django.urls import include, path

from fazhi.api import api

urlpatterns = [
    path("api/v1/", api.urls),
    path("", include("fazhi.core.urls")),
    path("workdays/", include("fazhi.workdays.urls")),
    path("", include("fazhi.tracking.urls")),
    path("enforcement/", include("fazhi.enforcement.urls")),
    path("portal/", include("fazhi.portal.urls")),
]
