"""A small baseline JPEG encoder (greyscale), so the emulator needs no imaging library.

Pillow is installed beside Home Assistant, but only as Home Assistant's dependency; the
emulator runs without Home Assistant (`python -m ring_emulator`), so it encodes its snapshot
images itself: 8x8 DCT, the example quantisation table of ITU-T T.81 Annex K scaled to a
quality, and the standard Huffman tables of Annex K.3. Flat blocks (most of a snapshot) skip
the DCT, which keeps a 384x216 image at a few milliseconds.
"""

from __future__ import annotations

import math
import struct

ZIGZAG = (
    0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5,
    12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
    35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
    58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
)  # fmt: skip

# Annex K.1, luminance, in natural (row-major) order.
BASE_QUANT = (
    16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55,
    14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
    18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
    49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
)  # fmt: skip

# Annex K.3: code counts per length 1..16 and the symbols, for luminance DC and AC.
DC_BITS = (0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0)
DC_VALUES = tuple(range(12))
AC_BITS = (0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7D)
AC_VALUES = bytes.fromhex(
    "01020300041105122131410613516107227114328191a1082342b1c11552d1f0"
    "2433627282090a161718191a25262728292a3435363738393a434445464748494a"
    "535455565758595a636465666768696a737475767778797a838485868788898a"
    "92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6"
    "c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1f2f3f4f5f6f7f8f9fa"
)

# COS[u][x] = C(u)/2 * cos((2x + 1) u pi / 16): one pass of the separable 8x8 DCT.
COS = tuple(
    tuple(
        (math.sqrt(0.5) if u == 0 else 1.0)
        / 2
        * math.cos((2 * x + 1) * u * math.pi / 16)
        for x in range(8)
    )
    for u in range(8)
)

type Code = tuple[int, int]  # (code, length)


def quant_table(quality: int) -> tuple[int, ...]:
    """Scale the Annex K table to a quality of 1..100 (the IJG convention)."""
    quality = min(100, max(1, quality))
    scale = 5000 // quality if quality < 50 else 200 - 2 * quality
    return tuple(min(255, max(1, (q * scale + 50) // 100)) for q in BASE_QUANT)


def huffman_codes(
    bits: tuple[int, ...], values: bytes | tuple[int, ...]
) -> dict[int, Code]:
    """Build the code of each symbol from a BITS/HUFFVAL table (Annex C)."""
    codes: dict[int, Code] = {}
    code, index = 0, 0
    for length, count in enumerate(bits, start=1):
        for _ in range(count):
            codes[values[index]] = (code, length)
            code += 1
            index += 1
        code <<= 1
    return codes


DC_CODES = huffman_codes(DC_BITS, DC_VALUES)
AC_CODES = huffman_codes(AC_BITS, AC_VALUES)


class BitWriter:
    """Entropy-coded bits, with a 0x00 stuffed after every 0xFF byte."""

    __slots__ = ("_acc", "_count", "out")

    def __init__(self) -> None:
        """Start empty."""
        self.out = bytearray()
        self._acc = 0
        self._count = 0

    def write(self, value: int, length: int) -> None:
        """Append the low `length` bits of value."""
        self._acc = (self._acc << length) | (value & ((1 << length) - 1))
        self._count += length
        while self._count >= 8:
            self._count -= 8
            byte = (self._acc >> self._count) & 0xFF
            self.out.append(byte)
            if byte == 0xFF:
                self.out.append(0)
        self._acc &= (1 << self._count) - 1

    def flush(self) -> bytes:
        """Pad the last byte with 1 bits and return everything written."""
        if self._count:
            self.write(0x7F, 8 - self._count)
        return bytes(self.out)


def magnitude(value: int) -> tuple[int, int]:
    """Return (size category, the value's bits) as JPEG codes a coefficient."""
    size = abs(value).bit_length()
    return size, value if value >= 0 else value + (1 << size) - 1


def fdct(block: list[float]) -> list[float]:
    """Return the 2-D forward DCT of a level-shifted 8x8 block (row-major)."""
    rows = [
        [sum(c * block[r * 8 + x] for x, c in enumerate(COS[u])) for u in range(8)]
        for r in range(8)
    ]
    return [
        sum(COS[v][y] * rows[y][u] for y in range(8))
        for v in range(8)
        for u in range(8)
    ]


def encode_block(
    writer: BitWriter, block: list[float], quant: tuple[int, ...], previous_dc: int
) -> int:
    """Write one block's Huffman codes; return its quantised DC for the next block."""
    first = block[0]
    if all(p == first for p in block):
        coeffs = [8.0 * first] + [0.0] * 63  # a flat block has only a DC term
    else:
        coeffs = fdct(block)
    zz = [round(coeffs[ZIGZAG[i]] / quant[ZIGZAG[i]]) for i in range(64)]
    size, bits = magnitude(zz[0] - previous_dc)
    writer.write(*DC_CODES[size])
    writer.write(bits, size)
    run = 0
    for coefficient in zz[1:]:
        if coefficient == 0:
            run += 1
            continue
        while run > 15:
            writer.write(*AC_CODES[0xF0])  # sixteen zeros
            run -= 16
        size, bits = magnitude(coefficient)
        writer.write(*AC_CODES[(run << 4) | size])
        writer.write(bits, size)
        run = 0
    if run:
        writer.write(*AC_CODES[0x00])  # end of block
    return zz[0]


def segment(marker: int, payload: bytes) -> bytes:
    """Return a marker segment with its length field."""
    return struct.pack(">HH", 0xFF00 | marker, len(payload) + 2) + payload


def huffman_segment(
    table_class: int, table_id: int, bits: tuple[int, ...], values: bytes
) -> bytes:
    """Return a DHT segment for one table."""
    return segment(0xC4, bytes([(table_class << 4) | table_id, *bits]) + values)


def encode_grey(
    width: int, height: int, pixels: bytes | bytearray, quality: int = 85
) -> bytes:
    """Encode width x height 8-bit grey pixels (row-major) as a baseline JFIF JPEG."""
    if width < 1 or height < 1 or len(pixels) != width * height:
        raise ValueError("pixels must hold width * height bytes")
    quant = quant_table(quality)
    header = (
        b"\xff\xd8"
        + segment(0xE0, b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00")
        + segment(0xDB, b"\x00" + bytes(quant[i] for i in ZIGZAG))
        + segment(0xC0, struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00")
        + huffman_segment(0, 0, DC_BITS, bytes(DC_VALUES))
        + huffman_segment(1, 0, AC_BITS, AC_VALUES)
        + segment(0xDA, b"\x01\x01\x00\x00\x3f\x00")
    )
    writer = BitWriter()
    dc = 0
    for top in range(0, height, 8):
        rows = [min(top + y, height - 1) for y in range(8)]  # repeat the edge
        for left in range(0, width, 8):
            cols = [min(left + x, width - 1) for x in range(8)]
            block = [float(pixels[r * width + c] - 128) for r in rows for c in cols]
            dc = encode_block(writer, block, quant, dc)
    return header + writer.flush() + b"\xff\xd9"
