"""Tolerant readers of JSON values: a wrong type or an odd value gives None, never an error."""

from collections.abc import Mapping
from datetime import UTC, datetime
import math
from types import MappingProxyType
from typing import Any

EPOCH_MS_ABOVE = (
    10**11
)  # a larger epoch number is in milliseconds (10**11 s is year 5138)
_EMPTY: Mapping[str, Any] = MappingProxyType({})


def as_mapping(value: Any) -> Mapping[str, Any]:
    """Return the value if it is a JSON object, else an empty one."""
    return value if isinstance(value, Mapping) else _EMPTY


def as_text(value: Any) -> str | None:
    """Return a non-empty string (numbers as text), else None."""
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def as_number(value: Any) -> float | None:
    """Return a finite number from a number or numeric text (never from a bool)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value.strip())
        except ValueError:
            return None
    if isinstance(value, int | float) and math.isfinite(value):
        return float(value)
    return None


def as_id(value: Any) -> int | None:
    """Return a non-negative whole number id (also from digits as text)."""
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return None


def as_percent(value: Any) -> int | None:
    """Return a 0..100 level; other numbers (e.g. 4081 from a wired doorbell) are not one."""
    number = as_number(value)
    return round(number) if number is not None and 0 <= number <= 100 else None


def as_bool(value: Any) -> bool | None:
    """Return a boolean from true/false, 0/1 or their text."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().casefold() in ("true", "false"):
        return value.strip().casefold() == "true"
    return None


def as_time(value: Any) -> datetime | None:
    """Return an aware UTC time from ISO 8601 text or epoch seconds or milliseconds."""
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip())
        except ValueError:
            number = as_number(value)
            return None if number is None else as_time(number)
        return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(UTC)
    number = as_number(value)
    if number is None or number <= 0:
        return None
    seconds = number / 1000 if number > EPOCH_MS_ABOVE else number
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except OverflowError, OSError, ValueError:
        return None
