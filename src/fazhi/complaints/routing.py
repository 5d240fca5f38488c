"""Routing suggestions: which agency should handle a complaint, and which category it is.

Two sources, combined:
1. the power lists (权责清单): each agency's current power items, their legal bases and its enforcement
   domains, segmented with jieba and weighted by TF-IDF — "this complaint is about what that agency may do";
2. a model learned from past routing: the supervisors' confirmed assignments and imported 12345 work orders
   that carry the unit the hotline gave them (TF-IDF over jieba tokens + a linear classifier), plus the
   nearest past complaints as evidence.

The trained bundle is pickled under FAZHI_VAR_DIR/routing/ by `fazhi routing train` or the background task;
without one, suggestions come from the power lists and the category keywords alone.
"""

import datetime as dt
import logging
import math
import os
import pickle
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from fazhi.complaints.models import CATEGORIES

logger = logging.getLogger(__name__)

MODEL_VERSION = 1
MIN_LEARNED_SAMPLES = 20
MAX_TRAINING_ROWS = 200_000
MAX_NEIGHBOUR_ROWS = 30_000
_STOP = set(
    "的 了 在 是 我 有 和 就 不 人 都 一 一个 上 也 很 到 说 要 去 你 会 着 没有 看 好 自己 这 那 他 她 它 们 我们 "
    "你们 他们 对 与 及 等 并 被 把 让 给 从 向 请 问题 情况 反映 投诉 举报 希望 相关 部门 处理 要求 一直 现在 "
    "已经 还是 因为 所以 但是 如果 这个 那个 什么 怎么 为什么 多次 市民 本人 示例 示例市".split()
)
_WORD = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9]+$")
_NUMBER = re.compile(r"^[0-9零〇一二两三四五六七八九十百千万点号个]+$")

# Category cues (the six categories named by the Huaihua plan); a learned classifier refines them.
CATEGORY_KEYWORDS = {
    "inaction": [
        "不作为",
        "不管",
        "没人管",
        "不处理",
        "不受理",
        "推诿",
        "踢皮球",
        "置之不理",
        "不予理睬",
        "视而不见",
        "无人处理",
        "不出警",
        "不到场",
        "互相推",
    ],
    "delay": [
        "拖延",
        "迟迟",
        "久拖",
        "慢作为",
        "至今未",
        "一直没有",
        "超过期限",
        "逾期",
        "拖了",
        "几个月",
        "半年",
        "没有结果",
        "没有回复",
        "没有答复",
    ],
    "abuse": [
        "乱作为",
        "乱罚款",
        "没有依据",
        "违法执法",
        "滥用",
        "超越职权",
        "乱查封",
        "乱扣押",
        "强行",
        "违规执法",
        "程序违法",
        "随意",
        "选择性执法",
        "未出示",
        "重复检查",
    ],
    "misconduct": [
        "态度恶劣",
        "辱骂",
        "粗暴",
        "骂人",
        "推搡",
        "打人",
        "不文明",
        "不规范",
        "恐吓",
        "威胁",
        "刁难",
        "野蛮",
        "不出示证件",
        "未着装",
        "吃拿卡要",
    ],
    "profit": [
        "逐利",
        "罚款指标",
        "以罚代管",
        "创收",
        "只罚款",
        "趋利",
        "罚没",
        "钓鱼执法",
        "小过重罚",
        "收费",
        "变相收费",
        "罚款任务",
    ],
}


def _jieba():
    import warnings

    with warnings.catch_warnings():
        # jieba 0.42 has regex literals that Python 3.12 warns about when it compiles them.
        warnings.simplefilter("ignore", SyntaxWarning)
        import jieba
    return jieba


def tokenize(text: str) -> list[str]:
    """jieba search-mode tokens without stop words and punctuation (module-level: the bundle pickles it)."""
    jieba = _jieba()
    words = []
    for w in jieba.lcut_for_search(text or ""):
        w = w.strip().lower()
        if len(w) < 2 or w in _STOP or not _WORD.match(w) or _NUMBER.match(w):
            continue
        words.append(w)
    return words


def _quiet_jieba() -> None:
    jieba = _jieba()
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()


# ---------------------------------------------------------------- the bundle


@dataclass
class PowerIndex:
    unit_ids: list[int]
    vectorizer: object
    agency_matrix: object  # one row per agency (all its items, bases and domains)
    item_matrix: object  # one row per power item
    item_units: list[int]
    item_names: list[str]


