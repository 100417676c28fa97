"""The seam between the screens and storage: the Repository interface, its
unit of work, typed change events and the errors every implementation
raises (see interface.py)."""

from tui.repository.events import Change, Kind, Origin
from tui.repository.interface import Repository, Transaction

__all__ = ["Change", "Kind", "Origin", "Repository", "Transaction"]
