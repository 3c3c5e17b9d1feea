"""A 5x7 bitmap font (upper case, digits, common punctuation) drawn into grey pixel buffers."""

from __future__ import annotations

GLYPH_WIDTH = 5
GLYPH_HEIGHT = 7

# Each glyph: seven rows of five bits, the most significant bit leftmost (HD44780 style).
_ROWS = {
    " ": "00 00 00 00 00 00 00",
    "0": "0E 11 13 15 19 11 0E",
    "1": "04 0C 04 04 04 04 0E",
    "2": "0E 11 01 02 04 08 1F",
    "3": "1F 02 04 02 01 11 0E",
    "4": "02 06 0A 12 1F 02 02",
    "5": "1F 10 1E 01 01 11 0E",
    "6": "06 08 10 1E 11 11 0E",
    "7": "1F 01 02 04 08 08 08",
    "8": "0E 11 11 0E 11 11 0E",
    "9": "0E 11 11 0F 01 02 0C",
    "A": "0E 11 11 11 1F 11 11",
    "B": "1E 11 11 1E 11 11 1E",
    "C": "0E 11 10 10 10 11 0E",
    "D": "1C 12 11 11 11 12 1C",
    "E": "1F 10 10 1E 10 10 1F",
    "F": "1F 10 10 1E 10 10 10",
    "G": "0E 11 10 17 11 11 0F",
    "H": "11 11 11 1F 11 11 11",
    "I": "0E 04 04 04 04 04 0E",
    "J": "07 02 02 02 02 12 0C",
    "K": "11 12 14 18 14 12 11",
    "L": "10 10 10 10 10 10 1F",
    "M": "11 1B 15 15 11 11 11",
    "N": "11 11 19 15 13 11 11",
    "O": "0E 11 11 11 11 11 0E",
    "P": "1E 11 11 1E 10 10 10",
    "Q": "0E 11 11 11 15 12 0D",
    "R": "1E 11 11 1E 14 12 11",
    "S": "0F 10 10 0E 01 01 1E",
    "T": "1F 04 04 04 04 04 04",
    "U": "11 11 11 11 11 11 0E",
    "V": "11 11 11 11 11 0A 04",
    "W": "11 11 11 15 15 15 0A",
    "X": "11 11 0A 04 0A 11 11",
    "Y": "11 11 11 0A 04 04 04",
    "Z": "1F 01 02 04 08 10 1F",
    ":": "00 0C 0C 00 0C 0C 00",
    "-": "00 00 00 1F 00 00 00",
    ".": "00 00 00 00 00 0C 0C",
    ",": "00 00 00 00 0C 04 08",
    "/": "00 01 02 04 08 10 00",
    "(": "02 04 08 08 08 04 02",
    ")": "08 04 02 02 02 04 08",
    "_": "00 00 00 00 00 00 1F",
    "'": "0C 04 08 00 00 00 00",
    "!": "04 04 04 04 00 00 04",
    "?": "0E 11 01 02 04 00 04",
    "+": "00 04 04 1F 04 04 00",
    "&": "0C 12 14 08 15 12 0D",
    "#": "0A 0A 1F 0A 1F 0A 0A",
}
GLYPHS: dict[str, tuple[int, ...]] = {
    char: tuple(int(row, 16) for row in rows.split()) for char, rows in _ROWS.items()
}


def glyph(char: str) -> tuple[int, ...]:
    """Return the rows of a character (lower case as upper case; unknown ones as '?')."""
    return GLYPHS.get(char.upper(), GLYPHS["?"])


def text_width(text: str, scale: int) -> int:
    """Return the width in pixels of a line of text (one pixel column between characters)."""
    return max(0, len(text) * (GLYPH_WIDTH + 1) - 1) * scale


def fit_scale(text: str, width: int, largest: int) -> int:
    """Return the largest scale up to `largest` at which the text fits the width (at least 1)."""
    scale = largest
    while scale > 1 and text_width(text, scale) > width:
        scale -= 1
    return scale


def draw_text(
    canvas: bytearray, width: int, x: int, y: int, text: str, scale: int, shade: int
) -> None:
    """Draw text with its top-left corner at (x, y); pixels outside the canvas are dropped."""
    height = len(canvas) // width
    for index, char in enumerate(text):
        left = x + index * (GLYPH_WIDTH + 1) * scale
        for row, bits in enumerate(glyph(char)):
            for col in range(GLYPH_WIDTH):
                if bits & (1 << (GLYPH_WIDTH - 1 - col)):
                    fill(
                        canvas,
                        width,
                        (left + col * scale, y + row * scale, scale, scale),
                        shade,
                        height,
                    )


def fill(
    canvas: bytearray,
    width: int,
    box: tuple[int, int, int, int],
    shade: int,
    height: int | None = None,
) -> None:
    """Fill the (x, y, w, h) box with a shade, clipped to the canvas."""
    rows = len(canvas) // width if height is None else height
    x, y, w, h = box
    x0, x1 = max(0, x), min(width, x + w)
    if x0 >= x1:
        return
    run = bytes([shade]) * (x1 - x0)
    for row in range(max(0, y), min(rows, y + h)):
        canvas[row * width + x0 : row * width + x1] = run
