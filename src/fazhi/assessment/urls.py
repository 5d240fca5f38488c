"""Pages of 法治建设考核, under /assessment/: each area its own namespace (`assessment:scoring:…`)."""

from django.urls import include, path

app_name = "assessment"

urlpatterns = [
    path("scoring/", include("fazhi.assessment.scoring.urls")),
    path("dashboard/", include("fazhi.assessment.dashboard.urls")),
    path("oversight/", include("fazhi.assessment.oversight.urls")),
    path("reports/", include("fazhi.assessment.reports.urls")),
]
