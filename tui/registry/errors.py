"""Why a sheet could not be read: a catalogue id and its parameters."""

from __future__ import annotations


class SheetError(ValueError):
    def __init__(self, code: str, **params: object) -> None:
        self.code = code
        self.params = params
        super().__init__(code)
