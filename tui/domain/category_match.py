"""Choosing a category by typing: its number, part of its Chinese or English
name, or its pinyin (full or initials, anywhere in the name)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from tui.domain.pinyin import keys
from tui.domain.records import Category


def match_categories(query: str, categories: Sequence[Category]) -> list[Category]:
    """Matches in display order; an exact number comes first. Empty query: all."""
    text = unicodedata.normalize("NFKC", query).strip().lower().replace(" ", "")
    if not text:
        return list(categories)
    exact: list[Category] = []
    found: list[Category] = []
    for number, category in enumerate(categories, 1):
        if text.isdigit():
            if str(number) == text:
                exact.append(category)
            elif str(number).startswith(text):
                found.append(category)
            continue
        spelled = [k for pair in keys(category.name_zh) for k in pair]
        if (
            text in category.name_zh.lower()
            or text in category.name_en.lower()
            or text in category.code
            or any(text in key for key in spelled)
        ):
            found.append(category)
    return exact + found
