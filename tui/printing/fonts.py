"""A font with Chinese in it, for the PDFs (fpdf2 embeds the glyphs used).

Looked for, in order:
1. FIELDDESK_PDF_FONT: a font file, with ",N" for face N of a collection
   (/usr/share/fonts/x.ttc,2);
2. fontconfig (Linux, BSD): `fc-list :lang=zh-cn`, the best candidate first:
   a regular sans face of simplified Chinese (Noto Sans CJK SC, WenQuanYi
   Micro Hei, ...), with its index in a .ttc collection;
3. Windows' fonts folder: Microsoft YaHei (msyh.ttc), SimHei, SimSun;
4. macOS: PingFang, STHeiti, Songti.

None: the PDF is refused in one line that suggests --format html.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

PROBE = "中文社区"  # a font that draws these draws the documents' Chinese
_WINDOWS = (("msyh.ttc", 0), ("msyh.ttf", 0), ("simhei.ttf", 0), ("simsun.ttc", 0))
_MAC = (
    ("/System/Library/Fonts/PingFang.ttc", 0),
    ("/System/Library/Fonts/STHeiti Light.ttc", 0),
    ("/Library/Fonts/Arial Unicode.ttf", 0),
)
# Family names ranked first, best first (a sans-serif simplified Chinese face).
_PREFERRED = ("noto sans cjk sc", "source han sans sc", "wenquanyi micro hei", "wenquanyi zen hei")


@dataclass(frozen=True)
class FontFile:
    path: Path
    index: int = 0  # the face in a .ttc collection


def find_cjk_font() -> FontFile | None:
    for candidate in candidates():
        if draws_chinese(candidate):
            return candidate
    return None


def candidates() -> list[FontFile]:
    found: list[FontFile] = []
    named = os.environ.get("FIELDDESK_PDF_FONT", "").strip()
    if named:
        path, _, index = named.rpartition(",")
        if path and index.isdigit():
            found.append(FontFile(Path(path), int(index)))
        else:
            found.append(FontFile(Path(named)))
        return found  # the font asked for, or none
    found += _fontconfig()
    if sys.platform == "win32":
        folder = Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"
        found += [FontFile(folder / name, index) for name, index in _WINDOWS]
    if sys.platform == "darwin":
        found += [FontFile(Path(path), index) for path, index in _MAC]
    return [f for f in found if f.path.is_file()]


def _fontconfig() -> list[FontFile]:
    if shutil.which("fc-list") is None:
        return []
    try:
        listed = subprocess.run(
            ["fc-list", ":lang=zh-cn", "file", "index", "family", "style"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    ranked: list[tuple[tuple[int, int, int, str], FontFile]] = []
    for row in listed.splitlines():
        path, _, rest = row.partition(": ")
        fields = dict(_pairs(rest))
        family = fields.get("family", rest.split(":", 1)[0]).lower()
        style = fields.get("style", "").lower()
        index = int(fields["index"]) if fields.get("index", "").isdigit() else 0
        preferred = next((i for i, name in enumerate(_PREFERRED) if name in family), 99)
        regular = 0 if any(s in style for s in ("regular", "book", "normal")) else 1
        serif = 1 if "serif" in family and "sans" not in family else 0
        ranked.append(((preferred, regular, serif, path), FontFile(Path(path), index)))
    return [font for _, font in sorted(ranked, key=lambda pair: pair[0])]


def _pairs(text: str) -> list[tuple[str, str]]:
    """fc-list's "Family Name:style=Regular:index=2" (the family has no key)."""
    pairs = []
    for i, part in enumerate(text.split(":")):
        key, sep, value = part.partition("=")
        if sep:
            pairs.append((key.strip(), value.split(",")[0].strip()))
        elif i == 0:
            pairs.append(("family", part.split(",")[0].strip()))
    return pairs


def draws_chinese(font: FontFile) -> bool:
    """The face has glyphs for PROBE (a Latin font fontconfig offers for
    zh-cn, an unreadable file, the wrong face of a collection: no)."""
    try:
        from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

        face = TTFont(str(font.path), fontNumber=font.index, lazy=True)
        try:
            cmap = face.getBestCmap() or {}
        finally:
            face.close()
    except Exception:  # noqa: BLE001 - any unreadable font is simply not used
        return False
    return all(ord(ch) in cmap for ch in PROBE)
