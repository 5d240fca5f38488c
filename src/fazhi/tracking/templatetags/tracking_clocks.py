"""Filters for showing statutory clocks (templates/tracking/_clocks.html)."""

from django import template

from fazhi.tracking.clocks import UNITS

register = template.Library()


@register.filter
def clock_rule(clock) -> str:
    return f"{clock.rule_length}{UNITS[clock.rule_unit]}"


@register.filter
def clock_unit(clock) -> str:
    return UNITS[clock.rule_unit]


@register.filter
def clock_status(clock) -> str:
    from fazhi.tracking.selectors import clock_status_label

    return clock_status_label(clock)
