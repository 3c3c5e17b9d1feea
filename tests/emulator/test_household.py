"""The household's Python hooks: default devices, add, remove, share, update, ding, switches."""

from __future__ import annotations

import pytest

from ring_emulator import RingEmulator
from ring_emulator.devices import BATTERY_SNAPSHOT_EVERY, WIRED_SNAPSHOT_EVERY
from ring_emulator.household import MAX_EVENTS

from .common import EMAIL, SMS

# Devices of the SMS account (account id 111).
FRONT, BACK, GARDEN, DRIVEWAY, CHIME = range(111001, 111006)


def test_default_household(emulator: RingEmulator) -> None:
    """Every account starts with the same five devices and some past events."""
    devices = emulator.household.devices(SMS)

    assert [(d.id, d.kind, d.group) for d in devices] == [
        (FRONT, "lpd_v2", "doorbots"),
        (BACK, "doorbell_v5", "doorbots"),
        (GARDEN, "stickup_cam_lunar", "stickup_cams"),
        (DRIVEWAY, "floodlight_v2", "stickup_cams"),
        (CHIME, "chime_pro", "chimes"),
    ]
    assert [d.id for d in emulator.household.devices(EMAIL)] == list(
        range(222001, 222006)
    )
    assert [(d.has_light, d.has_siren) for d in devices] == [
        (False, False),
        (False, False),
        (False, True),
        (True, True),
        (False, False),
    ]
    events = sorted((e for d in devices for e in d.events), key=lambda e: e.at)
    assert [e.id for e in events] == sorted(e.id for e in events)  # ids grow with time
    assert all(e.at < emulator.clock.now() for e in events)
    assert len(emulator.household.devices()) >= 10


def test_add_devices_by_kind(emulator: RingEmulator) -> None:
    """The list, light and siren of an added device follow from its kind unless given."""
    household = emulator.household
    added = [
        household.add_device(SMS, "chime_v2", "Upstairs"),
        household.add_device(SMS, "intercom_handset_audio", "Gate", battery=52),
        household.add_device(SMS, "doorbell_oyster", "Side Door", battery=99),
        household.add_device(SMS, "cocoa_spotlight", "Patio"),
        household.add_device(SMS, "stickup_cam_mini", "Kitchen", siren=True),
        household.add_device(
            SMS, "three_p_cam", "Shed", group="stickup_cams", light=False
        ),
        household.add_device(SMS, "beams_bridge_v1", "Bridge"),
        household.add_device(SMS, "stickup_cam_lunar", "Shed door", battery=20),
    ]

    assert [(d.id, d.group, d.has_light, d.has_siren) for d in added] == [
        (111011, "chimes", False, False),
        (111012, "other", False, False),
        (111013, "doorbots", False, False),
        (111014, "stickup_cams", True, True),
        (111015, "stickup_cams", False, True),
        (111016, "stickup_cams", False, False),
        (111017, "other", False, False),
        (111018, "stickup_cams", False, True),
    ]
    household.remove_device(111012)
    assert household.add_device(SMS, "chime", "Again").id == 111012
    with pytest.raises(ValueError, match="group"):
        household.add_device(SMS, "lpd_v2", "Shared", group="authorized_doorbots")
    with pytest.raises(ValueError, match="percentage"):
        household.add_device(SMS, "stickup_cam", "Bad", battery=101)
    with pytest.raises(KeyError):
        household.add_device("nobody@example.com", "chime", "Nope")


def test_remove_and_clear(emulator: RingEmulator) -> None:
    """Removed devices are gone; clear(email) empties an account, clear() starts afresh."""
    household = emulator.household
    household.remove_device(CHIME)
    assert CHIME not in [d.id for d in household.devices(SMS)]
    with pytest.raises(KeyError):
        household.remove_device(CHIME)

    household.clear(SMS)
    assert household.devices(SMS) == []
    assert len(household.devices(EMAIL)) == 5

    household.clear()
    assert len(household.devices(SMS)) == 5


def test_share_a_doorbell(emulator: RingEmulator) -> None:
    """Only doorbells can be shared; the other account then sees the device."""
    household = emulator.household
    account = household.account(EMAIL)
    assert household.visible(account, FRONT) is None

    household.share(FRONT, EMAIL)
    household.share(FRONT, EMAIL)  # twice is once
    household.share(FRONT, SMS)  # the owner: nothing to do

    assert household.device(FRONT).shared_with == [account.key]
    assert household.visible(account, FRONT) is not None
    assert FRONT in [d.id for d in household.devices(EMAIL)]
    with pytest.raises(ValueError, match="doorbells"):
        household.share(CHIME, EMAIL)