@dataclass
class Learned:
    vectorizer: object
    agency_clf: object
    category_clf: object | None
    neighbours: object  # normalised TF-IDF rows of recent training complaints
    neighbour_units: list[int]
    neighbour_codes: list[str]


@dataclass
class Bundle:
    version: int
    trained_at: dt.datetime
    unit_names: dict[int, str]
    power: PowerIndex | None
    learned: Learned | None
    samples: int = 0
    meta: dict = field(default_factory=dict)


def model_path() -> Path:
    return Path(settings.VAR_DIR) / "routing" / "model.pkl"


_lock = threading.Lock()
_cache: dict = {"bundle": None, "mtime": None, "built_at": 0.0}
POWER_ONLY_TTL = 600


def _power_documents():
    """(unit id, unit name, [(item name, text)], domains) for every active agency with a current power list."""
    from fazhi.registry.selectors import public_agency_list, public_power_items

    for agency in public_agency_list():
        items = []
        for item in public_power_items(agency=agency):
            bases = " ".join(f"{b.law}{b.article} {b.text[:400]}" for b in item.legal_bases.all())
            items.append((item.name, f"{item.name} {item.name} {bases}"))
        yield agency.unit_id, agency.unit.name, items, list(agency.domains or [])


def build_power_index() -> tuple[PowerIndex | None, dict[int, str]]:
    from sklearn.feature_extraction.text import TfidfVectorizer

    _quiet_jieba()
    unit_ids, names, agency_docs, item_docs, item_units, item_names = [], {}, [], [], [], []
    for unit_id, unit_name, items, domains in _power_documents():
        if not items:
            # An agency without a power list of its own (a branch) is reached through the learned model.
            continue
        profile = " ".join([unit_name, *domains, *(text for _, text in items)])
        unit_ids.append(unit_id)
        names[unit_id] = unit_name
        agency_docs.append(profile)
        for name, text in items:
            item_docs.append(text)
            item_units.append(unit_id)
            item_names.append(name)
    if not unit_ids:
        return None, names
    vec = TfidfVectorizer(tokenizer=tokenize, lowercase=False, token_pattern=None, sublinear_tf=True, min_df=1)
    agency_matrix = vec.fit_transform(agency_docs)
    item_matrix = vec.transform(item_docs) if item_docs else None
    return PowerIndex(unit_ids, vec, agency_matrix, item_matrix, item_units, item_names), names


def training_rows(limit: int = MAX_TRAINING_ROWS) -> list[tuple[str, int, str, str]]:
    """(text, unit id, category, tracking code): confirmed assignments first, then hotline orders carrying the
    unit the hotline gave them."""
    from fazhi.complaints.models import Complaint

    confirmed = list(
        Complaint.objects.filter(routing_confirmed=True, agency__isnull=False)
        .order_by("-received_at")
        .values_list("description", "agency_id", "category", "tracking_code")[:limit]
    )
    hotline = list(
        Complaint.objects.filter(channel="hotline", routing_confirmed=False, agency_named__isnull=False)
        .exclude(handling_unit_name="")
        .order_by("-received_at")
        .values_list("description", "agency_named_id", "category", "tracking_code")[: max(0, limit - len(confirmed))]
    )
    return confirmed + hotline


