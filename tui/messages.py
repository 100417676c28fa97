"""One clear sentence for each error a user can meet, in their language."""

from __future__ import annotations

from tui.domain.errors import FieldError, ValidationFailed
from tui.i18n import t
from tui.store.errors import StoreError


def field_label(name: str) -> str:
    """A field's name for people; fields only imports can get wrong keep theirs."""
    key = f"field.name.{name}"
    label = t(key)
    return name if label == key else label


def describe_field_error(error: FieldError) -> str:
    return t(error.code, field=field_label(error.field), **error.params)


def describe_error(err: BaseException) -> str:
    if isinstance(err, StoreError):
        return t(err.code, file=err.path.name, detail=err.detail)
    if isinstance(err, ValidationFailed):
        return "; ".join(describe_field_error(e) for e in err.errors)
    return t("error.unexpected", detail=str(err))
