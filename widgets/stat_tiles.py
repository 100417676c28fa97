"""A row of labelled figures (open cases, due today ...)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.widgets import Static


@dataclass(frozen=True)
class Stat:
    key: str  # stable id suffix, e.g. "open" -> #stat-open
    label: str
    value: int
    alert: bool = False  # drawn in the error colour when the value matters now


class StatTiles(HorizontalGroup):
    def __init__(self, stats: list[Stat], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._stats = stats

    def compose(self) -> ComposeResult:
        for stat in self._stats:
            yield Static(
                self._text(stat),
                id=f"stat-{stat.key}",
                classes=self._tile_classes(stat),
                markup=False,
            )

    def show(self, stats: list[Stat]) -> None:
        self._stats = stats
        for stat in stats:
            tile = self.query_one(f"#stat-{stat.key}", Static)
            tile.update(self._text(stat))
            tile.set_classes(self._tile_classes(stat))

    @staticmethod
    def _text(stat: Stat) -> str:
        return f"{stat.label} {stat.value}"

    @staticmethod
    def _tile_classes(stat: Stat) -> str:
        return "tile alert" if stat.alert and stat.value else "tile"
