"""`{% cite "cases" "EXTENSION_CITATION" %}`: a citation shown on a page, read from the app's rules.py, so that no
template spells out an article of its own (the number and its article live in one place, pinned by a test)."""

from importlib import import_module

from django import template

register = template.Library()

SUFFIXES = ("_CITATION", "_SOURCE", "_POLICY")


@register.simple_tag
def cite(app: str, name: str) -> str:
    if not name.endswith(SUFFIXES):
        raise template.TemplateSyntaxError(f"cite: {name} is not a citation")
    return getattr(import_module(f"fazhi.{app}.rules"), name)
