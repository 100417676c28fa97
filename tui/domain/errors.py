"""Errors the domain raises. Each carries a message id from the translation
catalogue plus parameters, so every layer can show it in the user's language."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any


class CodedError(Exception):
    """An error a person is told about: `code` is the catalogue's message id,
    `params` its values. Screens and the CLI catch this one class and show it
    with tui.messages.describe_error."""

    code = "error.unexpected"

    def __init__(self, code: str | None = None, **params: Any) -> None:
        if code:
            self.code = code
        self.params: dict[str, Any] = params
        super().__init__(self.code)


@dataclass(frozen=True)
class FieldError:
    """One failing field: which field, which message id, and its parameters."""

    field: str
    code: str
    params: dict[str, Any] = dataclasses.field(default_factory=dict)


class ValidationFailed(CodedError, ValueError):
    """A record did not pass validation; `errors` lists every failing field."""

    code = "validation.failed"

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        self.params = {}
        ValueError.__init__(self, "; ".join(f"{e.field}: {e.code}" for e in errors))

    def for_field(self, name: str) -> FieldError | None:
        return next((e for e in self.errors if e.field == name), None)
