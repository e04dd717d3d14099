"""Template filters of the pages."""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.utils.html import _json_script_escapes
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def json_data(value: Any) -> SafeString:
    """JSON for a ``<script type="application/json">`` block, escaped as json_script does."""
    return mark_safe(json.dumps(value).translate(_json_script_escapes))  # noqa: S308 - <, > and & are escaped


@register.filter
def field_name(question_key: str) -> str:
    from stride.web.forms import field_name as name

    return name(question_key)


@register.simple_tag
def cell_name(question_key: str, row: int, col: int) -> str:
    from stride.web.forms import field_name as name

    return f"{name(question_key)}-r{row}-c{col}"


@register.filter
def times(count: int) -> range:
    return range(int(count))
