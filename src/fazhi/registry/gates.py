"""Conditions other modules put on issuing an enforcement certificate (行政执法证). The registry never imports them:
each registers a gate here from its ready().

A gate is `fn(*, officer, today) -> None`; it raises DomainError (naming the field) when the certificate may not
be issued. `certificate_save` consults every gate when a new certificate is recorded (not when one is edited).
"""

import datetime as dt
from collections.abc import Callable

GATES: list[Callable] = []


def register_certificate_gate(gate: Callable) -> None:
    if gate not in GATES:
        GATES.append(gate)


def certificate_gates_check(*, officer, today: dt.date) -> None:
    for gate in GATES:
        gate(officer=officer, today=today)
