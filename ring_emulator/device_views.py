"""What the client API says about a device: its ring_devices entry, health, history, dings.

The shapes follow the answers recorded in python-ring-doorbell's test fixtures
(tests/fixtures/ring_devices.json, ring_doorboot_health_attrs.json, ring_chime_health_attrs.json,
ring_doorbot_history.json, ring_intercom_history.json, ring_ding_active.json) and the types of
ring-client-api (packages/ring-client-api/ring-types.ts: CameraData, ChimeHealth, CameraHealth);
docs/ring-protocol.md section 5 lists them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from .devices import EmuDevice, EmuEvent
from .settings import Account

TIME_ZONE = "America/New_York"
ADDRESS = "123 Example Street"
LATITUDE = 40.7128
LONGITUDE = -74.006
DING_LIFETIME = 180  # seconds a ding is listed by dings/active (its expires_in)


def ring_time(epoch: float) -> str:
    """Format a time as Ring does: 2017-03-05T15:03:40.000Z."""
    moment = datetime.fromtimestamp(epoch, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def signal_category(rssi: int) -> str:
    """Return Ring's word for a signal strength (the thresholds are the emulator's own)."""
    if rssi >= -60:
        return "good"
    return "poor" if rssi >= -75 else "very_poor"


def battery_category(level: int | None) -> str | None:
    """Return Ring's word for a battery level (the thresholds are the emulator's own)."""
    if level is None:
        return None
    if level >= 50:
        return "good"
    return "poor" if level >= 20 else "very_poor"


def owner_json(owner: Account) -> dict[str, Any]:
    """Return the owner block of a device."""
    return {
        "id": owner.account_id,
        "email": owner.email,
        "first_name": owner.first_name,
        "last_name": owner.last_name,
    }


def battery_life(dev: EmuDevice) -> int | str | None:
    """Return the battery_life field: a percent (maybe as text), or a wired device's oddity."""
    if dev.battery is None:
        return dev.wired_battery_life
    return str(dev.battery) if dev.battery_as_text else dev.battery


def device_json(
    dev: EmuDevice, owner: Account, viewer: str, now: float
) -> dict[str, Any]:
    """Return the device's entry in GET ring_devices as the viewing account sees it."""
    alerts: dict[str, Any] = {"connection": "online" if dev.online else "offline"}
    if dev.battery is not None and dev.battery < 20:
        alerts["battery"] = "low"
    body: dict[str, Any] = {
        "id": dev.id,
        "description": dev.description,
        "device_id": f"{dev.id:012x}",
        "kind": dev.kind,
        "firmware_version": dev.firmware,
        "location_id": dev.location_id,
        "time_zone": TIME_ZONE,
        "address": ADDRESS,
        "latitude": LATITUDE,
        "longitude": LONGITUDE,
        "owned": viewer == dev.owner,
        "owner": owner_json(owner),
        "alerts": alerts,
        "created_at": ring_time(dev.created_at),
        "deactivated_at": None,
        "ring_net_id": None,
        "is_sidewalk_gateway": False,
    }
    if dev.group == "chimes":
        body["do_not_disturb"] = {"seconds_left": 0}
        body["features"] = {"ringtones_enabled": True}
        body["settings"] = {
            "volume": 5,
            "ding_audio_id": None,
            "ding_audio_user_id": None,
            "motion_audio_id": None,
            "motion_audio_user_id": None,
        }
        return body
    body.update(camera_fields(dev, now))
    return body


def camera_fields(dev: EmuDevice, now: float) -> dict[str, Any]:
    """Return the fields of a doorbell, camera or intercom entry."""
    settings: dict[str, Any] = {
        "motion_detection_enabled": dev.motion_detection,
        "doorbell_volume": 5,
        "enable_vod": True,
        "live_view_preset_profile": "highest",
        "motion_snooze_preset_profile": "low",
        "power_mode": "wired" if dev.wired else "battery",
    }
    if dev.group == "doorbots":
        settings["chime_settings"] = {"type": 0, "enable": True, "duration": 3}
    fields: dict[str, Any] = {
        "battery_life": battery_life(dev),
        "external_connection": dev.wired,
        "subscribed": True,
        "subscribed_motions": True,
        "motion_snooze": None,
        "stolen": False,
        "ring_id": None,
        "features": {
            "motions_enabled": True,
            "show_recordings": True,
            "advanced_motion_enabled": False,
            "people_only_enabled": False,
            "shadow_correction_enabled": False,
            "motion_message_enabled": False,
            "night_vision_enabled": False,
        },
        "settings": settings,
        "health": embedded_health(dev, now),
    }
    if dev.has_light:
        fields["led_status"] = "on" if dev.light_on(now) else "off"
        fields["ring_cam_light_installed"] = "true"
        settings["floodlight_settings"] = {"duration": 30, "priority": 0}
    if dev.has_siren:
        fields["siren_status"] = siren_status(dev, now)
    return fields


