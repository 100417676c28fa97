"""A list of people or things to tick with Space: "[✓]" or "[ ]" before each
one, readable in sunlight (Textual's own checkbox is an "X" either way, only
its colour tells ticked from not)."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widgets import SelectionList
from textual.widgets.option_list import OptionDoesNotExist

TICKED = "[✓] "
UNTICKED = "[ ] "


class TickList(SelectionList[str]):
    def _get_left_gutter_width(self) -> int:
        return len(TICKED)

    def render_line(self, y: int) -> Strip:
        line = super().render_line(y)
        _, scroll_y = self.scroll_offset
        try:
            option = self.get_option_at_index(scroll_y + y)
        except OptionDoesNotExist:
            return line
        ticked = option.value in self._selected
        # Textual's button is the first four segments: left, inner, right, gap.
        segments = list(line)[4:]
        base = segments[0].style if segments else None
        # The theme's colour for a ticked box, as text (its background is a button's).
        button = self.get_component_rich_style("selection-list--button-selected")
        mark = Style(bold=True, color=button.color) if ticked else Style()
        return Strip([Segment(TICKED if ticked else UNTICKED, (base or Style()) + mark), *segments])

    def on_focus(self) -> None:
        """Tabbed into, the first row is under the cursor: Space ticks it at once
        (Textual leaves no row highlighted, and Space then did nothing)."""
        if self.highlighted is None and self.option_count:
            self.highlighted = 0
