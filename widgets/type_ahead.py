"""An Input whose Enter moves on: keys typed right after Enter, before the
move has happened, go to the field that takes the focus, not to this one.

A terminal hands over a fast burst (a practised hand, an IME committing a
phrase, a barcode scanner) all at once. The screen answers Enter by moving
the focus, but the keys after it are already on their way to this field:
"14⏎pipe" typed the description into the request field. Here they are held
from Enter until this field loses the focus, then sent on to whichever field
has it. If the focus stays (nothing to move to), they are typed here after a
moment, so nothing is ever lost.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input

HOLD_SECONDS = 0.3  # far longer than a burst, far shorter than a person's pause


class TypeAheadInput(Input):
    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._held: list[events.Key] | None = None

    async def _on_key(self, event: events.Key) -> None:
        if self._held is not None:
            event.stop()
            event.prevent_default()
            self._held.append(event)
            return
        if event.key == "enter":
            self._held = []
            self.set_timer(HOLD_SECONDS, self._type_here)
        await super()._on_key(event)

    def _on_blur(self, event: events.Blur) -> None:
        # The app sends each key to the field focused when it gets there.
        for key in self._release():
            self.app.post_message(events.Key(key.key, key.character))
        super()._on_blur(event)

    def _type_here(self) -> None:
        for key in self._release():
            self.post_message(events.Key(key.key, key.character))

    def _release(self) -> list[events.Key]:
        held, self._held = self._held or [], None
        return held
