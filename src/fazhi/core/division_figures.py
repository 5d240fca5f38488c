"""Figures other apps keep about a division (行政区划), shown on the division page: e.g. the village legal adviser
coverage. Core never imports those apps: each registers a provider here from its ready().

A provider is `fn(*, user, division) -> list[DivisionFigure]`; it shows only what `user` may see."""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class DivisionFigure:
    group: str  # Chinese heading, e.g. "村（居）法律顾问（2026年）"
    label: str  # e.g. "覆盖率"
    value: str  # already formatted: "12 / 12", "100%"
    light: str = ""  # green / yellow / red, or empty
    url: str = ""


PROVIDERS: list[Callable] = []


def register_division_figures(provider: Callable) -> None:
    if provider not in PROVIDERS:
        PROVIDERS.append(provider)


def division_figures(*, user, division) -> list[DivisionFigure]:
    found = []
    for provider in PROVIDERS:
        found.extend(provider(user=user, division=division))
    return found
