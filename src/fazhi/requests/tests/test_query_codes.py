"""Tracking codes and query passwords come from one public core helper (fazhi.core.query_codes), not from another
app's private functions: the same submit token answers with the same password, a fresh one with a random one."""

import ast
from pathlib import Path

from fazhi.core.query_codes import CODE_ALPHABET, password_digest, password_matches, query_password, random_code


def test_codes_and_passwords():
    code = random_code(8)
    assert len(code) == 8 and set(code) <= set(CODE_ALPHABET) and not set("01IO") & set(code)
    assert query_password("web:abc", purpose="x") == query_password("web:abc", purpose="x")
    assert query_password("web:abc", purpose="x") != query_password("web:abc", purpose="y")
    assert len(query_password(None, purpose="x")) == 10
    # random_code picks a letter by a byte's low five bits: uniform only while the alphabet has 32 letters.
    assert len(CODE_ALPHABET) == len(set(CODE_ALPHABET)) == 32
    seen = "".join(random_code(64) for _ in range(50))
    assert set(seen) == set(CODE_ALPHABET)  # 3,200 letters: every one of the 32 turns up
    digest = password_digest("salt", "PASSWORD22")
    assert password_matches("salt", "PASSWORD22", digest) and not password_matches("salt", "other", digest)


def test_no_app_reaches_for_private_helpers_of_another():
    root = Path(__file__).resolve().parents[2]
    for app in ("requests", "disputes", "rulemaking"):
        for path in (root / app).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.module == "fazhi.complaints.services":
                    assert all(not a.name.startswith("_") for a in node.names), path
                if isinstance(node, ast.Attribute) and node.attr in ("_random", "_password_for"):
                    raise AssertionError(f"{path}: {node.attr}")