def test_update_checks_values(emulator: RingEmulator) -> None:
    """update() changes what a device reports and refuses wrong names and types."""
    household = emulator.household
    dev = household.update(
        GARDEN, name="Back Garden", battery=None, rssi=-80, online=False
    )
    assert (dev.description, dev.battery, dev.rssi, dev.online) == (
        "Back Garden",
        None,
        -80,
        False,
    )
    assert dev.offline_since == pytest.approx(emulator.clock.now(), abs=1)
    assert household.update(GARDEN, online=True).offline_since is None

    for changes, error in [
        ({"colour": "red"}, ValueError),
        ({"battery": 120}, ValueError),
        ({"battery": "50"}, TypeError),
        ({"rssi": True}, TypeError),
        ({"online": "yes"}, TypeError),
        ({"name": ""}, TypeError),
    ]:
        with pytest.raises(error):
            household.update(GARDEN, **changes)


def test_ding_kinds(emulator: RingEmulator) -> None:
    """Doorbells ring, cameras see motion, chimes report nothing; ids keep growing."""
    household = emulator.household
    first = household.ding(FRONT)
    second = household.ding(GARDEN, "motion")
    third = household.ding(FRONT, "on_demand", answered=True)

    assert first.id < second.id < third.id
    assert (first.kind, third.answered) == ("ding", True)
    assert household.device(FRONT).events[-1] == third
    intercom = household.add_device(SMS, "intercom_handset_video", "Gate")
    assert intercom.event_kinds() == ("ding", "on_demand")
    assert household.ding(intercom.id).kind == "ding"
    for dev_id, kind in [
        (GARDEN, "ding"),
        (CHIME, "motion"),
        (FRONT, "knock"),
        (intercom.id, "motion"),
    ]:
        with pytest.raises(ValueError, match=r"kind|cannot"):
            household.ding(dev_id, kind)
    with pytest.raises(KeyError):
        household.ding(999, "ding")


def test_history_is_bounded(emulator: RingEmulator) -> None:
    """A device keeps its newest events only."""
    household = emulator.household
    for _ in range(MAX_EVENTS + 5):
        household.ding(BACK)
    events = household.device(BACK).events
    assert len(events) == MAX_EVENTS
    assert household.history(household.device(BACK), 3)[0] == events[-1]


def test_switches(emulator: RingEmulator) -> None:
    """Light and siren run for their time; devices without them refuse."""
    household = emulator.household
    driveway = household.set_light(DRIVEWAY, True)
    household.set_siren(DRIVEWAY, True, 5)
    now = emulator.clock.now()
    assert driveway.light_on(now + 29)
    assert not driveway.light_on(now + 31)
    assert driveway.siren_seconds(now + 1) == 4
    household.set_siren(DRIVEWAY, False)
    assert driveway.siren_seconds(now) == 0
    with pytest.raises(ValueError, match="light"):
        household.set_light(GARDEN, True)
    with pytest.raises(ValueError, match="siren"):
        household.set_siren(FRONT, True)


def test_snapshot_times(emulator: RingEmulator) -> None:
    """Wired cameras snap every 30 s, battery ones every 10 min, all at each event."""
    household = emulator.household
    now = emulator.clock.now()
    wired, battery = household.device(DRIVEWAY), household.device(GARDEN)

    assert now - WIRED_SNAPSHOT_EVERY < wired.snapshot_time(now) <= now
    assert now - BATTERY_SNAPSHOT_EVERY < battery.snapshot_time(now) <= now - 0
    event = household.ding(GARDEN, "motion")
    assert battery.snapshot_time(emulator.clock.now()) == event.at
    assert household.device(CHIME).snapshot_time(now) is None

    household.update(DRIVEWAY, online=False)
    frozen = wired.snapshot_time(emulator.clock.now())
    assert wired.snapshot_time(emulator.clock.now() + 3600) == frozen
    household.update(DRIVEWAY, snapshots=False)
    assert wired.snapshot_time(now) is None


def test_summary(emulator: RingEmulator) -> None:
    """The control view of a device names its owner and its switches."""
    dev = emulator.household.device(DRIVEWAY)
    emulator.household.set_light(DRIVEWAY, True)
    summary = dev.summary(SMS, emulator.clock.now())
    assert summary["email"] == SMS
    assert summary["light_on"] is True
    assert summary["events"] == 2


def test_devices_of_a_removed_account_are_gone(emulator: RingEmulator) -> None:
    """When an account leaves the settings, its devices (shared ones too) disappear."""
    household = emulator.household
    household.share(FRONT, EMAIL)
    viewer = household.account(EMAIL)
    emulator.settings.accounts = [
        a for a in emulator.settings.accounts if a.email != SMS
    ]

    assert household.visible(viewer, FRONT) is None
    assert FRONT not in [d.id for d in household.devices(EMAIL)]
    assert all(d.owner != SMS for d in household.devices())
    with pytest.raises(KeyError):
        household.device(FRONT)
