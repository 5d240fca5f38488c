"""Kinds of tracked item. A module that tracks something registers its kind here once.

`act_permission` lets a user of the action unit act on an open item; `review_permission` lets a user
act on an item waiting for acceptance (status "review").
"""

from dataclasses import dataclass


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


TASK_ASSIGNMENT = register(ItemKind("task_assignment", "督导任务", "task.report", "task.manage"))


def kind_label(code: str) -> str:
    kind = KINDS.get(code)
    return kind.label if kind else code
