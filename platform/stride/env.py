"""Small typed readers for environment variables that fail loudly on bad values.

Every reader takes the variable's name and a default, and raises
:class:`~django.core.exceptions.ImproperlyConfigured` naming the variable when its value
cannot be read as the asked type, so a typo in a deployment stops the process at start
instead of silently meaning "off". Importing this module loads only Django's exception
classes: no settings, no database.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured

__all__ = ["ImproperlyConfigured", "env_bool", "env_int", "env_list", "env_str"]

_TRUE = frozenset({"1", "true", "yes", "on"})
_FALSE = frozenset({"0", "false", "no", "off"})


def _raw(name: str, environ: Mapping[str, str] | None) -> str | None:
    value = (os.environ if environ is None else environ).get(name)
    if value is None:
        return None
    return value.strip()


def env_str(name: str, default: str = "", *, environ: Mapping[str, str] | None = None) -> str:
    """The variable's value with surrounding blanks removed, or ``default`` when unset."""
    value = _raw(name, environ)
    return default if value is None else value


def env_bool(name: str, default: bool = False, *, environ: Mapping[str, str] | None = None) -> bool:
    """``1/true/yes/on`` or ``0/false/no/off`` (any case); unset or empty gives ``default``."""
    value = _raw(name, environ)
    if not value:
        return default
    lowered = value.lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={value!r} is not a boolean: use one of 1/0, true/false, yes/no, on/off")


def env_int(
    name: str,
    default: int,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    """A base-10 integer, optionally bounded; unset or empty gives ``default``."""
    value = _raw(name, environ)
    if not value:
        return default
    try:
        number = int(value, 10)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} is not an integer") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} is below the minimum {minimum}")
    if maximum is not None and number > maximum:
        raise ImproperlyConfigured(f"{name}={number} is above the maximum {maximum}")
    return number


def env_list(
    name: str,
    default: list[str] | tuple[str, ...] = (),
    *,
    separator: str = ",",
    environ: Mapping[str, str] | None = None,
) -> list[str]:
    """A ``separator``-separated list with blanks trimmed and empty items dropped.

    Unset gives ``default``; set but empty gives ``[]``.
    """
    value = _raw(name, environ)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(separator) if item.strip()]
