"""Colours that carry the maturity scale, and text that stays readable on them (WCAG 2.2 contrast)."""

from __future__ import annotations

from bfc_data.reference.framework import Framework

# Black, not near-black: with white it leaves no background where neither reaches 4.5:1.
DARK_TEXT, LIGHT_TEXT = "#000000", "#FFFFFF"


def _luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (int(hex_colour.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text_on(background: str) -> str:
    """Near-black or white, whichever contrasts more with the background."""
    return LIGHT_TEXT if contrast(background, LIGHT_TEXT) > contrast(background, DARK_TEXT) else DARK_TEXT


def level_colour(fw: Framework, value: float) -> str:
    """The colour at a mean level, between the scale's colours as the heat map's colour scale blends them."""
    levels = fw.levels
    value = min(max(float(value), levels[0]), levels[-1])
    low = min(int(value), levels[-2])
    share = value - low
    a, b = fw.maturity_colours[low], fw.maturity_colours[low + 1]
    mixed = [round(int(a[i:i + 2], 16) * (1 - share) + int(b[i:i + 2], 16) * share) for i in (1, 3, 5)]
    return "#" + "".join(f"{c:02X}" for c in mixed)


def colourscale(fw: Framework) -> list:
    """The scale's colours as a plotly colour scale from the lowest level to the highest."""
    colours = list(fw.maturity_colours.values())
    return [[i / (len(colours) - 1), c] for i, c in enumerate(colours)]
