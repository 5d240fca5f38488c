"""Password policy: at least 10 characters drawn from at least 3 of the 4 classes (等保 level-3 practice)."""

import re

from django.core.exceptions import ValidationError

MIN_LENGTH = 10
CLASSES = [
    (re.compile(r"[A-Z]"), "大写字母"),
    (re.compile(r"[a-z]"), "小写字母"),
    (re.compile(r"[0-9]"), "数字"),
    (re.compile(r"[^A-Za-z0-9]"), "特殊字符"),
]


def password_problem(password: str) -> str | None:
    """The Chinese reason a password is too weak, or None if it meets the policy."""
    if len(password or "") < MIN_LENGTH:
        return f"密码至少 {MIN_LENGTH} 位"
    present = sum(1 for pattern, _ in CLASSES if pattern.search(password))
    if present < 3:
        return "密码须包含大写字母、小写字母、数字、特殊字符中的至少三类"
    return None


class PasswordPolicyValidator:
    def validate(self, password, user=None):
        problem = password_problem(password)
        if problem:
            raise ValidationError(problem, code="password_policy")

    def get_help_text(self):
        return "至少 10 位，且包含大写字母、小写字母、数字、特殊字符中的至少三类"
