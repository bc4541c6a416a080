"""Draw the sample bulletin's logo: a yellow star on red (docs/assets/logo.png and .svg).

A province replaces both files with its own logo; the PNG is the publisher logo
that search engines read from the JSON-LD, the SVG the browser's icon.
"""

import math
from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "docs" / "assets"
RED, YELLOW = "#b3131b", "#ffd42a"


def star(cx: float, cy: float, outer: float) -> list[tuple[float, float]]:
    inner = outer * math.sin(math.radians(18)) / math.sin(math.radians(54))
    points = []
    for i in range(10):
        r = outer if i % 2 == 0 else inner
        a = math.radians(-90 + 36 * i)
        points.append((cx + r * math.cos(a), cy + r * math.sin(a)))
    return points


def main() -> None:
    size = 512
    img = Image.new("RGB", (size, size), RED)
    ImageDraw.Draw(img).polygon(star(size / 2, size * 0.53, size * 0.36), fill=YELLOW)
    img.save(OUT / "logo.png", optimize=True)
    pts = " ".join(f"{x / size * 64:.2f},{y / size * 64:.2f}" for x, y in star(size / 2, size * 0.53, size * 0.36))
    (OUT / "logo.svg").write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">'
        f'<rect width="64" height="64" rx="8" fill="{RED}"/><polygon points="{pts}" fill="{YELLOW}"/></svg>\n')


if __name__ == "__main__":
    main()
