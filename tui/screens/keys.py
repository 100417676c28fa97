"""Key bindings in the user's language, and the rows the help screen lists.

Bindings are declared with a message id as description ("key.help"); each
screen and the app translate theirs when they are built, because the language
is chosen at run time, after the classes were defined.
"""

from __future__ import annotations

import dataclasses

from textual.binding import ActiveBinding
from textual.dom import DOMNode

from tui.i18n import has, t


def translate_bindings(node: DOMNode) -> None:
    bindings = node._bindings.key_to_bindings
    for key, group in bindings.items():
        bindings[key] = [
            dataclasses.replace(b, description=t(b.description)) if has(b.description) else b
            for b in group
        ]


def key_rows(active: dict[str, ActiveBinding]) -> list[tuple[str, str]]:
    """(key, what it does) for fielddesk's own bindings, in declaration order.

    Ours all carry an id; Textual's built-in scrolling and focus keys do not,
    and would only bury the keys staff need.
    """
    rows: list[tuple[str, str]] = []
    seen: set[str] = set()
    for key, item in active.items():
        description = item.binding.description
        if item.binding.id is None or not description or key in seen:
            continue
        seen.add(key)
        rows.append((key, description))
    return rows


def footer_shows(node: DOMNode, keys: set[str]) -> None:
    """Show exactly `keys` of the node's own bindings in the footer (the rest
    still work and F1 lists them): for a screen whose keys depend on what is
    shown, such as a case's next steps. Call refresh_bindings() after."""
    bindings = node._bindings.key_to_bindings
    for key, group in bindings.items():
        bindings[key] = [
            dataclasses.replace(b, show=key in keys) if b.id is not None else b for b in group
        ]
