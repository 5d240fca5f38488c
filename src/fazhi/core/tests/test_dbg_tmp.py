import pytest
from django.urls import reverse
from fazhi.core.models import Division, OperationLog
pytestmark = pytest.mark.django_db
def test_dbg(login_as, org):
    city = Division.objects.get(code="439900")
    r = login_as("admin").post(reverse("core:division_create"), {"code": "439909", "name": "西湖区", "parent": city.pk})
    print(r.status_code, r.get("Location"), list(OperationLog.objects.values_list("action", "summary")))
    c = login_as("auditor")
    r = c.get(reverse("core:operation_log"), {"action": "新增行政区划", "q": "西湖区"})
    print(r.status_code, r.get("Location"))
    assert 0
