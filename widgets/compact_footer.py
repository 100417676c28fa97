"""Footer(compact=True) that draws its keys compact from the start.

Textual's footer keys are made compact by a binding that arrives after they
are mounted, so each key is restyled once more, every time the footer is
recomposed (it is, whenever the screen's keys change): a third of the
styling work of the home screen's first frame. Marking the keys as they are
composed makes that binding change nothing."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey  # not exported; textual is pinned


class CompactFooter(Footer):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, compact=True)

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            if isinstance(widget, FooterKey):
                widget.add_class("-compact", update=False)
            yield widget
