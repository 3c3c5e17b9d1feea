"""The e2e's log check: what it refuses in Home Assistant's log (scripts/e2e/logscan.py)."""

import importlib.util
from pathlib import Path
import re
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "e2e" / "logscan.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("e2e_logscan", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


logscan = _load()
TS = "2026-12-04 17:42:00.009 "  # Home Assistant 2026.10
TS_UTC = "2026-12-04 17:46:00.792+00:00 "  # 2026.11 adds the offset
# Home Assistant's own wording (helpers/frame.py, helpers/deprecation.py, py.warnings).
FRAME_REPORT = (
    "WARNING (MainThread) [homeassistant.helpers.frame] Detected that custom integration"
    " 'ring_auth' has an update listener and should use it for scheduling a reload at"
    " custom_components/ring_auth/config_flow.py, line 395: return"
    " self.async_update_reload_and_abort(entry, data_updates=updates). This will stop"
    " working in Home Assistant 2026.12.0, please create a bug report at"
    " https://github.com/ring-auth/ring_auth/issues"
)
DEPRECATED_CONSTANT = (
    "WARNING (MainThread) [homeassistant.config_entries] The deprecated constant"
    " CONN_CLASS_CLOUD_POLL was used from ring_auth. It will be removed in HA Core 2027.5.0."
    " Please create a bug report at https://github.com/ring-auth/ring_auth/issues"
)
PY_WARNING = (
    "WARNING (MainThread) [py.warnings] /cfg/custom_components/ring_auth/oauth.py:12:"
    " DeprecationWarning: 'asyncio.iscoroutinefunction' is deprecated\n"
    "  if asyncio.iscoroutinefunction(func):"
)
UNTESTED = (
    "WARNING (SyncWorker_0) [homeassistant.loader] We found a custom integration ring_auth"
    " which has not been tested by Home Assistant. This component might cause stability"
    " problems, be sure to disable it if you experience issues with Home Assistant"
)
OTHERS_DEPRECATION = (
    "WARNING (MainThread) [homeassistant.helpers.frame] Detected that custom integration"
    " 'other' calls a deprecated thing. This will stop working in Home Assistant 2026.12.0"
)


def log(*records: str, stamp: str = TS) -> str:
    """Return a log with these records, one timestamp each."""
    return "".join(f"{stamp}{r}\n" for r in records)


@pytest.mark.parametrize("stamp", [TS, TS_UTC])
@pytest.mark.parametrize("record", [FRAME_REPORT, DEPRECATED_CONSTANT, PY_WARNING])
def test_a_ring_auth_deprecation_fails_the_check(record: str, stamp: str) -> None:
    """Each way Home Assistant words a deprecation caused by ring_auth is refused."""
    problems = logscan.problems(log(UNTESTED, record, stamp=stamp), {})
    assert problems == [f"deprecation: {record.splitlines()[0][:300]}"]


def test_records_are_split_in_either_timestamp_format() -> None:
    """Both releases' logs split into their records (a traceback stays with its record)."""
    text = log(UNTESTED, PY_WARNING, stamp=TS_UTC) + log(UNTESTED)
    assert logscan.records(text) == [
        f"{UNTESTED}\n",
        f"{PY_WARNING}\n",
        f"{UNTESTED}\n",
    ]


def test_an_unknown_log_format_fails_the_check() -> None:
    """A log whose timestamps are not understood fails instead of passing unread."""
    problems = logscan.problems(f"17:42:00 {UNTESTED}\n", {})
    assert problems == [f"log format not recognised: 17:42:00 {UNTESTED[:111]}"]


def test_other_records_pass() -> None:
    """The custom-integration notice and another integration's deprecation pass."""
    assert logscan.problems(log(UNTESTED, OTHERS_DEPRECATION), {}) == []


def test_errors_blocking_calls_and_secrets() -> None:
    """ring_auth errors (unless expected), blocking calls and secrets are refused."""
    text = log(
        "ERROR (MainThread) [custom_components.ring_auth] Ring refused the stored login"
        " (rejected)",
        "ERROR (MainThread) [custom_components.ring_auth.token_manager] boom",
        "WARNING (MainThread) [homeassistant.util.loop] Detected blocking call to open"
        " inside the event loop by custom integration 'ring_auth' at"
        " custom_components/ring_auth/journal.py, line 5",
        "DEBUG (MainThread) [custom_components.ring_auth] token s3cr3t-token",
    )
    expected = [re.compile(r"Ring refused the stored login \(rejected\)")]
    problems = logscan.problems(text, {"s3cr3t-token": "a token"}, expected)
    assert problems == [
        "unexpected error: ERROR (MainThread) [custom_components.ring_auth.token_manager]"
        " boom",
        "blocking call: WARNING (MainThread) [homeassistant.util.loop] Detected blocking"
        " call to open inside the event loop by custom integration 'ring_auth' at"
        " custom_components/ring_auth/journal.py, line 5",
        "a token appears in the log",
    ]


def test_ring_auth_warnings_lists_each_record_once() -> None:
    """The summary lists every warning that mentions ring_auth, by its first line."""
    text = log(
        UNTESTED, OTHERS_DEPRECATION, PY_WARNING, "INFO (MainThread) [x] ring_auth"
    )
    assert logscan.ring_auth_warnings(text) == [UNTESTED, PY_WARNING.splitlines()[0]]
