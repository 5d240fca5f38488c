"""Pages of 公共法律服务与普法, under /legalservices/: each area its own namespace (`legalservices:mediation:…`)."""

from django.urls import include, path

app_name = "legalservices"

urlpatterns = [
    path("mediation/", include("fazhi.legalservices.mediation.urls")),
    path("advisers/", include("fazhi.legalservices.advisers.urls")),
    path("outreach/", include("fazhi.legalservices.outreach.urls")),
    path("study/", include("fazhi.legalservices.study.urls")),
]
