import pytest


@pytest.fixture
def no_dispute_counters(monkeypatch):
    """The report as it stands when no app counts the disputes about disclosure (the disputes app registers one
    at start-up): those figures are unknown, shown as "—"."""
    from fazhi.requests import registry

    monkeypatch.setattr(registry, "_COUNTERS", [])
