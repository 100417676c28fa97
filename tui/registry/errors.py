"""Why a sheet could not be read: a catalogue id and its parameters."""

from __future__ import annotations

from tui.domain.errors import CodedError


class SheetError(CodedError, ValueError):
    """A refusal with a message id (CodedError)."""
