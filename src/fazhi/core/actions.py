"""The two shapes of a staff action view (a POST that calls one service), so that each view is three lines.

- `act`: no form. The service runs; its result is flashed as a success, a `DomainError` as an error; either way
  the user goes back to the page named by `then` (a callable `then` gets None after a refusal).
  `NotFound`/`Forbidden` are not caught (404/403 as always). With `on_error=` (a callable taking the
  `DomainError` and returning a response) a refusal is answered by it instead: a page that shows the error beside
  its hand-made inputs and answers 422.
- `act_on_form`: a bound form. Invalid, or refused by the service: the errors go onto the form (one way,
  `fazhi.core.forms.add_domain_error`) and None is returned so that the view renders the page again (422 for a
  POST-only action; a create/edit page keeps the status it always had). Accepted: flash, redirect.

`done` and `then` may be callables taking the service's result (the new object, for a redirect to it). A tuple
`then` is `redirect(*then)`; a `then` that yields an `HttpResponse` is returned as is (an htmx request answered with
a fragment), and `done=None` flashes nothing (the fragment shows the notice itself). `act_on_form(..., above=(...))`
passes `above` on to `add_domain_error` (a checkbox whose refusal belongs above the form).
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect

from fazhi.core.errors import DomainError
from fazhi.core.forms import add_domain_error

Then = str | tuple | Callable[[Any], Any]


def _resolve(value, result):
    return value(result) if callable(value) else value


def _go(then, result) -> HttpResponse:
    target = _resolve(then, result)
    if isinstance(target, HttpResponse):
        return target
    return redirect(*target) if isinstance(target, tuple) else redirect(target)


def _flash(request, done, result) -> None:
    message = _resolve(done, result)
    if message is not None:
        messages.success(request, message)


def act(
    request,
    call: Callable[[], Any],
    *,
    done: Then | None,
    then: Then,
    on_error: Callable[[DomainError], HttpResponse] | None = None,
) -> HttpResponse:
    try:
        result = call()
    except DomainError as exc:
        if on_error is not None:
            return on_error(exc)
        messages.error(request, exc.message)
        return _go(then, None)
    _flash(request, done, result)
    return _go(then, result)


def act_on_form(
    request, form, call: Callable[[dict], Any], *, done: Then | None, then: Then, above: tuple[str, ...] = ()
) -> HttpResponse | None:
    if not form.is_valid():
        return None
    try:
        result = call(form.cleaned_data)
    except DomainError as exc:
        add_domain_error(form, exc, above=above)
        return None
    _flash(request, done, result)
    return _go(then, result)
