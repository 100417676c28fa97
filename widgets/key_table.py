"""A table of keys and what they do, for the F1 help screen."""

from __future__ import annotations

from textual.widgets import DataTable


class KeyTable(DataTable[str]):
    def __init__(
        self, rows: list[tuple[str, str]], headers: tuple[str, str], *, id: str | None = None
    ) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self._rows = rows
        self._headers = headers

    def on_mount(self) -> None:
        self.add_columns(*self._headers)
        self.add_rows(self._rows)

    # Home and End go to the first and the last key, as in every list of
    # fielddesk (a DataTable's own go to its first and last column).
    def action_scroll_home(self) -> None:
        self.action_scroll_top()

    def action_scroll_end(self) -> None:
        self.action_scroll_bottom()
