"""Apps depend downward only (design.md §3): core ← workdays ← tracking ← registry ← domain apps ← portal. A lower app that
must hear from a higher one offers a signal or a registry; this test reads every import to hold that line."""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "fazhi"
# The registry (agencies, officers) sits under the apps that use it: cases, complaints and inspections.
LEVEL = {
    "core": 0,
    "workdays": 1,
    "tracking": 2,
    "documents": 3,
    "registry": 4,
    "cases": 5,
    "complaints": 5,
    "inspections": 5,
    "requests": 5,
    "rulemaking": 5,
    "disputes": 5,
    "supervision": 5,
    "legalservices": 5,
    # Assessment reads every domain app (indicators, reports, the dashboard); none of them reads it.
    "assessment": 6,
    "portal": 7,
}


def _imports(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            yield node.module
        elif isinstance(node, ast.Import):
            yield from (a.name for a in node.names)


@pytest.mark.parametrize("app", [a for a in LEVEL if LEVEL[a] < LEVEL["cases"]])
def test_lower_apps_import_nothing_above_them(app):
    upward = []
    for path in (SRC / app).rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for module in _imports(path):
            parts = module.split(".")
            if parts[0] == "fazhi" and len(parts) > 1 and LEVEL.get(parts[1], 0) > LEVEL[app]:
                upward.append(f"{path.relative_to(SRC)} imports {module}")
    assert upward == []
