"""Translations: every language has English's keys and placeholders, and no empty string."""

from collections.abc import Iterator
import json
from pathlib import Path
import re
from typing import Any

import pytest

import custom_components.ring_auth

TRANSLATIONS = Path(custom_components.ring_auth.__file__).parent / "translations"
LANGUAGES = ("de", "es", "fr", "nl")
# Home Assistant fills {name} placeholders; the brace pairs are what a translation must keep.
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations() -> None:
    """Read JSON files only: no Home Assistant instance is needed (overrides conftest's)."""


def _flatten(tree: dict[str, Any], prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Yield (dotted key, leaf) for every leaf of a translation tree."""
    for key, value in tree.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            yield from _flatten(value, f"{path}.")
        else:
            yield path, value


def _strings(language: str) -> dict[str, Any]:
    """Return a language's translation file as {dotted key: leaf}."""
    text = (TRANSLATIONS / f"{language}.json").read_text(encoding="utf-8")
    return dict(_flatten(json.loads(text)))


ENGLISH = _strings("en")


def test_shipped_languages() -> None:
    """Exactly English and the four maintained languages are shipped."""
    shipped = {path.stem for path in TRANSLATIONS.glob("*.json")}
    assert shipped == {"en", *LANGUAGES}


@pytest.mark.parametrize("language", LANGUAGES)
def test_same_keys_as_english(language: str) -> None:
    """A language lacks no key English has and holds none English lacks."""
    keys = set(_strings(language))
    assert sorted(set(ENGLISH) - keys) == [], f"{language}.json lacks these keys"
    assert sorted(keys - set(ENGLISH)) == [], f"{language}.json has keys en.json lacks"


@pytest.mark.parametrize("language", LANGUAGES)
def test_same_placeholders_as_english(language: str) -> None:
    """Every translated string keeps exactly the {placeholders} of its English string."""
    strings = _strings(language)
    wrong = {
        key: (sorted(PLACEHOLDER.findall(text)), sorted(PLACEHOLDER.findall(english)))
        for key, english in ENGLISH.items()
        if isinstance(text := strings.get(key), str)
        and set(PLACEHOLDER.findall(text)) != set(PLACEHOLDER.findall(english))
    }
    assert wrong == {}, f"{language}.json: (its placeholders, English's) per key"


@pytest.mark.parametrize("language", ["en", *LANGUAGES])
def test_no_empty_string(language: str) -> None:
    """Every leaf is a string with visible text."""
    bad = [
        key
        for key, text in _strings(language).items()
        if not isinstance(text, str) or not text.strip()
    ]
    assert bad == [], f"{language}.json: empty or non-text leaves"
