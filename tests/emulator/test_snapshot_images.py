"""Snapshot images: the JPEG encoder, the bitmap font and the composed picture."""

from __future__ import annotations

import io

from PIL import Image
import pytest

from ring_emulator import snapshots
from ring_emulator.font import draw_text, fill, fit_scale, glyph, text_width
from ring_emulator.jpeg import BitWriter, encode_grey, quant_table
from ring_emulator.snapshots import HEIGHT, WIDTH, SnapshotImages, compose


def decode(data: bytes) -> Image.Image:
    """Decode a JPEG with Pillow (a strict, independent decoder)."""
    image = Image.open(io.BytesIO(data))
    image.load()
    return image


@pytest.mark.parametrize(("width", "height"), [(1, 1), (13, 7), (64, 48), (100, 9)])
def test_encoder_round_trip(width: int, height: int) -> None:
    """Any size encodes to a baseline JPEG that decodes close to the input."""
    pixels = bytes((x * 7 + y * 13) % 256 for y in range(height) for x in range(width))
    image = decode(encode_grey(width, height, pixels, quality=95))
    assert (image.format, image.mode, image.size) == ("JPEG", "L", (width, height))
    flat = encode_grey(width, height, bytes([200]) * (width * height))
    assert set(decode(flat).tobytes()) <= {199, 200, 201}


def test_encoder_rejects_wrong_sizes() -> None:
    """The pixel count must match the size."""
    with pytest.raises(ValueError, match="pixels"):
        encode_grey(4, 4, b"\x00" * 15)
    with pytest.raises(ValueError, match="pixels"):
        encode_grey(0, 4, b"")


def test_quantisation_and_stuffing() -> None:
    """Tables stay in 1..255 at any quality; 0xFF in the scan is followed by a 0x00."""
    for quality in (-5, 1, 50, 100, 500):
        assert all(1 <= q <= 255 for q in quant_table(quality))
    writer = BitWriter()
    writer.write(0xFF, 8)
    writer.write(0b1, 1)
    assert writer.flush() == b"\xff\x00\xff\x00"  # the padding makes a 0xFF too


def test_font() -> None:
    """Lower case draws as upper case, unknown characters as '?'; text is clipped."""
    assert glyph("a") == glyph("A")
    assert glyph("é") == glyph("?")
    assert text_width("", 3) == 0
    assert text_width("AB", 2) == 22
    assert fit_scale("A" * 100, 50, 4) == 1
    canvas = bytearray(10 * 10)
    draw_text(canvas, 10, -3, -3, "H", 2, 255)
    draw_text(canvas, 10, 50, 50, "H", 2, 255)  # entirely outside: nothing
    fill(canvas, 10, (20, 0, 5, 5), 255)  # outside too
    assert canvas[3 * 10] == 255  # the H's bar (rows 3-4) reaches the left edge
    assert canvas.count(255) < 100


def test_picture_names_the_device(monkeypatch: pytest.MonkeyPatch) -> None:
    """The picture differs by name and by time, and is cached per (device, name, time)."""
    images = SnapshotImages()
    first = images.image(1, "Front Door", "lpd_v2", 1_777_000_000)
    assert images.image(1, "Front Door", "lpd_v2", 1_777_000_000.4) is first
    later = images.image(1, "Front Door", "lpd_v2", 1_777_000_030)
    renamed = images.image(1, "Porch", "lpd_v2", 1_777_000_000)
    assert len({first, later, renamed}) == 3
    assert decode(first).size == (WIDTH, HEIGHT)
    assert compose("", "x", 0).count(245) > 0  # an empty name still draws a '?'
    monkeypatch.setattr(snapshots, "CACHE_SIZE", 3)
    for n in range(3):
        images.image(2, "Cam", "x", n)
    assert (
        images.image(1, "Front Door", "lpd_v2", 1_777_000_000) is not first
    )  # evicted
    images.clear()
