"""Snapshot images: a small JPEG naming the device and the time it was taken."""

from __future__ import annotations

from collections import OrderedDict
from datetime import UTC, datetime

from .font import GLYPH_HEIGHT, draw_text, fill, fit_scale, text_width
from .jpeg import encode_grey

WIDTH = 384
HEIGHT = 216
MARGIN = 12
CACHE_SIZE = 64


def compose(name: str, kind: str, taken_at: float) -> bytearray:
    """Draw the picture: a framed scene with the name, the UTC time and the kind."""
    canvas = bytearray([52]) * (WIDTH * HEIGHT)
    fill(canvas, WIDTH, (0, HEIGHT * 2 // 3, WIDTH, HEIGHT), 88)  # the ground
    fill(canvas, WIDTH, (0, 0, WIDTH, 4), 230)
    fill(canvas, WIDTH, (0, HEIGHT - 4, WIDTH, 4), 230)
    moment = datetime.fromtimestamp(taken_at, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    lines = (
        (name.strip() or "?", 4, 245),
        (moment, 2, 235),
        (kind, 2, 170),
        ("RING EMULATOR SNAPSHOT", 1, 150),
    )
    y = MARGIN + 6
    for text, largest, shade in lines:
        scale = fit_scale(text, WIDTH - 2 * MARGIN, largest)
        x = max(MARGIN, (WIDTH - text_width(text, scale)) // 2)
        draw_text(canvas, WIDTH, x, y, text, scale, shade)
        y += (GLYPH_HEIGHT + 4) * scale + 10
    return canvas


class SnapshotImages:
    """Encoded snapshots, kept for the most recent (device, name, time) keys."""

    def __init__(self) -> None:
        """Start with an empty cache."""
        self._cache: OrderedDict[tuple[int, str, int], bytes] = OrderedDict()

    def image(self, device_id: int, name: str, kind: str, taken_at: float) -> bytes:
        """Return the JPEG of a device's snapshot taken at this (emulator) time."""
        key = (device_id, name, int(taken_at))
        if (cached := self._cache.get(key)) is not None:
            self._cache.move_to_end(key)
            return cached
        data = encode_grey(WIDTH, HEIGHT, compose(name, kind, taken_at))
        self._cache[key] = data
        if len(self._cache) > CACHE_SIZE:
            self._cache.popitem(last=False)
        return data

    def clear(self) -> None:
        """Drop every cached image."""
        self._cache.clear()
