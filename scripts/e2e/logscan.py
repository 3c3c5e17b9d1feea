"""What the e2e refuses in Home Assistant's log; pure functions of the log's text."""

from collections.abc import Iterable, Mapping
import re

# Each record starts with a timestamp; tracebacks and multi-line messages follow it.
# 2026.10 writes "2026-12-04 17:42:00.007 ", 2026.11 adds the UTC offset ("...007+00:00 ").
RECORD_START = re.compile(
    r"^\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(?:[.,]\d+)?(?:Z|[+-]\d\d:?\d\d)? ",
    re.MULTILINE,
)
# How Home Assistant words a deprecation: the frame helper's report_usage ("Detected that
# custom integration 'x' calls ... This will stop working in Home Assistant 2026.12"), the
# deprecated-constant and deprecated-function helpers ("... is using a deprecated ..."), and
# Python's own DeprecationWarning, which Home Assistant logs under py.warnings
# (logging.captureWarnings; the harness turns those warnings on with PYTHONWARNINGS).
DEPRECATION = re.compile(
    r"deprecat|will stop working|stop working in Home Assistant|report_usage"
    r"|Detected that custom integration|Detected code that",
    re.IGNORECASE,
)
RING_AUTH = "ring_auth"
RING_AUTH_LOGGER = "custom_components.ring_auth"


def records(text: str) -> list[str]:
    """Split a log into its records (each without its timestamp)."""
    return [r for r in RECORD_START.split(text) if r.strip()]


def head(record: str) -> str:
    """Return a record's first line: level, thread, logger and the start of the message."""
    return record.strip().splitlines()[0]


def problems(
    text: str,
    secrets: Mapping[str, str],
    expected_errors: Iterable[re.Pattern[str]] = (),
) -> list[str]:
    """Return what is wrong in this stretch of log; secrets maps each secret to its kind."""
    expected = tuple(expected_errors)
    found: list[str] = []
    if text.strip() and not RECORD_START.match(text):
        # A new timestamp format would make the whole log one record and blind every check.
        found.append(f"log format not recognised: {text.strip().splitlines()[0][:120]}")
    for record in records(text):
        first = head(record)
        if (
            first.startswith("ERROR")
            and RING_AUTH_LOGGER in first
            and not any(p.search(record) for p in expected)
        ):
            found.append(f"unexpected error: {first[:200]}")
        if RING_AUTH in record and "Detected blocking call" in record:
            found.append(f"blocking call: {first[:200]}")
        elif RING_AUTH in record and DEPRECATION.search(record):
            found.append(f"deprecation: {first[:300]}")
    found += [
        f"{kind} appears in the log"
        for secret, kind in secrets.items()
        if secret and secret in text
    ]
    return found


def ring_auth_warnings(text: str) -> list[str]:
    """Return the first line of each WARNING (or worse) record that mentions ring_auth."""
    return [
        head(r)
        for r in records(text)
        if RING_AUTH in r and head(r).startswith(("WARNING", "ERROR", "CRITICAL"))
    ]
