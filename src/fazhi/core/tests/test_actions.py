"""The two action helpers of staff views, called directly on a RequestFactory request."""

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from fazhi.core.actions import act, act_on_form
from fazhi.core.errors import DomainError, NotFound


def _request(data=None):
    request = RequestFactory().post("/x/", data or {})
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    return request


def _flashed(request) -> list[tuple[str, str]]:
    return [(m.level_tag, m.message) for m in get_messages(request)]


class _Form(forms.Form):
    name = forms.CharField()
    agree = forms.BooleanField(required=False)
    token = forms.CharField(required=False, widget=forms.HiddenInput)


def _refuse(**kwargs):
    def call(*_):
        raise DomainError("不行", **kwargs)

    return call


def test_act_flashes_success_and_redirects():
    request = _request()
    response = act(request, lambda: 7, done="已办理", then="/done/")
    assert (response.status_code, response["Location"]) == (302, "/done/")
    assert _flashed(request) == [("success", "已办理")]


def test_act_refusal_flashes_error_and_goes_to_the_same_page():
    request = _request()
    response = act(request, _refuse(field="x"), done="已办理", then="/back/")
    assert response["Location"] == "/back/"
    assert _flashed(request) == [("error", "不行")]


def test_act_callable_then_and_done_take_the_result_and_none_after_a_refusal():
    request = _request()
    then = lambda pk: ("core:user_edit", pk or 1)  # noqa: E731
    response = act(request, lambda: 42, done=lambda pk: f"第 {pk} 号", then=then)
    assert response["Location"] == reverse("core:user_edit", args=[42])
    assert _flashed(request) == [("success", "第 42 号")]
    assert act(_request(), _refuse(), done="x", then=then)["Location"] == reverse("core:user_edit", args=[1])


def test_act_on_error_answers_instead_of_flashing():
    request = _request()
    response = act(request, _refuse(), done="x", then="/", on_error=lambda exc: HttpResponse(exc.message, status=422))
    assert (response.status_code, response.content.decode()) == (422, "不行")
    assert _flashed(request) == []


def test_a_then_that_is_a_response_is_returned_and_done_none_flashes_nothing():
    request = _request()
    fragment = HttpResponse("panel")
    assert act(request, lambda: None, done=None, then=lambda _: fragment) is fragment
    assert _flashed(request) == []


def test_access_errors_are_not_caught():
    def call():
        raise NotFound()

    with pytest.raises(NotFound):
        act(_request(), call, done="x", then="/")
    with pytest.raises(NotFound):
        act_on_form(_request(), _Form({"name": "a"}), lambda d: call(), done="x", then="/")


def test_act_on_form_success_passes_cleaned_data():
    request = _request()
    form = _Form({"name": "张三"})
    response = act_on_form(request, form, lambda d: d["name"], done=lambda n: f"已保存 {n}", then="/ok/")
    assert response["Location"] == "/ok/"
    assert _flashed(request) == [("success", "已保存 张三")]


def test_act_on_form_invalid_form_does_not_call_the_service():
    calls = []
    form = _Form({})
    assert act_on_form(_request(), form, calls.append, done="x", then="/") is None
    assert calls == [] and "name" in form.errors


def test_act_on_form_refusal_goes_beside_its_field_and_flashes_nothing():
    request = _request()
    form = _Form({"name": "a"})
    assert act_on_form(request, form, _refuse(field="name"), done="x", then="/") is None
    assert form.errors == {"name": ["不行"]}
    assert _flashed(request) == []


def test_act_on_form_every_problem_placed_and_unknown_hidden_or_above_fields_go_above():
    errors = [
        {"field": "name", "message": "名称重复"},
        {"field": "token", "message": "页面已过期"},
        {"field": "agree", "message": "请先确认"},
        {"field": "nowhere", "message": "别处的问题"},
        {"field": "", "message": "总的问题"},
    ]
    form = _Form({"name": "a"})
    assert act_on_form(_request(), form, _refuse(errors=errors), done="x", then="/", above=("agree",)) is None
    assert form.errors["name"] == ["名称重复"]
    assert form.non_field_errors() == ["页面已过期", "请先确认", "别处的问题", "总的问题"]


def test_act_on_form_tuple_then_from_the_result():
    response = act_on_form(
        _request(), _Form({"name": "a"}), lambda d: 5, done="x", then=lambda pk: ("core:user_edit", pk)
    )
    assert response["Location"] == reverse("core:user_edit", args=[5])
