"""Small template helpers of the disputes pages."""

from django import template

register = template.Library()


@register.filter
def field(form, name: str):
    """`form|field:"on"`: the bound field of that name (the event forms show the fields each step needs)."""
    return form[name]


@register.filter
def pct(value) -> str:
    return "—" if value is None else f"{value:.1%}"


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None
