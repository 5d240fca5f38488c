"""Kinds of tracked item. A module that tracks something registers its kind here once.

`act_permission` lets a user of the action unit act on an open item; `review_permission` lets a user
act on an item waiting for acceptance (status "review").
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q


@dataclass(frozen=True)
class ItemKind:
    code: str
    label: str
    act_permission: str
    review_permission: str


KINDS: dict[str, ItemKind] = {}


def register(kind: ItemKind) -> ItemKind:
    KINDS[kind.code] = kind
    return kind


# Items follow the data scope of the object they track: a kind that tracks an object registers here which
# items a user may see (`fn(user) -> Q` over TrackedItem). Kinds without one use the unit scope of the item.
VISIBILITY: dict[str, Callable[[object], Q]] = {}


def register_visibility(code: str, visible_q: Callable[[object], Q]) -> None:
    VISIBILITY[code] = visible_q


# The supervisor's 督办 desk (我的待办) also lists work that is not a tracked item yet — e.g. complaints waiting
# to be accepted. An app registers a section: `rows(user, today)` returns None when the section is not for this
# user, else (rows, total) with at most a page of DeskRow, most urgent first; tracking adds the light.
@dataclass(frozen=True)
class DeskRow:
    title: str
    url: str
    deadline: dt.date
    deadline_source: str
    unit: str = ""


@dataclass(frozen=True)
class DeskSection:
    code: str
    label: str
    rows: Callable[[object, dt.date], "tuple[list[DeskRow], int] | None"]


DESK_SECTIONS: dict[str, DeskSection] = {}


def register_desk_section(section: DeskSection) -> DeskSection:
    DESK_SECTIONS[section.code] = section
    return section


TASK_ASSIGNMENT = register(ItemKind("task_assignment", "督导任务", "task.report", "task.manage"))


def kind_label(code: str) -> str:
    kind = KINDS.get(code)
    return kind.label if kind else code
