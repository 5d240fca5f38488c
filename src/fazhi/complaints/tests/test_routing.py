import pytest

from fazhi.complaints import routing
from fazhi.complaints.tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def model_dir(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    routing.reset_cache()
    yield tmp_path
    routing.reset_cache()


@pytest.fixture
def registry(users, org):
    from fazhi.registry.demo import build_agencies, build_power_items

    build_power_items(build_agencies())


def test_power_list_alone_routes_food_to_market_regulation(model_dir, registry):
    out = routing.suggest("超市销售过期变质食品，向市场监管部门举报后迟迟没有结果")
    assert out and out[0].agency == "示例市市场监督管理局"
    assert 0 < out[0].score <= 1 and len(out) <= 3
    assert any(r.startswith("权责清单匹配") or r.startswith("关键词") for r in out[0].reasons)
    assert out[0].category == "delay"


def test_learned_model_from_confirmed_assignments(model_dir, registry, users):
    water = f.agency("示例市水利局")
    for i in range(12):
        f.submit(description=f"河道第{i}段有人非法采砂，挖沙船日夜作业，水政执法人员不管。", ip=f"10.9.0.{i}")
    for c in __import__("fazhi.complaints.models", fromlist=["Complaint"]).Complaint.objects.filter(
        description__contains="采砂"
    ):
        from fazhi.complaints.services import complaint_assign

        complaint_assign(by=users["supervisor"], complaint=c, agency=water)
    for i in range(12):
        f.submit(description=f"第{i}家餐馆后厨卫生脏乱，食品安全无人检查。", ip=f"10.8.0.{i}")
    rows = routing.training_rows()
    assert len(rows) == 12
    result = routing.train(
        rows=rows
        + [(t, f.agency().pk, "inaction", f"X{i}") for i, t in enumerate(["餐馆后厨卫生脏乱食品安全无人检查"] * 12)]
    )
    assert result["samples"] == 24 and (model_dir / "routing" / "model.pkl").exists()
    routing.reset_cache()  # load from the file, as another process would
    out = routing.suggest("江边有挖沙船在非法采砂")
    assert out[0].agency == "示例市水利局"
    assert any(r.startswith("相似历史案件") for r in out[0].reasons)


def test_empty_text_has_no_suggestion(model_dir):
    assert routing.suggest("   ") == []


def test_suggestion_for_elevators_is_stable_across_calls(model_dir, registry):
    # How fast a suggestion is, is measured by bench/bench_routing.py (p95 against jieba's own segmentation).
    text = "商场电梯故障无人检修，特种设备安全监管缺位"
    first = [(s.agency, s.score) for s in routing.suggest(text)]
    assert first[0][0] == "示例市市场监督管理局"  # 特种设备 (elevators) is market regulation's power
    assert [(s.agency, s.score) for s in routing.suggest(text)] == first


def test_train_command_and_background_task(model_dir, registry, capsys):
    from django.core.management import call_command

    from fazhi.complaints.tasks import routing_train_task

    call_command("routing", "train")
    assert "训练完成" in capsys.readouterr().out and (model_dir / "routing" / "model.pkl").exists()
    assert routing_train_task.call()["power_agencies"] >= 1


def test_worker_schedule_enqueues_training_when_no_model(model_dir):
    from django_tasks_db.models import DBTaskResult

    from fazhi.core.schedule import enqueue_due

    enqueue_due()
    enqueue_due()  # a waiting job is not enqueued twice
    assert DBTaskResult.objects.filter(task_path__endswith="routing_train_task", status="READY").count() == 1
    assert DBTaskResult.objects.filter(task_path__endswith="messages_send_task").count() == 1
    assert not DBTaskResult.objects.filter(task_path__endswith="mail_poll_task").exists()  # no mailbox configured


# ---------------------------------------------------------------- loading at process start (issue 9)


def test_warm_loads_jieba_and_caches_the_bundle(model_dir, registry):
    from fazhi.core import warmup

    assert warmup.WARMERS["routing"] == "fazhi.complaints.routing.warm"
    assert routing._cache["bundle"] is None
    timings = warmup.warm_all()
    assert "routing" in timings and routing._jieba().dt.initialized
    loaded = routing._cache["bundle"]
    assert loaded is not None and loaded.power is not None
    routing.suggest("超市销售过期变质食品")
    assert routing._cache["bundle"] is loaded  # requests reuse it, nothing is rebuilt


def test_trained_model_is_read_once_then_cached(model_dir, registry, monkeypatch):
    routing.train(rows=[(f"河道第{i}段非法采砂无人管", 1, "inaction", f"X{i}") for i in range(3)])
    routing.reset_cache()
    reads = []
    real_load = routing.pickle.load
    monkeypatch.setattr(routing.pickle, "load", lambda fh: reads.append(1) or real_load(fh))
    routing.warm()
    for _ in range(3):
        routing.suggest("江边有人非法采砂")
    assert reads == [1]


def test_django_start_up_loads_neither_jieba_nor_the_model():
    """Every management command and test run passes through AppConfig.ready: it must stay light."""
    import os
    import subprocess
    import sys

    code = (
        "import sys, django; django.setup(); "
        "from fazhi.complaints import routing; "
        "print('jieba' in sys.modules, routing._cache['bundle'] is None)"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "fazhi.settings"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.split() == ["False", "True"]
