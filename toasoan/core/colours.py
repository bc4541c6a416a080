"""The bulletin's one brand colour, and the shades the page derives from it.

A province sets ``brand_colour`` once; the masthead bar, links, kickers and the
browser's ``theme-color`` all follow. Darker shades are computed, and a colour
that white text on it or links in it could not be read against (WCAG AA, 4.5:1)
is refused: a party bulletin is read by older readers on cheap screens.
"""

from __future__ import annotations

import re

DEFAULT = "#b3141b"
HEX = re.compile(r"#[0-9a-fA-F]{6}")


def _rgb(colour: str) -> tuple[int, int, int]:
    return tuple(int(colour[i:i + 2], 16) for i in (1, 3, 5))


def _luminance(colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def darker(colour: str, factor: float = 0.8) -> str:
    return "#" + "".join(f"{round(c * factor):02x}" for c in _rgb(colour))


def problem(colour) -> str | None:
    """Why ``colour`` cannot be the brand colour (None when it can)."""
    if not isinstance(colour, str) or not HEX.fullmatch(colour):
        return f"màu '{colour}' phải viết dạng #rrggbb, ví dụ #b3141b"
    if contrast(colour, "#ffffff") < 4.5:
        return (f"màu {colour} quá nhạt: chữ trắng trên nền màu này khó đọc "
                f"(tương phản {contrast(colour, '#ffffff'):.1f}:1, cần ít nhất 4.5:1)")
    return None


def shades(colour: str) -> dict[str, str]:
    """The CSS custom properties the stylesheet reads, for the light scheme."""
    colour = colour.lower()
    return {"--ts-red": colour, "--ts-bar": colour, "--md-primary-fg-color": colour,
            "--md-primary-fg-color--dark": darker(colour), "--md-accent-fg-color": darker(colour),
            "--md-typeset-a-color": darker(colour, 0.91), "--ts-kicker": darker(colour, 0.91)}
