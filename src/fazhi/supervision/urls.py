"""Pages of 执法监督, under /supervision/: each area its own namespace (`supervision:reviews:campaign_list`)."""

from django.urls import include, path

app_name = "supervision"

urlpatterns = [
    path("invited/", include("fazhi.supervision.supervisors.urls")),
    path("reviews/", include("fazhi.supervision.reviews.urls")),
    path("instruments/", include("fazhi.supervision.instruments.urls")),
    path("accountability/", include("fazhi.supervision.accountability.urls")),
]
