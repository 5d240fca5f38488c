"""Routing suggestion latency on the demo power lists, without a learned model (what a fresh install serves).

The figure that test_routing.py used to assert (p95 < 50 ms) lives here. Floor: jieba segmentation of the same
texts (`routing.tokenize`), which every suggestion must do; the ratio p95(suggest) / p95(tokenize) says how much
the ranking adds, whatever the machine. Target: suggest p95 ≤ 50 ms.
"""

import statistics
import tempfile
import time
from pathlib import Path

TEXTS = [f"第{i}次：商场电梯故障无人检修，特种设备安全监管缺位" for i in range(50)] + [
    f"{place}{what}"
    for place in ("人民路", "城关镇", "开发区", "东湖社区", "火车站")
    for what in ("餐馆使用过期食材", "工厂偷排污水", "占道经营摊贩堵路", "公司拖欠工资", "河道非法采砂")
]
ROUNDS = 3


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def _timed(fn) -> list[float]:
    out = []
    for _ in range(ROUNDS):
        for text in TEXTS:
            t = time.perf_counter()
            fn(text)
            out.append((time.perf_counter() - t) * 1000)
    return out


def run() -> dict:
    from django.conf import settings

    from fazhi.complaints import routing
    from fazhi.core.demo.build import build_org, build_users
    from fazhi.registry.demo import build_agencies, build_power_items

    build_org()
    build_users()
    build_power_items(build_agencies())
    settings.VAR_DIR = Path(tempfile.mkdtemp(prefix="fazhi_bench_routing_"))  # no model file: power lists only
    routing.reset_cache()
    routing.suggest("预热")  # loads jieba and builds the power-list index, as a worker does at start
    floor = _timed(routing.tokenize)
    suggest = _timed(routing.suggest)
    routing.reset_cache()
    return {
        "suggestions_timed": len(suggest),
        "tokenize_p95_ms": round(_p(floor, 0.95), 3),
        "suggest_p50_ms": round(statistics.median(suggest), 2),
        "suggest_p95_ms": round(_p(suggest, 0.95), 2),
        "ratio_suggest_p95_to_tokenize_p95": round(_p(suggest, 0.95) / max(_p(floor, 0.95), 1e-6), 1),
        "target_suggest_p95_ms": 50,
    }
