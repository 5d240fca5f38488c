"""Records other apps hold about a penalty case (a reconsideration that corrected it, a suit against it …), shown
on the case page. The cases app never imports those apps: each registers a provider here from its ready().

A provider is `fn(*, user, case) -> list[Related]`; it returns only what `user` may see."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Related:
    kind: str  # Chinese, e.g. "行政复议"
    label: str  # one line: "示政复〔2026〕3号 撤销"
    url: str
    note: str = ""  # e.g. the outcome and its date
    alert: bool = False  # the record corrects the case (shown in red)


PROVIDERS: list[Callable] = []


def register_related(provider: Callable) -> None:
    if provider not in PROVIDERS:
        PROVIDERS.append(provider)


def related_for(*, user, case) -> list[Related]:
    found = []
    for provider in PROVIDERS:
        found.extend(provider(user=user, case=case))
    return found
