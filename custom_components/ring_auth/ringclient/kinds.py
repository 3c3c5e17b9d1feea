"""Ring device kinds: model names and which cameras have a light or a siren.

Ring names no model; clients map the `kind` field. The names follow python-ring-doorbell 0.9.14
(ring_doorbell/const.py and the `model` properties of doorbot.py, stickup_cam.py, chime.py,
other.py), so users moving from Home Assistant's core `ring` integration see the same names;
kinds it does not know come from ring-client-api (ring-types.ts, RingCameraModel, ChimeModel).
"""

from typing import Final

from .devices import DeviceFamily

MODEL_NAMES: Final[dict[str, str]] = {
    # doorbells
    "doorbot": "Doorbell",
    "doorbell": "Doorbell",
    "doorbell_v3": "Doorbell",
    "doorbell_v4": "Doorbell 2",
    "doorbell_v5": "Doorbell 2",
    "doorbell_scallop_lite": "Doorbell 3",
    "doorbell_scallop": "Doorbell 3 Plus",
    "doorbell_oyster": "Doorbell 4",
    "lpd_v1": "Doorbell Pro",
    "lpd_v2": "Doorbell Pro",
    "lpd_v3": "Doorbell Pro",
    "lpd_v4": "Doorbell Pro 2",
    "jbox_v1": "Doorbell Elite",
    "doorbell_graham_cracker": "Doorbell Wired",
    "df_doorbell_clownfish": "Battery Doorbell",
    "doorbell_portal": "Peephole Cam",
    "cocoa_doorbell": "Doorbell (2nd Gen)",
    "cocoa_doorbell_v2": "Doorbell (2nd Gen)",
    "cocoa_doorbell_v3": "Battery Doorbell Pro",  # ring-client-api
    # cameras
    "hp_cam_v1": "Floodlight Cam",
    "floodlight_v1": "Floodlight Cam",  # ring-client-api
    "floodlight_v2": "Floodlight Cam",
    "floodlight_pro": "Floodlight Cam Pro",
    "cocoa_floodlight": "Floodlight Cam Plus",
    "stickup_cam_mini": "Indoor Cam",
    "stickup_cam_mini_v2": "Indoor Cam (2nd Gen)",
    "stickup_cam_mini_ptz_v1": "Pan-Tilt Indoor Cam",
    "stickup_cam_v4": "Spotlight Cam Battery",
    "hp_cam_v2": "Spotlight Cam Wired",
    "spotlightw_v2": "Spotlight Cam Wired",
    "cocoa_spotlight": "Spotlight Cam Plus",
    "stickup_cam_longfin": "Spotlight Cam Pro",
    "stickup_cam": "Stick Up Cam",
    "stickup_cam_v3": "Stick Up Cam",
    "stickup_cam_lunar": "Stick Up Cam Battery",
    "stickup_cam_elite": "Stick Up Cam Wired",
    "stickup_cam_wired": "Stick Up Cam Wired",
    "cocoa_camera": "Stick Up Cam (3rd Gen)",
    "onvif_camera": "ONVIF Camera",  # ring-client-api
    # chimes and intercoms
    "chime": "Chime",
    "chime_v2": "Chime",
    "chime_pro": "Chime Pro",
    "chime_pro_v2": "Chime Pro",
    "intercom_handset_audio": "Intercom",
    "intercom_handset_video": "Intercom",
}

# Cameras python-ring-doorbell gives a light (RingCapability.LIGHT) or a siren (SIREN); a
# device whose ring_devices entry carries led_status / siren_status has them too
# (ring-client-api: hasLight, hasSiren).
LIGHT_KINDS: Final = frozenset(
    {
        "hp_cam_v1", "floodlight_v2", "floodlight_pro", "cocoa_floodlight",
        "stickup_cam_v4", "hp_cam_v2", "spotlightw_v2", "cocoa_spotlight",
        "stickup_cam_longfin",
    }
)  # fmt: skip
SIREN_KINDS: Final = LIGHT_KINDS | frozenset(
    {
        "stickup_cam_mini", "stickup_cam_mini_v2", "stickup_cam_mini_ptz_v1",
        "stickup_cam_lunar", "stickup_cam_elite", "stickup_cam_wired", "cocoa_camera",
    }
)  # fmt: skip

_UNKNOWN: Final = {
    DeviceFamily.DOORBELL: "Doorbell",
    DeviceFamily.CAMERA: "Camera",
    DeviceFamily.CHIME: "Chime",
    DeviceFamily.INTERCOM: "Intercom",
    DeviceFamily.OTHER: "Device",
}


def model_name(kind: str, family: DeviceFamily) -> str:
    """Return the model name of a kind; an unknown kind names its family and itself."""
    if name := MODEL_NAMES.get(kind):
        return name
    return f"{_UNKNOWN[family]} ({kind})" if kind else _UNKNOWN[family]


def family_of(group: str, kind: str) -> DeviceFamily:
    """Return a device's family from its ring_devices list and kind."""
    if group in ("doorbots", "authorized_doorbots"):
        return DeviceFamily.DOORBELL
    if group == "chimes":
        return DeviceFamily.CHIME
    if group == "stickup_cams":
        # ring-client-api counts a stickup_cams entry whose kind starts with doorbell as one.
        return (
            DeviceFamily.DOORBELL
            if kind.startswith("doorbell")
            else DeviceFamily.CAMERA
        )
    return DeviceFamily.INTERCOM if kind.startswith("intercom") else DeviceFamily.OTHER