def train(*, rows: list[tuple[str, int, str, str]] | None = None, save: bool = True) -> dict:
    """Fit the bundle (power index + learned model) and store it. Returns figures for the caller."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression, SGDClassifier
    from sklearn.preprocessing import normalize

    started = time.monotonic()
    power, names = build_power_index()
    rows = training_rows() if rows is None else rows
    learned = None
    units = sorted({r[1] for r in rows})
    if len(rows) >= MIN_LEARNED_SAMPLES and len(units) >= 2:
        texts = [r[0] for r in rows]
        vec = TfidfVectorizer(
            tokenizer=tokenize, lowercase=False, token_pattern=None, sublinear_tf=True, min_df=1, max_features=80_000
        )
        X = vec.fit_transform(texts)
        y = [r[1] for r in rows]
        big = len(rows) > 20_000
        clf = (
            SGDClassifier(loss="log_loss", alpha=2e-6, max_iter=20, tol=None, random_state=0)
            if big
            else LogisticRegression(C=8.0, max_iter=300)
        )
        clf.fit(X, y)
        cats = [r[2] for r in rows]
        cat_clf = None
        if len({c for c in cats if c != "other"}) >= 2:
            cat_clf = (
                SGDClassifier(loss="log_loss", alpha=2e-6, max_iter=20, tol=None, random_state=0)
                if big
                else LogisticRegression(C=4.0, max_iter=300)
            )
            cat_clf.fit(X, cats)
        n = min(len(rows), MAX_NEIGHBOUR_ROWS)
        learned = Learned(vec, clf, cat_clf, normalize(X[:n]), y[:n], [r[3] for r in rows[:n]])
        from fazhi.core.models import Unit

        names.update(dict(Unit.objects.filter(pk__in=units).values_list("pk", "name")))
    bundle = Bundle(
        MODEL_VERSION,
        timezone.now(),
        names,
        power,
        learned,
        samples=len(rows),
        meta={"seconds": round(time.monotonic() - started, 2)},
    )
    if save:
        path = model_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        with open(tmp, "wb") as fh:
            pickle.dump(bundle, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    with _lock:
        _cache.update(bundle=bundle, mtime=_mtime(), built_at=time.monotonic())
    return {
        "samples": len(rows),
        "agencies": len(units),
        "power_agencies": len(power.unit_ids) if power else 0,
        "seconds": bundle.meta["seconds"],
        "path": str(model_path()) if save else "",
    }


def _mtime() -> float | None:
    try:
        return model_path().stat().st_mtime
    except OSError:
        return None


def bundle() -> Bundle:
    """The trained bundle (reloaded when the file changes), else a power-list-only bundle built in memory."""
    mtime = _mtime()
    with _lock:
        cached = _cache["bundle"]
        if (
            cached is not None
            and _cache["mtime"] == mtime
            and (mtime is not None or time.monotonic() - _cache["built_at"] < POWER_ONLY_TTL)
        ):
            return cached
    if mtime is not None:
        try:
            with open(model_path(), "rb") as fh:
                loaded = pickle.load(fh)  # our own file under VAR_DIR, written by train()
            if getattr(loaded, "version", None) == MODEL_VERSION:
                _quiet_jieba()
                with _lock:
                    _cache.update(bundle=loaded, mtime=mtime, built_at=time.monotonic())
                return loaded
        except (OSError, pickle.UnpicklingError, AttributeError, EOFError) as exc:
            logger.warning("routing model unreadable, using the power lists only: %s", exc)
    power, names = build_power_index()
    fresh = Bundle(MODEL_VERSION, timezone.now(), names, power, None)
    with _lock:
        _cache.update(bundle=fresh, mtime=mtime, built_at=time.monotonic())
    return fresh


def warm() -> Bundle:
    """Load jieba's dictionary and the trained model (else build the power-list index) once, when a web or
    background worker starts (registered with core.warmup); requests then find the bundle cached. One
    suggestion runs too, so that the lazily imported parts of scikit-learn and SciPy are loaded as well."""
    _quiet_jieba()
    loaded = bundle()
    suggest("超市销售过期食品，执法人员不予处理")
    return loaded


def reset_cache() -> None:
    with _lock:
        _cache.update(bundle=None, mtime=None, built_at=0.0)


def model_age_hours() -> float | None:
    mtime = _mtime()
    return None if mtime is None else (time.time() - mtime) / 3600


# ---------------------------------------------------------------- suggesting


@dataclass
class Suggestion:
    unit_id: int
    agency: str
    category: str
    score: float
    reasons: list[str]

    def as_dict(self) -> dict:
        return {"agency": self.agency, "category": self.category, "score": self.score, "reasons": self.reasons}


def _softmax(values: list[float], temperature: float) -> list[float]:
    if not values:
        return []
    top = max(values)
    exps = [math.exp((v - top) * temperature) for v in values]
    total = sum(exps)
    return [e / total for e in exps]


def category_scores(text: str, b: Bundle | None = None, X=None) -> dict[str, float]:
    """Keyword cues (always) blended with the learned category classifier (when trained)."""
    hits = {code: sum(1 for k in words if k in text) for code, words in CATEGORY_KEYWORDS.items()}
    raw = {code: float(n) for code, n in hits.items()}
    raw["other"] = 0.5
    total = sum(raw.values())
    kw = {code: v / total for code, v in raw.items()}
    if b is not None and b.learned is not None and b.learned.category_clf is not None and X is not None:
        probs = b.learned.category_clf.predict_proba(X)[0]
        learned = dict(zip(b.learned.category_clf.classes_, probs, strict=True))
        weight = 0.4 if any(hits.values()) else 0.7
        return {code: (1 - weight) * kw.get(code, 0) + weight * float(learned.get(code, 0)) for code, _ in CATEGORIES}
    return {code: kw.get(code, 0.0) for code, _ in CATEGORIES}


def suggest(text: str, *, top: int = 3) -> list[Suggestion]:
    """The `top` most likely agencies with a score in 0..1 and the reasons (power items, keywords, past cases)."""
    text = (text or "").strip()
    if not text:
        return []
    b = bundle()
    scores: dict[int, float] = {}
    power_p: dict[int, float] = {}
    learned_p: dict[int, float] = {}
    qp = None
    if b.power is not None:
        qp = b.power.vectorizer.transform([text])
        sims = (b.power.agency_matrix @ qp.T).toarray().ravel().tolist()
        if max(sims, default=0) > 0:
            power_p = dict(zip(b.power.unit_ids, _softmax(sims, 25.0), strict=True))
    Xl = None
    if b.learned is not None:
        Xl = b.learned.vectorizer.transform([text])
        if Xl.nnz:
            probs = b.learned.agency_clf.predict_proba(Xl)[0]
            learned_p = {int(u): float(p) for u, p in zip(b.learned.agency_clf.classes_, probs, strict=True)}
    if learned_p and power_p:
        w = 0.75 if b.samples >= 200 else 0.5
    elif learned_p:
        w = 1.0
    else:
        w = 0.0
    for unit in set(power_p) | set(learned_p):
        scores[unit] = w * learned_p.get(unit, 0.0) + (1 - w) * power_p.get(unit, 0.0)
    if not scores:
        return []
    cats = category_scores(text, b, Xl)
    category = max(cats, key=cats.get)
    ranked = sorted(scores.items(), key=lambda kv: -kv[1])[:top]
    neighbours = _neighbours(b, Xl) if Xl is not None and Xl.nnz else []
    out = []
    for unit_id, score in ranked:
        reasons = _power_reasons(b, qp, unit_id)
        similar = [code for code, u, s in neighbours if u == unit_id][:2]
        if similar:
            reasons.append("相似历史案件：" + "、".join(similar))
        if unit_id in learned_p and learned_p[unit_id] >= 0.05:
            reasons.append(f"历史分办模型：{learned_p[unit_id]:.0%}")
        out.append(
            Suggestion(
                unit_id,
                b.unit_names.get(unit_id, str(unit_id)),
                category,
                round(min(1.0, score), 4),
                reasons or ["文本与该单位职责相近"],
            )
        )
    return out


def _power_reasons(b: Bundle, qp, unit_id: int) -> list[str]:
    if b.power is None or qp is None or not qp.nnz:
        return []
    reasons = []
    if b.power.item_matrix is not None:
        rows = [i for i, u in enumerate(b.power.item_units) if u == unit_id]
        if rows:
            sims = (b.power.item_matrix[rows] @ qp.T).toarray().ravel()
            best = sorted(zip(sims.tolist(), rows, strict=True), reverse=True)[:2]
            names = [b.power.item_names[i] for s, i in best if s > 0.05]
            if names:
                reasons.append("权责清单匹配：" + "；".join(names))
    try:
        row = b.power.unit_ids.index(unit_id)
    except ValueError:
        return reasons
    vocab = b.power.vectorizer.get_feature_names_out()
    agency_row = b.power.agency_matrix[row]
    weights = {int(j): float(v) for j, v in zip(agency_row.indices, agency_row.data, strict=True)}
    shared = sorted(
        ((weights[j] * v, vocab[j]) for j, v in zip(qp.indices, qp.data, strict=True) if j in weights), reverse=True
    )[:4]
    if shared:
        reasons.append("关键词：" + "、".join(w for _, w in shared))
    return reasons


def _neighbours(b: Bundle, Xl, k: int = 10) -> list[tuple[str, int, float]]:
    from sklearn.preprocessing import normalize

    if b.learned is None or b.learned.neighbours.shape[0] == 0:
        return []
    sims = (b.learned.neighbours @ normalize(Xl).T).toarray().ravel()
    if sims.size == 0:
        return []
    k = min(k, sims.size)
    import numpy as np

    idx = np.argpartition(-sims, k - 1)[:k]
    idx = idx[np.argsort(-sims[idx])]
    return [(b.learned.neighbour_codes[i], b.learned.neighbour_units[i], float(sims[i])) for i in idx if sims[i] > 0.25]
