"""Every message id used in the code exists in both catalogues."""

from __future__ import annotations

import re

import pytest

from tests.conftest import ROOT
from tui.domain.validate import RULES
from tui.i18n import catalogue, detect_language, set_language, t

SOURCES = [p for d in ("tui", "widgets") for p in (ROOT / d).rglob("*.py")]
# t("x.y"), Binding(..., "key.x"), code = "x.y", FieldError(.., "x.y"), Finding codes ...
LITERAL = re.compile(
    r'"((?:app|key|screen|session|home|help|recovery|backup|notice|palette|'
    r"error|store|field|phone|cli|demo|check|export|import|gen|intake|flag|queue|address|"
    r'category|compound|triage|cases?|reply|display|ticket|review|report|request|print)\.[a-z_.]+)"'
)


def used_ids() -> set[str]:
    ids: set[str] = set()
    for path in SOURCES:
        ids |= set(LITERAL.findall(path.read_text(encoding="utf-8"))) - {"app.tcss"}
    # Ids built at run time.
    ids |= {f"field.name.{name}" for rules in RULES.values() for name in rules}
    ids |= {f"store.write.{reason}" for reason in ("disk_full", "read_only", "io")}
    ids |= {
        f"cli.cmd.{name}"
        for name in ("run", "demo", "check", "export", "import", "gen", "display", "report")
    }
    ids |= {f"palette.{name}" for name in ("intake", "queue", "cases", "review")}
    # The names of states (tests/domain/test_states.py lists where each is shown).
    from tests.domain.test_states import NAMES

    ids |= {key for keys in NAMES.values() for key in keys}
    ids |= {"queue.next.finished"}
    ids |= {f"case.ask.{a}" for a in ("resolve", "reopen", "note")}
    ids |= {f"flag.{f}" for f in ("aged80", "mobility", "alone", "difficulty", "priority")}
    return ids


def test_catalogues_have_the_same_ids() -> None:
    assert set(catalogue("zh")) == set(catalogue("en"))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_used_id_is_translated(lang: str) -> None:
    ids = used_ids()
    assert len(ids) > 80
    missing = sorted(i for i in ids if i not in catalogue(lang))
    assert missing == []


def test_placeholders_match_between_languages() -> None:
    field = re.compile(r"{(\w+)}")
    zh, en = catalogue("zh"), catalogue("en")
    assert [k for k in en if set(field.findall(en[k])) != set(field.findall(zh[k]))] == []


def test_language_from_locale() -> None:
    assert detect_language({"LANG": "zh_CN.UTF-8"}, os_locale="") == "zh"
    assert detect_language({"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN.UTF-8"}, os_locale="") == "en"
    # LANGUAGE comes first, as in gettext, and is a list.
    assert detect_language({"LANGUAGE": "zh_CN:en", "LANG": "en_US.UTF-8"}, os_locale="") == "zh"
    assert detect_language({"LANGUAGE": "", "LANG": "zh_TW.UTF-8"}, os_locale="") == "zh"
    # C says nothing about a language: the operating system decides.
    assert detect_language({"LANG": "C.UTF-8"}, os_locale="") == "en"
    assert detect_language({"LANG": "C.UTF-8"}, os_locale="zh_CN") == "zh"
    assert detect_language({"LC_ALL": "POSIX"}, os_locale="zh_CN") == "zh"
    # Windows sets none of the variables; its display language is zh_CN.
    assert detect_language({}, os_locale="zh_CN") == "zh"
    assert detect_language({}, os_locale="Chinese (Simplified)_China") == "zh"
    assert detect_language({}, os_locale="en_US") == "en"
    assert detect_language({}, os_locale="") == "en"


def test_translation_formats_parameters() -> None:
    set_language("zh")
    assert t("session.desk", desk=3) == "3号台"
    set_language("en")
    assert t("field.too_long", field="Name", length=50, max=40) == (
        "Name is too long: 50 characters, at most 40."
    )


def test_zh_says_each_thing_one_way() -> None:
    """One word for one thing: staff met 重呼 and 重叫, 已回复 and 已答复, 未分流
    and 尚未分办, 现场排队 and 排队叫号, 2 号台 and 2号台, 跟进人 and 督办人,
    责任人 and 承办 for the same things."""
    zh = "\n".join(catalogue("zh").values())
    for other, chosen in (
        ("重叫", "重呼"),
        ("已回复", "已答复"),
        ("分流", "分办"),
        ("尚未分办", "未分办"),
        ("现场排队", "排队叫号"),
        ("{desk} 号台", "{desk}号台"),
        ("跟进人", "督办人"),
        ("责任人", "承办"),
    ):
        assert other not in zh and chosen in zh, other
    assert catalogue("zh")["case.fact"].endswith("：")  # 状态：, never 状态:
