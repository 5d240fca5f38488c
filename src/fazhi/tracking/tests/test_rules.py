import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from fazhi.tracking.rules import closed_on_time, light
from fazhi.workdays.calendar import add_working_days

dates = st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31))


def test_light_examples():
    today = dt.date(2025, 3, 3)  # a Monday
    until = add_working_days(today, 2)  # Wednesday
    assert light(status="open", deadline=today - dt.timedelta(days=1), today=today, yellow_until=until) == "red"
    assert light(status="open", deadline=today, today=today, yellow_until=until) == "yellow"
    assert light(status="open", deadline=until, today=today, yellow_until=until) == "yellow"
    assert light(status="open", deadline=until + dt.timedelta(days=1), today=today, yellow_until=until) == "green"
    assert light(status="closed", deadline=today - dt.timedelta(days=9), today=today, yellow_until=until) == "closed"


def test_friday_counts_working_days_over_the_weekend():
    friday = dt.date(2025, 3, 7)
    until = add_working_days(friday, 2)
    assert until == dt.date(2025, 3, 11)  # Tuesday: Monday and Tuesday are the two working days left
    assert light(status="open", deadline=dt.date(2025, 3, 11), today=friday, yellow_until=until) == "yellow"
    assert light(status="open", deadline=dt.date(2025, 3, 12), today=friday, yellow_until=until) == "green"


@given(
    today=dates,
    deadline=dates,
    n=st.integers(min_value=0, max_value=10),
    status=st.sampled_from(["open", "review", "returned"]),
)
def test_light_property(today, deadline, n, status):
    until = add_working_days(today, n)
    colour = light(status=status, deadline=deadline, today=today, yellow_until=until)
    assert (colour == "red") == (deadline < today)
    assert (colour == "yellow") == (today <= deadline <= until)
    assert (colour == "green") == (deadline > until)


@given(deadline=dates, closed=dates)
def test_closed_items_keep_whether_on_time(deadline, closed):
    assert closed_on_time(closed_on=closed, deadline=deadline) == (closed <= deadline)
    assert light(status="closed", deadline=deadline, today=closed, yellow_until=closed) == "closed"
