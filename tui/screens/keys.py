"""Key bindings in the user's language, and the rows the help screen lists.

Bindings are declared with a message id as description ("key.help"); each
screen and the app translate theirs when they are built, because the language
is chosen at run time, after the classes were defined.
"""

from __future__ import annotations

import dataclasses

from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen

from tui.i18n import has, t


def translate_bindings(node: DOMNode) -> None:
    bindings = node._bindings.key_to_bindings
    for key, group in bindings.items():
        bindings[key] = [
            dataclasses.replace(b, description=t(b.description)) if has(b.description) else b
            for b in group
        ]


def key_rows(screen: Screen[object]) -> list[tuple[str, str]]:
    """(key, what it does) for fielddesk's own bindings on `screen`, from the
    focused widget out to the app.

    Ours all carry an id; Textual's built-in scrolling and focus keys do not,
    and would only bury the keys staff need. A key the focused widget also
    binds is still ours to list (Enter on F4's list opens the case: the
    list's own Enter says it was chosen, and the screen opens it).
    """
    found: dict[str, Binding] = {}
    app = screen.app
    for namespace, bindings in screen._modal_binding_chain:
        for key, binding in bindings:
            if binding.id is None or not binding.description:
                continue
            if app._check_action_state(binding.action, namespace) is False:
                continue  # not offered now
            if key not in found or (binding.priority and not found[key].priority):
                found[key] = binding
    return [(key, binding.description) for key, binding in found.items()]


def footer_shows(node: DOMNode, keys: set[str]) -> None:
    """Show exactly `keys` of the node's own bindings in the footer (the rest
    still work and F1 lists them): for a screen whose keys depend on what is
    shown, such as a case's next steps. Call refresh_bindings() after."""
    bindings = node._bindings.key_to_bindings
    for key, group in bindings.items():
        bindings[key] = [
            dataclasses.replace(b, show=key in keys) if b.id is not None else b for b in group
        ]
