"""fielddesk's themes: dark (indoors, the default), light and high contrast
(a sunlit courtyard). Every text colour the stylesheet uses reads at 4.5:1 or
better on every background it is drawn on (WCAG AA; tests/ui/test_themes.py)."""

from __future__ import annotations

from textual.app import App
from textual.theme import Theme

THEMES = (
    Theme(
        name="fielddesk-dark",
        primary="#0178D4",
        secondary="#004578",
        accent="#FFA62B",
        foreground="#E6E6E6",
        background="#121212",
        surface="#1C1C1C",
        panel="#262626",
        success="#5FD38A",
        warning="#FFC473",
        error="#FF7A8E",
        dark=True,
        variables={"text-muted": "#B4B4B4"},
    ),
    Theme(
        name="fielddesk-light",
        primary="#005A9E",
        secondary="#003E6B",
        accent="#9A4A00",
        foreground="#1A1A1A",
        background="#FAFAFA",
        surface="#F0F0F0",
        panel="#E4E4E4",
        success="#1E6B36",
        warning="#7A5200",
        error="#B00020",
        dark=False,
        variables={"text-muted": "#4A4A4A"},
    ),
    Theme(
        name="fielddesk-contrast",
        primary="#FFFF00",
        secondary="#00FFFF",
        accent="#FFFF00",
        foreground="#FFFFFF",
        background="#000000",
        surface="#000000",
        panel="#101010",
        success="#00FF66",
        warning="#FFFF00",
        error="#FF8080",
        dark=True,
        variables={"text-muted": "#E0E0E0"},
    ),
)
THEME_NAMES = {
    "dark": "fielddesk-dark",
    "light": "fielddesk-light",
    "contrast": "fielddesk-contrast",
}


def register_themes(app: App[object]) -> None:
    for theme in THEMES:
        app.register_theme(theme)
