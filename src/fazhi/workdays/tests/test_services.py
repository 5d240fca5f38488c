import datetime as dt
import io

import pytest
import xlsxwriter

from fazhi.core.errors import DomainError
from fazhi.core.models import OperationLog
from fazhi.workdays import calendar
from fazhi.workdays.models import CalendarOverride, CalendarYear
from fazhi.workdays.services import calendar_year_save, override_delete, override_save
from fazhi.workdays.tests import UNSCHEDULED_YEAR

Y = UNSCHEDULED_YEAR  # no official schedule: plain Monday–Friday, never confirmed
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")

pytestmark = pytest.mark.django_db
D = dt.date

DUMMY_TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}


@pytest.fixture
def admin(users):
    return users["admin"]


@pytest.fixture
def tasks(settings):
    """Enqueued background tasks, kept in memory."""
    from django.tasks import task_backends

    settings.TASKS = DUMMY_TASKS
    backend = task_backends["default"]
    backend.results.clear()
    return backend.results


def _calendar(callbacks) -> list:
    """The calendar's own after-commit callbacks (the operation log adds its chain seal beside them)."""
    from fazhi.workdays.services import _CalendarCommitted

    return [c for c in callbacks if isinstance(c, _CalendarCommitted)]


def test_override_save_changes_the_calendar_after_commit(admin, tasks, django_capture_on_commit_callbacks):
    assert calendar.is_working_day(D(Y, 10, 1))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        o = override_save(by=admin, date=f"{Y}年10月1日", is_working_day=False, name=" 国庆节 ")
    assert (o.date, o.is_working_day, o.name) == (D(Y, 10, 1), False, "国庆节")
    assert calendar.dirty
    assert len(_calendar(callbacks)) == 1
    assert not calendar.is_working_day(D(Y, 10, 1))
    assert [r.task.name for r in tasks] == ["recompute_deadlines_task"]
    assert tasks[0].task.run_after is not None  # after other processes have reread the table
    log = OperationLog.objects.get(action="新增节假日调整")
    assert log.user == admin and "国庆节" in log.summary


