"""Every theme keeps every text colour the stylesheet uses at 4.5:1 or more
on every background it is drawn on (WCAG AA): read in a sunlit courtyard."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from textual.color import Color

from tests.conftest import ROOT
from tests.ui.conftest import AppFactory
from tui.themes import THEME_NAMES, THEMES

TEXT_VARS = sorted(
    set(re.findall(r"\bcolor:\s*\$([\w-]+)", (ROOT / "tui" / "app.tcss").read_text()))
)
BACKGROUNDS = ("background", "surface", "panel")


def luminance(colour: Color) -> float:
    """WCAG 2 relative luminance."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(colour.r) + 0.7152 * linear(colour.g) + 0.0722 * linear(colour.b)


def text_colour(value: str, back: Color) -> Color:
    """A colour as Textual draws it; "auto 87%" is black or white, whichever
    reads better on the background, at that opacity."""
    if value.startswith("auto"):
        alpha = float(value.split()[1].rstrip("%")) / 100 if " " in value else 1.0
        return back.get_contrast_text(alpha)
    return Color.parse(value)


def contrast(one: Color, other: Color) -> float:
    lighter, darker = sorted((luminance(one), luminance(other)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize("theme", THEMES, ids=[t.name for t in THEMES])
def test_every_text_colour_reads_at_4_5_to_1(theme: object) -> None:
    assert TEXT_VARS, "the stylesheet names its text colours"
    colours = theme.to_color_system().generate()  # type: ignore[attr-defined]
    low = []
    for back_name in BACKGROUNDS:
        back = Color.parse(colours[back_name])
        for name in TEXT_VARS:
            fore = back + text_colour(colours[name], back)  # translucent text over it
            ratio = contrast(fore, back)
            if ratio < 4.5:
                low.append(f"${name} on ${back_name}: {ratio:.2f}")
    assert low == []


async def test_theme_from_the_palette_is_kept_on_this_laptop(
    app_on: AppFactory, sample_dir: Path
) -> None:
    app = app_on(sample_dir)
    async with app.run_test(size=(100, 30)) as pilot:
        assert app.theme == "fielddesk-dark"
        app.use_theme("light")
        await pilot.pause()
        assert app.theme == "fielddesk-light"
    again = app_on(sample_dir)
    async with again.run_test(size=(100, 30)):
        assert again.theme == THEME_NAMES["light"]


def test_screen_colours_follow_the_theme() -> None:
    """Colours screens give rich Text become the theme's own (checked above)."""
    from rich.text import Text

    from widgets.plain import themed

    text = Text("✗ ", style="bold red")
    text.append("○ ", style="yellow")
    text.append("✓", style="green")
    text.append(" [/red]", style="dim")
    content = themed(text)
    assert content.plain == "✗ ○ ✓ [/red]"  # markup-looking text stays text
    assert [s.style for s in content.spans] == [
        "bold $error",
        "$warning",
        "$success",
        "$text-muted",
    ]
