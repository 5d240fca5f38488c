"""The UI is Chinese throughout: Django 6.1's empty select choice has no zh-hans translation of its own."""

import pytest
from django import forms

from fazhi.core.models import Unit

pytestmark = pytest.mark.django_db


def test_empty_choice_of_selects_is_chinese():
    field = forms.ModelChoiceField(queryset=Unit.objects.all())
    assert field.empty_label == "- 请选择 -"
    assert next(iter(field.choices)) == ("", "- 请选择 -")


def test_pages_declare_chinese(login_as):
    r = login_as("supervisor").get("/")
    assert '<html lang="zh-CN">' in r.content.decode()
    assert r.headers["Content-Language"] == "zh-hans"