def siren_status(dev: EmuDevice, now: float) -> dict[str, Any]:
    """Return siren_status: seconds_remaining, with start and end while it sounds."""
    remaining = dev.siren_seconds(now)
    status: dict[str, Any] = {"seconds_remaining": remaining}
    if remaining:
        status["started_at"] = ring_time(now)
        status["ends_at"] = ring_time(dev.siren_until)
    return status


def embedded_health(dev: EmuDevice, now: float) -> dict[str, Any]:
    """Return the `health` block a camera's ring_devices entry carries."""
    health: dict[str, Any] = {
        "device_type": dev.kind,
        "last_update_time": int(now),
        "connected": dev.online,
        "rssi": dev.rssi,
        "rssi_category": signal_category(dev.rssi),
        "firmware_version": dev.firmware,
        "firmware_version_status": "Up to Date",
        "battery_present": dev.battery is not None,
        "external_connection": dev.wired,
        "ac_power": 1 if dev.wired else 0,
        "network_connection_value": "wifi",
    }
    if dev.battery is not None:
        health["battery_percentage"] = dev.battery
        health["battery_percentage_category"] = battery_category(dev.battery)
    if dev.has_light:
        health["floodlight_on"] = dev.light_on(now)
    if dev.has_siren:
        health["siren_on"] = dev.siren_seconds(now) > 0
    return health


def health_body(dev: EmuDevice, now: float) -> dict[str, Any]:
    """Return GET doorbots/{id}/health or chimes/{id}/health."""
    category = signal_category(dev.rssi)
    return {
        "device_health": {
            "id": dev.id,
            "wifi_name": dev.wifi_name,
            "latest_signal_strength": dev.rssi,
            "latest_signal_category": category,
            "average_signal_strength": dev.rssi,
            "average_signal_category": category,
            "battery_percentage": dev.battery,
            "battery_percentage_category": battery_category(dev.battery),
            "battery_voltage": None,
            "battery_voltage_category": None,
            "firmware": dev.firmware,
            "firmware_out_of_date": False,
            "updated_at": ring_time(now),
            "wifi_is_ring_network": False,
            "packet_loss_category": "good",
            "packet_loss_strength": 0,
        }
    }


def history_entry(dev: EmuDevice, event: EmuEvent, owner: Account) -> dict[str, Any]:
    """Return one entry of GET doorbots/{id}/history."""
    return {
        "id": event.id,
        "created_at": ring_time(event.at),
        "answered": event.answered,
        "events": [],
        "kind": event.kind,
        "favorite": False,
        "snapshot_url": "",
        "recording": {"status": "ready"},
        "duration": 20.0,
        "cv_properties": {
            "person_detected": None,
            "stream_broken": False,
            "detection_type": None,
        },
        "properties": {"is_alexa": False, "is_sidewalk": False, "is_autoreply": False},
        "doorbot": {"id": dev.id, "description": dev.description, "type": dev.kind},
        "siren": None,
        "is_e2ee": False,
        "had_subscription": True,
        "owner_id": str(owner.account_id),
    }


def ding_entry(dev: EmuDevice, event: EmuEvent) -> dict[str, Any]:
    """Return an active ding as GET dings/active lists it."""
    return {
        "id": event.id,
        "id_str": str(event.id),
        "state": "ringing",
        "protocol": "sip",
        "doorbot_id": dev.id,
        "doorbot_description": dev.description,
        "device_kind": dev.kind,
        "motion": event.kind == "motion",
        "snapshot_url": "",
        "kind": event.kind,
        "expires_in": DING_LIFETIME,
        "now": event.at,
        "optimization_level": 1,
        "requested_at": int(event.at * 1000),
    }
