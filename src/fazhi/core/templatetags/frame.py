"""Tags of the page frame (base.html)."""

from django import template
from django.template.loader_tags import BLOCK_CONTEXT_KEY

register = template.Library()


@register.simple_tag(takes_context=True)
def page_title(context) -> str:
    """The page's own `{% block title %}` once more, for the last breadcrumb (a block renders only once)."""
    blocks = context.render_context.get(BLOCK_CONTEXT_KEY)
    block = blocks.get_block("title") if blocks is not None else None
    if block is None:
        return ""
    with context.push():
        return block.nodelist.render(context).strip()
