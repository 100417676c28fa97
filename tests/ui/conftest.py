from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest
from textual.widget import Widget

from tui.app import FieldDeskApp, make_app

AppFactory = Callable[..., FieldDeskApp]


@pytest.fixture
def app_on(clock: Callable[[], datetime]) -> AppFactory:
    """Build the app on a data folder, with the fixed clock and a named staff member."""

    def build(data: Path, **options: object) -> FieldDeskApp:
        options.setdefault("staff", "李娜")
        options.setdefault("lang", "en")
        return make_app(data, clock=clock, **options)  # type: ignore[arg-type]

    return build


def shown(widget: Widget) -> str:
    """The plain text a widget draws (markup, if any, already applied)."""
    visual = widget.visual if hasattr(widget, "visual") else widget.render()
    return str(getattr(visual, "plain", visual))
