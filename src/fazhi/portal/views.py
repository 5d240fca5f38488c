"""Public pages (no login): enforcement disclosure, agency list. Read only, through domain selectors."""

from django.shortcuts import render


def portal_home_view(request):
    return render(request, "portal/home.html", {})


# ---------------------------------------------------------------- agencies (registry)


# ---------------------------------------------------------------- disclosure (cases)
