"""The arithmetic of the bench's device rows (scripts/bench_devices.py): no run, no timing.

Rows 6-9 count calls per device-hour, the delay from an injected ding to its sighting and
how long Home Assistant shows a value Ring has already changed; these are the parts that
decide the figures, checked on hand-made inputs.
"""

from pathlib import Path
import random
import sys

import pytest

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"
if str(SCRIPTS) not in sys.path:
    sys.path.insert(0, str(SCRIPTS))

import bench_devices as bd  # noqa: E402


def test_moments_are_sorted_inside_the_window_and_repeatable() -> None:
    first = bd.moments(random.Random(1), 100.0, 50.0, 20)  # noqa: S311
    again = bd.moments(random.Random(1), 100.0, 50.0, 20)  # noqa: S311
    assert first == again == sorted(first)
    assert len(first) == 20
    assert all(100.0 <= t < 150.0 for t in first)


def test_api_calls_count_the_client_api_only() -> None:
    before = {"GET /clients_api/ring_devices": 10, "POST /oauth/token": 3}
    after = {
        "GET /clients_api/ring_devices": 70,
        "GET /clients_api/dings/active": 60,  # new since `before`
        "POST /oauth/token": 5,  # row 9's, not an API call
        "GET /_emulator/devices": 4,  # the bench's own control calls
    }
    assert bd.api_calls(before, after) == 60 + 60


def test_per_device_hour_and_per_day() -> None:
    # Core's poll of the default household: 1 + 4 + 5 calls a minute.
    assert bd.per_device_hour(10 * 60, 5, 3600) == 120.0
    assert bd.per_device_hour(2 * 60 * 24, 5, 86400) == 24.0
    assert bd.per_day(24, 86400) == 24.0
    assert bd.per_day(12, 43200) == 24.0
    with pytest.raises(ValueError):
        bd.per_device_hour(1, 0, 3600)
    with pytest.raises(ValueError):
        bd.per_device_hour(1, 5, 0)
    with pytest.raises(ValueError):
        bd.per_day(1, 0)


def test_delays_and_missed_events() -> None:
    injected = {"1": 100.0, "2": 200.0, "3": 300.0}
    seen = {"1": 130.0, "2": 199.9995, "9": 50.0}  # "2" a hair early; "9" not injected
    assert bd.delays(injected, seen) == [30.0, 0.0]
    assert bd.missed(injected, seen) == 1
    assert bd.missed({}, seen) == 0


def test_staleness_until_the_value_is_shown() -> None:
    changes = [(100.0, 50), (400.0, 40)]
    shown = [(0.0, 83), (130.0, 50), (460.0, 40)]
    assert bd.staleness(changes, shown) == [30.0, 60.0]


def test_a_value_replaced_before_any_read_is_as_stale_as_its_successor_is_new() -> None:
    changes = [(100.0, -50), (200.0, -60), (300.0, -70)]
    shown = [(0.0, -44), (250.0, -60), (900.0, -70)]
    assert bd.staleness(changes, shown) == [150.0, 50.0, 600.0]


def test_a_change_never_shown_is_left_out_and_old_shows_do_not_count() -> None:
    changes = [(100.0, 50), (200.0, 60)]
    # 60 was shown once before Ring set it (another device's history, say): not a sighting.
    shown = [(10.0, 60), (150.0, 50)]
    assert bd.staleness(changes, shown) == [50.0]
    assert bd.staleness([], shown) == []


def test_summary() -> None:
    assert bd.Summary.of([]) is None
    summary = bd.Summary.of([10.0, 30.0, 60.0, 20.0])
    assert summary == bd.Summary(median=25.0, worst=60.0, count=4)
    assert summary.seconds() == "median 25 s, worst 60 s (4)"
    minutes = bd.Summary.of([414.0, 870.0, 6.0])
    assert minutes is not None
    assert minutes.minutes() == "median 6.9 min, worst 14.5 min = 870 s (3)"


def test_next_value_never_repeats_a_value() -> None:
    rng = random.Random(3)  # noqa: S311
    used = {5}
    values = [bd.next_value(rng, used, 1, 10) for _ in range(9)]
    assert sorted(values) == [1, 2, 3, 4, 6, 7, 8, 9, 10]
    with pytest.raises(ValueError):
        bd.next_value(rng, used, 1, 10)


