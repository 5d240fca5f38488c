"""Password policy (等保 level-3 practice): at least 10 characters drawn from at least 3 of the 4 classes, and not
a common or patterned password — the class rule alone lets `Password@1`, `Admin@2026` and `1qaz@WSX3edc` through.

Common passwords: Django's list (CommonPasswordValidator, about 20,000, lowercased) plus the Chinese-typical ones
below. A password is refused when it is such a word with only trivial digits and symbols around it (a year, a
short number, a run like 123456), when it is mostly keyboard or alphabet/digit runs, or when it contains the
user name.
"""

import functools
import re
import unicodedata

from django.core.exceptions import ValidationError

MIN_LENGTH = 10
CLASSES = [
    (re.compile(r"[A-Z]"), "大写字母"),
    (re.compile(r"[a-z]"), "小写字母"),
    (re.compile(r"[0-9]"), "数字"),
    (re.compile(r"[^A-Za-z0-9]"), "特殊字符"),
]

COMMON_MESSAGE = "密码过于常见或有规律（常见单词、拼音或姓氏加简单数字、键盘或数字连续序列），请换一个不易猜到的密码"
USERNAME_MESSAGE = "密码不能包含用户名"

# Chinese-typical passwords and the words they are built from (pinyin, surnames, system words), lowercased.
CHINESE_COMMON = {
    # whole passwords seen in Chinese leak lists
    "aa123456", "aa123456789", "a123456789", "abc123456", "abc@123456", "password@1", "password@123", "p@ssw0rd",
    "admin@123", "admin@123456", "admin123456", "qwe123456", "qwer1234", "qwer@1234", "1qaz2wsx", "1qaz@wsx",
    "1qaz2wsx3edc", "zaq12wsx", "woaini1314", "5201314", "woaini520", "a5201314", "huawei@123", "root@123",
    "test@123", "123456aa", "123qwe!@#", "qq123456", "zxcvbnm123", "asdf1234", "000000aa",
    # words: pinyin, system and place words
    "woaini", "aini", "nihao", "mima", "mimamima", "guanli", "guanliyuan", "admin", "administrator", "sysadmin",
    "system", "root", "ceshi", "test", "yonghu", "user", "kefu", "zhongguo", "china", "beijing", "shanghai",
    "tianjin", "chongqing", "shenzhen", "guangzhou", "hangzhou", "nanjing", "wuhan", "chengdu", "zhengfu",
    "sifa", "sifaju", "fazhi", "fazhiju", "zhifa", "jiandu", "duban", "gov", "huawei", "baidu", "tencent",
    "qq", "weixin", "wechat", "taobao", "xiaoming", "baobao", "laopo", "laogong", "tiantian", "mengmeng",
    "aiqing", "kuaile", "xingfu", "pingan", "fuqi",
    # the commonest surnames in pinyin (name + birthday is the commonest Chinese pattern)
    "wang", "li", "zhang", "liu", "chen", "yang", "huang", "zhao", "wu", "zhou", "xu", "sun", "ma", "zhu", "hu",
    "guo", "he", "lin", "gao", "luo", "zheng", "liang", "xie", "song", "tang", "han", "feng", "deng", "cao",
    "peng", "zeng", "xiao", "tian", "dong", "pan", "yuan", "cai", "jiang", "yu", "du", "ye", "cheng", "wei",
    "su", "lv", "ding", "ren", "shen", "yao", "lu",
}  # fmt: skip

# Runs a person types without thinking: rows and columns of the keyboard, the alphabet, the digits.
SEQUENCES = (
    "1234567890",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "abcdefghijklmnopqrstuvwxyz",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
    "qazwsxedcrfvtgbyhnujmikolp",
    "zaq1xsw2cde3vfr4bgt5nhy6mju7",
)
SHIFTED = str.maketrans("!@#$%^&*()", "1234567890")
LEET = str.maketrans("@4$5!10|3", "aassiiole")
RUN_MIN = 3
RUN_SHARE = 0.6


@functools.cache
def common_passwords() -> frozenset[str]:
    from django.contrib.auth.password_validation import CommonPasswordValidator

    return frozenset(CommonPasswordValidator().passwords) | frozenset(CHINESE_COMMON)


def _run_share(text: str) -> float:
    """The share of characters that belong to a run of RUN_MIN or more: a sequence forwards or backwards, or
    the same character repeated."""
    covered = [False] * len(text)
    for i in range(len(text)):
        for j in range(len(text), i + RUN_MIN - 1, -1):
            piece = text[i:j]
            if len(set(piece)) == 1 or any(piece in s or piece in s[::-1] for s in SEQUENCES):
                for k in range(i, j):
                    covered[k] = True
                break
    return sum(covered) / len(text) if text else 0.0


def _trivial_digits(digits: str) -> bool:
    """Digits that add nothing: a short number, a year or a date, a run, one digit repeated."""
    return (
        len(digits) <= 4
        or len(set(digits)) == 1
        or _run_share(digits) == 1.0
        or bool(re.fullmatch(r"(19|20)\d\d(0[1-9]|1[0-2])?(\d\d)?", digits))
        or digits in common_passwords()
    )


def _is_common(password: str) -> bool:
    text = unicodedata.normalize("NFKC", password).lower().strip()
    words = common_passwords()
    if text in words or text.translate(SHIFTED) in words:
        return True
    # A word with only trivial digits and symbols before and after it: Password@1, Admin@2026, Zhang@123456.
    head, body, tail = re.fullmatch(r"([\W\d_]*)(.*?)([\W\d_]*)", text).groups()
    if body and (body in words or body.translate(LEET) in words):
        if _trivial_digits(re.sub(r"\D", "", head + tail)):
            return True
    return _run_share(text.translate(SHIFTED)) >= RUN_SHARE


def password_problem(password: str, *, username: str = "") -> str | None:
    """The Chinese reason a password is too weak, or None if it meets the policy."""
    if len(password or "") < MIN_LENGTH:
        return f"密码至少 {MIN_LENGTH} 位"
    present = sum(1 for pattern, _ in CLASSES if pattern.search(password))
    if present < 3:
        return "密码须包含大写字母、小写字母、数字、特殊字符中的至少三类"
    name = (username or "").strip().lower()
    if len(name) >= 3 and (name in password.lower() or name[::-1] in password.lower()):
        return USERNAME_MESSAGE
    if _is_common(password):
        return COMMON_MESSAGE
    return None


class PasswordPolicyValidator:
    def validate(self, password, user=None):
        problem = password_problem(password, username=getattr(user, "username", "") or "")
        if problem:
            raise ValidationError(problem, code="password_policy")

    def get_help_text(self):
        return "至少 10 位，包含大写字母、小写字母、数字、特殊字符中的至少三类，不能是常见密码、键盘序列或含用户名"
