"""Draw the Ring Auth brand images (icon and logo, 1x and 2x) with Pillow.

The mark is original: a blue disc holding a white key whose bow is a ring. It is not
Ring's logo or any of its artwork. Home Assistant's brands rules are followed: PNG,
transparent background, trimmed, square icon (256 and 512 px), landscape logo whose
shortest side is 128 px (1x) and 256 px (2x).

Run from the repository root: ``.venv/bin/python scripts/make_brand.py``.
"""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

BLUE = (25, 152, 213, 255)  # #1998D5
WHITE = (255, 255, 255, 255)
CLEAR = (0, 0, 0, 0)
# Everything is drawn this many times larger, then scaled down for smooth edges.
MASTER = 2048
WORDMARK = "Ring Auth"
FONT_FILES = (
    "DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf",
    "/Library/Fonts/Arial Bold.ttf",
)
OUT_DIR = Path(__file__).resolve().parent.parent / "custom_components/ring_auth/brand"


def _key_layer(size: int) -> Image.Image:
    """Return a white key lying flat (bow on the left), centred on a clear square."""
    layer = Image.new("RGBA", (size, size), CLEAR)
    draw = ImageDraw.Draw(layer)
    bow_outer = 0.175 * size
    bow_inner = 0.085 * size
    shaft_len = 0.44 * size
    shaft_half = 0.05 * size
    tooth_w = 0.065 * size
    total = 2 * bow_outer + shaft_len - 0.02 * size
    left = (size - total) / 2
    cy = size / 2
    bow_cx = left + bow_outer
    shaft_start = bow_cx + bow_outer - 0.02 * size
    shaft_end = shaft_start + shaft_len
    draw.rectangle(
        (shaft_start - 0.05 * size, cy - shaft_half, shaft_end, cy + shaft_half),
        fill=WHITE,
    )
    # Two bits below the shaft end; the shorter one sits further in.
    for offset, depth in ((0.0, 0.13), (0.11, 0.095)):
        right = shaft_end - offset * size
        draw.rectangle(
            (right - tooth_w, cy, right, cy + shaft_half + depth * size), fill=WHITE
        )
    draw.ellipse(
        (bow_cx - bow_outer, cy - bow_outer, bow_cx + bow_outer, cy + bow_outer),
        fill=WHITE,
    )
    draw.ellipse(
        (bow_cx - bow_inner, cy - bow_inner, bow_cx + bow_inner, cy + bow_inner),
        fill=CLEAR,
    )
    return layer


def draw_icon(size: int = MASTER) -> Image.Image:
    """Return the square mark at master size: blue disc, white key turned 45 degrees."""
    icon = Image.new("RGBA", (size, size), CLEAR)
    ImageDraw.Draw(icon).ellipse((0, 0, size - 1, size - 1), fill=BLUE)
    key = _key_layer(size).rotate(
        45, resample=Image.Resampling.BICUBIC, center=(size / 2, size / 2)
    )
    # Centre the turned key on the disc; its hole shows the disc (blue), not the background.
    left, top, right, bottom = key.getchannel("A").getbbox() or (0, 0, size, size)
    key = key.crop((left, top, right, bottom))
    icon.alpha_composite(key, ((size - key.width) // 2, (size - key.height) // 2))
    return icon


def _font(px: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """Return a bold sans font of the given size, or Pillow's built-in one."""
    for name in FONT_FILES:
        try:
            return ImageFont.truetype(name, px)
        except OSError:
            continue
    return ImageFont.load_default(px)


def draw_logo(height: int = MASTER // 2) -> Image.Image:
    """Return the landscape logo at master height: the mark, then the wordmark in blue."""
    mark = draw_icon(MASTER).resize((height, height), Image.Resampling.LANCZOS)
    font = _font(int(height * 0.62))
    probe = ImageDraw.Draw(Image.new("RGBA", (1, 1)))
    left, top, right, bottom = (
        round(edge) for edge in probe.textbbox((0, 0), WORDMARK, font=font)
    )
    gap = int(height * 0.22)
    logo = Image.new("RGBA", (height + gap + (right - left), height), CLEAR)
    logo.alpha_composite(mark)
    text_y = (height - (bottom - top)) / 2 - top
    ImageDraw.Draw(logo).text(
        (height + gap - left, text_y), WORDMARK, font=font, fill=BLUE
    )
    return logo


def trim(image: Image.Image) -> Image.Image:
    """Crop away fully transparent rows and columns."""
    bbox = image.getchannel("A").getbbox()
    return image.crop(bbox) if bbox else image


def _scaled(image: Image.Image, *, height: int) -> Image.Image:
    width = round(image.width * height / image.height)
    return image.resize((width, height), Image.Resampling.LANCZOS)


def main() -> None:
    """Write icon.png, icon@2x.png, logo.png and logo@2x.png."""
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    icon = trim(draw_icon())
    logo = trim(draw_logo())
    outputs = {
        "icon.png": _scaled(icon, height=256),
        "icon@2x.png": _scaled(icon, height=512),
        "logo.png": _scaled(logo, height=128),
        "logo@2x.png": _scaled(logo, height=256),
    }
    for name, image in outputs.items():
        path = OUT_DIR / name
        # Flat colours: a 64-colour palette with alpha keeps each file small.
        image.quantize(64, method=Image.Quantize.FASTOCTREE).save(path, optimize=True)
        print(f"{path.name}: {image.width}x{image.height}, {path.stat().st_size} bytes")


if __name__ == "__main__":
    main()
