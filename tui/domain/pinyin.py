"""Pinyin keys for finding people and categories by typing Latin letters.

"wzh" (initials) and "wuzihui" (full) both find 吴子辉-like names. Surnames
read differently from the common reading get both (曾: ceng, zeng). pypinyin is imported on first
use: it costs ~150 ms, which start-up must not pay. Readings are cached per
character, so indexing 100,000 names costs a dictionary look-up a character.
"""

from __future__ import annotations

import re
from functools import cache

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(text))


# Surnames whose reading differs from the character's most common one.
SURNAME_READINGS = {
    "曾": "zeng",
    "单": "shan",
    "解": "xie",
    "区": "ou",
    "查": "zha",
    "仇": "qiu",
    "朴": "piao",
    "缪": "miao",
    "翟": "zhai",
    "乐": "yue",
    "盖": "ge",
    "尉": "yu",
    "覃": "qin",
    "召": "shao",
    "员": "yun",
    "隗": "wei",
    "种": "chong",
    "秘": "bi",
    "长": "chang",
    "重": "chong",
    "折": "she",
    "句": "gou",
    "阚": "kan",
    "宓": "mi",
}


@cache
def _reading(char: str) -> str:
    from pypinyin import Style, lazy_pinyin

    found = lazy_pinyin(char, style=Style.NORMAL, errors="ignore")
    return found[0] if found else ""


@cache
def keys(text: str) -> tuple[tuple[str, str], ...]:
    """(full, initials) pairs for `text`, from the common reading of every
    character; a name whose surname reads otherwise gets that spelling too.

    Non-Chinese letters and digits are kept as they are, lower-cased.
    """
    syllables: list[str] = []
    for char in text:
        if _CJK.match(char):
            reading = _reading(char)
            if reading:
                syllables.append(reading)
        elif char.isalnum():
            syllables.append(char.lower())
    if not syllables:
        return ()
    spellings = [syllables]
    surname = SURNAME_READINGS.get(text[:1])
    if surname and surname != syllables[0]:
        spellings.append([surname, *syllables[1:]])
    return tuple(("".join(s), "".join(p[0] for p in s)) for s in spellings)
