from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from fazhi.api import api
from fazhi.core import health
from fazhi.core.decorators import public
from fazhi.portal import urls as portal_urls

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("api/v1/", api.urls),
    path("", include("fazhi.core.urls")),
    path("workdays/", include("fazhi.workdays.urls")),
    path("", include("fazhi.tracking.urls")),
    # The registry and the case pages share the /enforcement/ prefix they had before the app was split.
    path("enforcement/", include("fazhi.registry.urls")),
    path("enforcement/", include("fazhi.cases.urls")),
    path("inspections/", include("fazhi.inspections.urls")),
    path("portal/complaints/", include(portal_urls.complaint_urls)),
    path("portal/", include("fazhi.portal.urls")),
    path("complaints/", include("fazhi.complaints.urls")),
    path("requests/", include("fazhi.requests.urls")),
    path("rulemaking/", include("fazhi.rulemaking.urls")),
    path("disputes/", include("fazhi.disputes.urls")),
    path("supervision/", include("fazhi.supervision.urls")),
    path("legalservices/", include("fazhi.legalservices.urls")),
    path("assessment/", include("fazhi.assessment.urls")),
    path("documents/", include("fazhi.documents.urls")),
    path("favicon.ico", public(RedirectView.as_view(url=static("fazhi/favicon.svg"), permanent=True))),
]

# Chinese error pages inside the layout (fazhi.core.error_views; CSRF failures: settings.CSRF_FAILURE_VIEW;
# a 404 goes through fazhi.api.not_found below, a 500 renders templates/500.html through the outage handler).
handler403 = "fazhi.core.error_views.permission_denied"

# A shared service that is down (file store, Redis) answers 503 in Chinese instead of a 500.
handler500 = "fazhi.core.outage.server_error_view"

# JSON for a path under /api/ that matches no route; the usual page elsewhere.
handler404 = "fazhi.api.not_found"
