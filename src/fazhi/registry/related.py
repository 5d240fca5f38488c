"""Figures other apps keep about an agency (reconsiderations and their corrections, suits lost …), shown on the
agency page. The registry never imports those apps: each registers a provider here from its ready().

A provider is `fn(*, user, agency) -> list[AgencyFigure]`; it counts only what `user` may see."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class AgencyFigure:
    group: str  # Chinese heading, e.g. "行政复议（2026年）"
    label: str  # e.g. "纠错"
    value: str  # already formatted: "3 件", "12.5%"
    url: str = ""


PROVIDERS: list[Callable] = []


def register_agency_figures(provider: Callable) -> None:
    if provider not in PROVIDERS:
        PROVIDERS.append(provider)


def agency_figures(*, user, agency) -> list[AgencyFigure]:
    found = []
    for provider in PROVIDERS:
        found.extend(provider(user=user, agency=agency))
    return found
