"""Pure rules of 学法用法 (cadres' law study and examinations): question kinds, how a paper is drawn, how it is
marked, the pass mark, the time grace, and when a certificate needs a pass. No I/O besides the configuration.

Configuration: the Django setting ``FAZHI_STUDY`` (e.g. ``{"PASS_MARK": 80, "GRACE_SECONDS": 30,
"CERT_GATE_FROM": "2027-01-01"}``) or the environment ``STUDY_PASS_MARK``, ``STUDY_GRACE_SECONDS``,
``STUDY_CERT_GATE_FROM``. The setting wins.
"""

import datetime as dt
import os
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

# ---------------------------------------------------------------- citations

# "未通过执法资格网上考试的，不发执法证书，不准从事执法活动" (the seeds' county report; 《山东省行政执法证件管理办法》
# requires the qualification examination before a certificate is issued).
CERT_GATE_CITATION = "“两法”：未通过执法资格网上考试的，不发执法证书，不准从事执法活动（执法资格考试制度）"
PRE_MEETING_SOURCE = "政府常务会议涉及哪部门法律法规，由哪部门负责人会上先行讲法（会前学法制度；谁执法谁普法责任制）"
PRE_APPOINTMENT_SOURCE = "加强对领导干部任职前法律知识考察测试（任前考法制度）"
ANNUAL_EXAM_SOURCE = (
    "每年年底抽查部分行政执法单位，对行政执法人员集中闭卷考试，涵盖行政单位一把手、班子成员及重点执法科室负责人"
)
REPORT_SOURCE = "领导干部年终述法：把尊法学法守法用法情况作为考察干部的重要方面（年终述法制度）"

# ---------------------------------------------------------------- question kinds

SINGLE, MULTIPLE, JUDGE = "single", "multiple", "judge"
QUESTION_KINDS = [(SINGLE, "单选题"), (MULTIPLE, "多选题"), (JUDGE, "判断题")]
QUESTION_KIND_LABELS = dict(QUESTION_KINDS)
# Points per question kind (a paper's score is scaled to 100).
POINTS = {SINGLE: 1, MULTIPLE: 2, JUDGE: 1}
JUDGE_OPTIONS = ["正确", "错误"]
OPTION_LETTERS = "ABCDEFGH"
MAX_OPTIONS = len(OPTION_LETTERS)

# ---------------------------------------------------------------- exam kinds and states

PRE_APPOINTMENT, ANNUAL, QUALIFICATION = "pre_appointment", "annual", "qualification"
EXAM_KINDS = [(PRE_APPOINTMENT, "任前考法"), (ANNUAL, "年度集中闭卷考试"), (QUALIFICATION, "执法资格考试")]
EXAM_KIND_LABELS = dict(EXAM_KINDS)

DRAFT, OPEN, CLOSED = "draft", "open", "closed"
EXAM_STATUSES = [(DRAFT, "未发布"), (OPEN, "考试中"), (CLOSED, "已结束")]

ASSIGNED, STARTED, SUBMITTED, TIMED_OUT = "assigned", "started", "submitted", "timed_out"
PAPER_STATUSES = [(ASSIGNED, "未开考"), (STARTED, "答题中"), (SUBMITTED, "已交卷"), (TIMED_OUT, "超时自动收卷")]
FINISHED = (SUBMITTED, TIMED_OUT)

DEFAULT_PASS_MARK = 60
DEFAULT_DURATION_MINUTES = 60
MAX_DURATION_MINUTES = 240
# A submission or an answer that reaches the server this many seconds after the deadline still counts: the
# candidate's clock and the network are not exact, and a click at 00:00 must not be lost. Later ones are refused.
DEFAULT_GRACE_SECONDS = 15
MAX_QUESTIONS = 200


def conf() -> dict:
    base = {
        "PASS_MARK": _env_int("STUDY_PASS_MARK", DEFAULT_PASS_MARK),
        "GRACE_SECONDS": _env_int("STUDY_GRACE_SECONDS", DEFAULT_GRACE_SECONDS),
        "CERT_GATE_FROM": os.environ.get("STUDY_CERT_GATE_FROM", "").strip(),
    }
    base.update(getattr(settings, "FAZHI_STUDY", {}) or {})
    return base


def _env_int(name: str, default: int) -> int:
    raw = (os.environ.get(name) or "").strip()
    return int(raw) if raw.isdigit() else default


def pass_mark() -> int:
    return int(conf()["PASS_MARK"])


def grace() -> dt.timedelta:
    return dt.timedelta(seconds=int(conf()["GRACE_SECONDS"]))


