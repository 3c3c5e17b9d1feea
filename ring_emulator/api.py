"""The REST API behind the token: /clients_api/session and /clients_api/ring_devices."""

from __future__ import annotations

from typing import Any

from .settings import Account

TIME_ZONE = "America/New_York"
ADDRESS = "123 Example Street"
LATITUDE = 40.7128
LONGITUDE = -74.006


def bearer_token(authorization: str) -> str:
    """Return the token of an "Authorization: Bearer ..." header ("" if none)."""
    scheme, _, token = authorization.partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def session_body(account: Account) -> dict[str, Any]:
    """Return the body of POST /clients_api/session."""
    return {
        "profile": {
            "id": account.account_id,
            "email": account.email,
            "first_name": account.first_name,
            "last_name": account.last_name,
            "phone_number": account.phone,
            "authentication_token": None,
            "features": {
                "remote_logging_format_storing": False,
                "remote_logging_level": 1,
                "subscriptions_enabled": True,
                "stickupcam_setup_enabled": True,
                "vod_enabled": False,
                "nw_enabled": True,
                "nw_v2_enabled": True,
            },
            "user_flow": "ring",
            "explorer_program_terms": None,
        }
    }


def _device(
    account: Account,
    offset: int,
    kind: str,
    description: str,
    battery: int | None,
) -> dict[str, Any]:
    """Return one device with the fields clients read."""
    base = int(account.account_id or 0) * 10
    return {
        "id": base + offset,
        "description": description,
        "device_id": f"{base + offset:012x}",
        "kind": kind,
        "firmware_version": "Up to Date",
        "location_id": f"loc-{account.account_id}",
        "owned": True,
        "owner": {"id": account.account_id, "email": account.email},
        "battery_life": None if battery is None else str(battery),
        "alerts": {"connection": "online"},
        "health": {"wifi_name": "demo-wifi", "rssi": -52, "firmware": "Up to Date"},
        "features": {
            "motions_enabled": True,
            "show_recordings": True,
            "advanced_motion_enabled": False,
        },
        "settings": {
            "motion_detection_enabled": True,
            "chime_settings": {"enable": True},
        },
        "time_zone": TIME_ZONE,
        "address": ADDRESS,
        "latitude": LATITUDE,
        "longitude": LONGITUDE,
    }


def devices_body(account: Account) -> dict[str, Any]:
    """Return the body of GET /clients_api/ring_devices: a doorbell, a stickup cam, a chime."""
    chime = _device(account, 3, "chime", "Hallway Chime", None)
    chime["settings"] = {"volume": 5, "ding_audio_id": None, "motion_audio_id": None}
    return {
        "doorbots": [_device(account, 1, "lpd_v1", "Front Door", 87)],
        "authorized_doorbots": [],
        "chimes": [chime],
        "stickup_cams": [_device(account, 2, "hp_cam_v1", "Driveway", None)],
        "other": [],
    }


def location_ids(account: Account) -> set[str]:
    """Return the ids of the locations the account's devices are at."""
    return {
        device["location_id"]
        for devices in devices_body(account).values()
        for device in devices
        if device.get("location_id")
    }
