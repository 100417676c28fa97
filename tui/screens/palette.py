"""Ctrl+P: Textual's command palette, with the texts it shows itself in the
user's language (its placeholder is given; "No matches found" is not)."""

from __future__ import annotations

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette
from textual.widgets.option_list import Option

from tui.i18n import t


class Palette(CommandPalette):
    def _start_no_matches_countdown(self, search_value: str) -> None:
        """Textual 8.2.8's own (textual is pinned), with its text translated:
        after a moment with no command found, the list says so."""
        self._stop_no_matches_countdown()

        def _show_no_matches() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(
                        Align.center(Text(t("palette.no_matches"), style="not bold")),
                        disabled=True,
                        id=self._NO_MATCHES,
                    )
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, _show_no_matches)
