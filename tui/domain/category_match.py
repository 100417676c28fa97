"""Choosing a category or a compound by typing: a category by its number, part
of its Chinese or English name, or its pinyin (full or initials, anywhere in
the name); a compound by part of its name or its pinyin."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from tui.domain.pinyin import keys
from tui.domain.records import Category, Compound


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


def match_compounds(query: str, compounds: Sequence[Compound]) -> list[Compound]:
    """Compounds whose name holds the query, as typed or in pinyin, or whose
    short name (the office's own, from F7 or its sheet) starts with it."""
    text = unicodedata.normalize("NFKC", query).strip().lower().replace(" ", "")
    if not text:
        return []
    return [
        c
        for c in compounds
        if text in c.name.lower()
        or (c.short and c.short.lower().replace(" ", "").startswith(text))
        or any(text in k for pair in keys(c.name) for k in pair)
    ]
