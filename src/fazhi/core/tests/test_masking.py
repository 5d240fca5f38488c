"""The one masking policy (core/masking.py) and the places that show masked personal data."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fazhi.core import masking


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("张三", "张某"),
        ("李四光", "李某"),
        ("欧阳小明", "欧阳某"),
        ("司马光", "司马某"),
        ("欧阳", "欧某"),
        ("王", "某"),
        (" 赵六 ", "赵某"),
        ("", ""),
    ],
)
def test_names_keep_the_surname_only(name, shown):
    assert masking.mask_name(name) == shown


def test_id_number_keeps_division_and_last_four():
    assert masking.mask_id_number("11010519491231002X") == "110105********002X"
    assert masking.mask_id_number("1234567890") == "**********"  # too short to keep anything
    assert masking.mask_id_number("") == ""


def test_phone_and_email():
    assert masking.mask_phone("13912345678") == "139****5678"
    assert masking.mask_phone("0731-12345678") == "073******5678"
    assert masking.mask_phone("12345") == "*****"
    assert masking.mask_email("abc@example.com") == "a***@example.com"
    assert masking.mask_email("not-an-address") == "*" * len("not-an-address")
    assert masking.mask_phone("") == "" and masking.mask_email("") == ""


@pytest.mark.parametrize(
    ("address", "shown"),
    [
        ("示例市东城区人民路12号", "示例市东城区***"),
        ("湖南省示例市东城区东湖街道人民路12号3栋201室", "湖南省示例市东城区东湖街道***"),
        ("新疆维吾尔自治区乌鲁木齐市天山区解放路1号", "新疆维吾尔自治区乌鲁木齐市天山区***"),
        ("石门乡大桥村五组", "石门乡***"),
        ("示例市东湖小区3栋", "示例市***"),  # a compound is not a division
        ("人民路12号东湖小区", "***"),
        ("", ""),
    ],
)
def test_address_keeps_divisions_only(address, shown):
    assert masking.mask_address(address) == shown


def test_codes():
    assert masking.mask_code("91110000600037341L") == "9111**********341L"
    assert masking.mask_code("12345678") == "********"


@given(st.text(min_size=2, max_size=40))
def test_masked_values_never_contain_the_hidden_middle(text):
    text = text.strip()
    shown = masking.mask_id_number(text)
    assert len(shown) == len(text)
    if len(text) > 10:
        assert shown[6:-4] == "*" * (len(text) - 10)
    name = masking.mask_name(text)
    assert name in ("", "某") or (name.endswith("某") and len(name) <= 3)


def test_every_app_uses_the_core_policy():
    """Complainants, legal representatives and disclosed parties are all masked as 张某 (no 张* anywhere)."""
    from fazhi.core.masking import party_display

    assert party_display(kind="person", name="欧阳小明", id_number="11010519491231002X") == (
        "欧阳某",
        "110105********002X",
    )
    assert party_display(kind="organisation", name="示例市某某商贸有限公司", uscc="91110000600037341L") == (
        "示例市某某商贸有限公司",
        "91110000600037341L",
    )