def test_override_edit_and_delete(admin, tasks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        o = override_save(by=admin, date=D(Y, 10, 9), is_working_day=True, name="国庆节调休上班")
    assert calendar.is_working_day(D(Y, 10, 9))
    with django_capture_on_commit_callbacks(execute=True):
        override_save(by=admin, instance=o, date=D(Y, 10, 10), is_working_day=True, name="国庆节调休上班")
    assert not calendar.is_working_day(D(Y, 10, 9))
    assert calendar.is_working_day(D(Y, 10, 10))
    with django_capture_on_commit_callbacks(execute=True):
        override_delete(by=admin, override=o)
    assert not CalendarOverride.objects.exists()
    assert not calendar.is_working_day(D(Y, 10, 10))
    assert len(tasks) == 3
    assert OperationLog.objects.filter(action__in=["修改节假日调整", "删除节假日调整"]).count() == 2


@pytest.mark.parametrize(
    ("kwargs", "field", "text"),
    [
        ({"date": D(2025, 10, 9), "is_working_day": True, "name": "x"}, "is_working_day", "本来就是工作日"),
        ({"date": D(Y, 3, 3), "is_working_day": True, "name": "x"}, "is_working_day", "本来就是工作日"),
        ({"date": D(1999, 10, 1), "is_working_day": False, "name": "国庆节"}, "date", "2000 至 2060"),
        ({"date": D(2061, 10, 1), "is_working_day": False, "name": "国庆节"}, "date", "2000 至 2060"),
        ({"date": D(Y, 10, 1), "is_working_day": False, "name": "  "}, "name", "名称不能为空"),
        ({"date": f"{Y}-13-01", "is_working_day": False, "name": "国庆节"}, "date", "不是有效日期"),
        ({"date": "", "is_working_day": False, "name": "国庆节"}, "date", "日期不能为空"),
        ({"date": D(Y, 10, 1), "is_working_day": False, "name": "节" * 51}, "name", "不能超过"),
    ],
)
def test_override_validation_names_the_field(admin, kwargs, field, text):
    with pytest.raises(DomainError) as err:
        override_save(by=admin, **kwargs)
    assert err.value.field == field
    assert text in err.value.message
    assert not CalendarOverride.objects.exists()


def test_working_override_on_a_package_rest_day_is_allowed(admin):
    # A Saturday the package treats as rest can be made a working day, e.g. a late State Council change.
    o = override_save(by=admin, date=D(2025, 10, 18), is_working_day=True, name="临时调休上班")
    assert o.pk


def test_duplicate_date_is_refused(admin):
    override_save(by=admin, date=D(Y, 10, 1), is_working_day=False, name="国庆节")
    with pytest.raises(DomainError) as err:
        override_save(by=admin, date=f"{Y}/10/1", is_working_day=False, name="国庆节")
    assert err.value.field == "date" and "已有调整记录" in err.value.message


def test_calendar_year_confirms_results(admin, tasks, django_capture_on_commit_callbacks):
    assert not calendar.deadline_working_days(D(Y, 3, 1), 5).confirmed
    with django_capture_on_commit_callbacks(execute=True):
        y = calendar_year_save(
            by=admin, year=str(Y).translate(FULL_WIDTH), source="国办发明电〔2026〕1号", confirmed=True
        )
    assert (y.year, y.confirmed) == (Y, True)
    assert calendar.deadline_working_days(D(Y, 3, 1), 5).confirmed
    with django_capture_on_commit_callbacks(execute=True):
        calendar_year_save(by=admin, year=Y, source="", confirmed=False)
    assert not calendar.deadline_working_days(D(Y, 3, 1), 5).confirmed
    assert CalendarYear.objects.count() == 1
    assert len(tasks) == 2


@pytest.mark.parametrize(
    ("year", "source", "field"),
    [
        (1999, "x", "year"),
        (2061, "x", "year"),
        ("二〇二七", "x", "year"),
        (Y, "", "source"),
    ],
)
def test_calendar_year_validation(admin, year, source, field):
    with pytest.raises(DomainError) as err:
        calendar_year_save(by=admin, year=year, source=source, confirmed=True)
    assert err.value.field == field


def test_nothing_happens_when_the_transaction_rolls_back(admin, tasks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        override_save(by=admin, date=D(Y, 10, 1), is_working_day=False, name="国庆节")
    assert len(_calendar(callbacks)) == 1
    assert tasks == []


# ---------------------------------------------------------------- import


def _xlsx(rows, header=("日期", "类型", "名称")) -> io.BytesIO:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    ws = book.add_worksheet()
    ws.write_row(0, 0, header)
    for r, row in enumerate(rows, start=1):
        ws.write_row(r, 0, row)
    book.close()
    buffer.seek(0)
    return buffer


SCHEDULE = [
    (f"{Y}-10-01", "休息", "国庆节"),
    (f"{Y}/10/4", "休息", "国庆节"),
    (f"{Y}年10月5日", "休息", "国庆节"),
    (f"{Y}-10-09", "上班", "国庆节调休上班"),
]


def test_import_dry_run_then_commit(admin, tasks, django_capture_on_commit_callbacks):
    from fazhi.core.imports import IMPORTERS, run_import

    importer = IMPORTERS["calendar"]
    preview = run_import(importer, _xlsx(SCHEDULE), by=admin, commit=False)
    assert not preview.has_errors and not preview.committed
    assert not CalendarOverride.objects.exists()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        done = run_import(importer, _xlsx(SCHEDULE), by=admin, commit=True)
    assert done.committed
    assert CalendarOverride.objects.filter(date__year=Y).count() == 4
    assert len(_calendar(callbacks)) == 1 and len(tasks) == 1  # one recompute for the whole file
    assert calendar.add_working_days(D(Y, 9, 30), 1) == D(Y, 10, 6)
    # The same file again changes nothing and is not an error.
    again = run_import(importer, _xlsx(SCHEDULE), by=admin, commit=True)
    assert again.committed and CalendarOverride.objects.count() == 4


def test_import_is_all_or_nothing_with_row_errors(admin):
    from fazhi.core.imports import IMPORTERS, run_import

    rows = [
        *SCHEDULE,
        (f"{Y}-10-11", "上班", "x"),
        (f"{Y}-10-01", "上班", "国庆节"),
        (f"{Y}-10-12", "半天", "x"),
        ("", "休息", "x"),
    ]
    result = run_import(IMPORTERS["calendar"], _xlsx(rows), by=admin, commit=True)
    assert not result.committed
    assert not CalendarOverride.objects.exists()
    messages = result.messages
    assert any("第 6 行" in m and "本来就是工作日" in m for m in messages)  # 10-11 of that year is a Monday
    assert any("第 7 行" in m and "已有调整记录" in m for m in messages)
    assert any("第 8 行“类型”" in m for m in messages)
    assert any("第 9 行“日期”" in m and "必填" in m for m in messages)
