"""The portal's home page. Each public area has its own module: agencies, disclosures, inspections, complaints;
they read through the domain apps' selectors and write only through their services."""

from django.shortcuts import render

from fazhi.core.decorators import public


@public
def portal_home_view(request):
    return render(request, "portal/home.html", {})
