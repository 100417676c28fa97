"""Errors the domain raises. Each carries a message id from the translation
catalogue plus parameters, so every layer can show it in the user's language."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FieldError:
    """One failing field: which field, which message id, and its parameters."""

    field: str
    code: str
    params: dict[str, Any] = dataclasses.field(default_factory=dict)


class ValidationFailed(ValueError):
    """A record did not pass validation; `errors` lists every failing field."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{e.field}: {e.code}" for e in errors))

    def for_field(self, name: str) -> FieldError | None:
        return next((e for e in self.errors if e.field == name), None)
