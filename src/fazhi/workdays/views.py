"""期限计算器 and the admin page of the holiday override table."""

from django.shortcuts import render

from fazhi.core.decorators import permission_required


@permission_required("workdays.use")
def calculator_view(request):
    return render(request, "workdays/calculator.html", {})


@permission_required("calendar.manage")
def override_list_view(request):
    return render(request, "workdays/override_list.html", {})