def test_the_plan_is_the_same_for_both_sides_and_fits_the_windows() -> None:
    plan = bd.Plan.make()
    assert plan == bd.Plan.make()
    day = bd.DAY_HOURS * 3600
    assert len(plan.dings) == bd.DINGS >= 100
    assert len(plan.battery) == bd.BATTERY_CHANGES
    assert len(plan.wifi) == bd.WIFI_CHANGES
    for at, offset, kind in plan.dings:
        assert bd.SETTLE <= at < day - bd.SETTLE
        assert offset in bd.HISTORY_OFFSETS
        # Cameras (3, 4) only see motion; the doorbells (1, 2) ring or see motion.
        assert kind == "motion" or offset in (1, 2)
    # Every change leaves time for a 15-minute read to show it before its part ends.
    assert all(at <= day - bd.TAIL for at, _, _ in plan.battery)
    wifi_end = day + bd.WIFI_HOURS * 3600
    assert all(day < at <= wifi_end - bd.TAIL for at, _, _ in plan.wifi)
    for changes in (plan.battery, plan.wifi):
        pairs = [(offset, value) for _, offset, value in changes]
        assert len(pairs) == len(set(pairs))  # no value repeats on a device


def test_record_keeps_what_changed_and_measures_per_device() -> None:
    record = bd.Record()
    for now, value in ((0.0, 83), (60.0, 83), (120.0, 50), (125.0, None)):
        record.show("battery", 2, value, now)
    assert record.shown[("battery", 2)] == [(0.0, 83), (120.0, 50)]
    record.battery_changes[2] = [(100.0, 50)]
    record.battery_changes[3] = [(100.0, 40)]  # never shown
    assert record.changes("battery") == 2
    assert record.stale("battery") == [20.0]
    assert record.stale("wifi") == []


def test_rows() -> None:
    ours = bd.Record(
        calls_day=3904,
        seconds_day=86400,
        calls_wifi=1088,
        seconds_wifi=21600,
        token_calls_day=24,
        injected={"1": 0.0, "2": 0.0},
        seen={"1": 26.0},
        battery_changes={2: [(0.0, 50)]},
        shown={("battery", 2): [(60.0, 50)]},
    )
    theirs = bd.Record(
        calls_day=14370,
        seconds_day=86400,
        calls_wifi=3580,
        seconds_wifi=21600,
        unauthorized_day=2,
    )
    rows = bd.rows_of(ours, theirs)
    table = {row[0][:2]: row[1:] for row in rows if isinstance(row, tuple)}
    assert list(table) == ["6a", "6b", "7 ", "8a", "8b", "9 "]
    assert table["6a"][0] == "32.5 (3904 calls, 5 devices x 24.0 h)"
    assert table["6a"][1] == "119.8 (14370 calls, 5 devices x 24.0 h)"
    assert table["6b"][0].startswith("36.3 ")
    assert table["7 "][0] == "median 26 s, worst 26 s (1); 1 never seen"
    assert table["7 "][1] == "none seen"
    assert table["8a"][0] == "median 1.0 min, worst 1.0 min = 60 s (1)"
    assert table["8b"] == ("not shown", "not shown", "<= 15 min")
    assert table["9 "][0] == "24.0/day (24 in 24.0 h; 0 x 401)"
    assert table["9 "][1] == "0.0/day (0 in 24.0 h; 2 x 401)"
    with pytest.raises(ValueError):
        bd.rows_of(ours, bd.Record())  # a side that never ran has no rate
    assert any(isinstance(row, str) and row.startswith("6-9") for row in rows)
    steps = bd.StepLog()
    for seconds in (0.01, 0.25, 0.02):
        steps.note(seconds)
    assert (steps.stops, steps.longest) == (3, 0.25)
    (note,) = (row for row in bd.rows_of(ours, theirs, steps) if isinstance(row, str))
    assert note.endswith(
        "The clock stopped 3 times; the longest stop took 0.25 s of real time,"
        " which simulated time ran on for."
    )
