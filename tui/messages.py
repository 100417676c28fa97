"""One clear sentence for each error a user can meet, in their language."""

from __future__ import annotations

from tui.domain.errors import FieldError, ValidationFailed
from tui.i18n import t
from tui.store.errors import StoreError


def describe_field_error(error: FieldError) -> str:
    return t(error.code, field=t(f"field.name.{error.field}"), **error.params)


def describe_error(err: BaseException) -> str:
    if isinstance(err, StoreError):
        return t(err.code, file=err.path.name, detail=err.detail)
    if isinstance(err, ValidationFailed):
        return "; ".join(describe_field_error(e) for e in err.errors)
    return t("error.unexpected", detail=str(err))