def cert_gate_from() -> dt.date | None:
    """From this day every new certificate needs a passed qualification examination (None: only officers who
    were enrolled in one; see `certificate_gate_applies`)."""
    raw = conf()["CERT_GATE_FROM"]
    if isinstance(raw, dt.date):
        return raw
    try:
        return dt.date.fromisoformat(str(raw)) if raw else None
    except ValueError:
        return None


def certificate_gate_applies(*, enrolled: bool, today: dt.date) -> bool:
    """Whether a new certificate needs a pass: always once the officer has been enrolled in a qualification
    examination, and for everyone from CERT_GATE_FROM on (certificates recorded from before the online
    examination existed, as in the demo and the registry's import, are not blocked)."""
    start = cert_gate_from()
    return enrolled or (start is not None and today >= start)


# ---------------------------------------------------------------- answers


def normalise_answer(kind: str, raw: str, *, options: int) -> str:
    """The canonical form of an answer: letters in order, no duplicates ("ca" → "AC"); "" when none given.
    Raises ValueError for a letter outside the question's options or more than one letter on a single choice."""
    text = "".join(str(raw or "").upper().split()).replace(",", "").replace("，", "").replace("、", "")
    if kind == JUDGE:
        text = {
            "正确": "A",
            "对": "A",
            "√": "A",
            "T": "A",
            "TRUE": "A",
            "错误": "B",
            "错": "B",
            "×": "B",
            "F": "B",
            "FALSE": "B",
        }.get(text, text)
    letters = sorted(set(text))
    allowed = OPTION_LETTERS[:options]
    if any(ch not in allowed for ch in letters):
        raise ValueError(text)
    if kind in (SINGLE, JUDGE) and len(letters) > 1:
        raise ValueError(text)
    return "".join(letters)


def answer_correct(*, kind: str, key: str, given: str) -> bool:
    """Multiple choice: all and only the right letters (no partial credit)."""
    return bool(given) and given == key


def score_of(*, earned: int, total: int) -> Decimal:
    if total <= 0:
        return Decimal("0.0")
    return (Decimal(earned) * 100 / Decimal(total)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def passed(score: Decimal, mark: int | None = None) -> bool:
    return score >= Decimal(mark if mark is not None else pass_mark())


# ---------------------------------------------------------------- drawing papers


@dataclass(frozen=True)
class Blueprint:
    single: int
    multiple: int
    judge: int

    def counts(self) -> dict[str, int]:
        return {SINGLE: self.single, MULTIPLE: self.multiple, JUDGE: self.judge}

    @property
    def total(self) -> int:
        return self.single + self.multiple + self.judge


def draw_paper(*, seed: int, pools: dict[str, list[int]], blueprint: Blueprint) -> list[int]:
    """The question ids of one candidate's paper: for each kind, a random sample of the pool (ids sorted first,
    so the same seed over the same bank always gives the same paper), kinds in the order single, multiple,
    judge. Recorded with its seed, the paper can be drawn again to prove it was not picked by hand."""
    rng = random.Random(seed)
    paper = []
    for kind, count in blueprint.counts().items():
        pool = sorted(pools.get(kind, []))
        if count > len(pool):
            raise ValueError(kind)
        paper.extend(rng.sample(pool, count))
    return paper


def option_order(*, seed: int, question_id: int, kind: str, count: int) -> list[int]:
    """The order in which one paper shows a question's options: indexes into its options, drawn from the paper's
    recorded seed and the question (so a reload, and anyone re-drawing the paper, sees the same order; two
    candidates see different orders). True-false questions keep 正确 before 错误. The candidate's answer is always
    given and stored in the canonical letters of the bank, so marking does not depend on the order shown."""
    order = list(range(count))
    if kind != JUDGE and count > 1:
        random.Random(f"{seed}:{question_id}").shuffle(order)
    return order


def deadline_of(*, started_at: dt.datetime, duration_minutes: int, closes_at: dt.datetime | None) -> dt.datetime:
    """A paper's deadline: its time limit from the start, never past the exam's closing time."""
    end = started_at + dt.timedelta(minutes=duration_minutes)
    return min(end, closes_at) if closes_at else end


def too_late(*, now: dt.datetime, deadline: dt.datetime) -> bool:
    return now > deadline + grace()


# ---------------------------------------------------------------- lights on results per unit


def result_light(*, sat: int, passed_count: int, enrolled: int) -> str:
    """green: everyone enrolled sat and passed; yellow: someone has not sat yet; red: someone failed."""
    if sat > passed_count:
        return "red"
    if sat < enrolled:
        return "yellow"
    return "green"
