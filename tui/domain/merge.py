"""The merge of several laptops' copies of a record: pure and order-free.

Every stored field's value is the winner among the *writes* of that field
that no other write has seen. A write is (value, clock, device, base, by):
its hybrid-logical-clock stamp (tui/domain/hlc.py), the laptop, the clock of
the value it replaced (what its writer had seen), and the staff member.
`merge` joins two documents' writes and keeps the unseen ones: the winner
becomes the field, the others the record's `conflicts`. That is a join of
sets followed by a filter whose outcome does not depend on the order the
writes arrived in, so merging is commutative, associative and idempotent.
docs/MERGE.md gives the stored metadata, each rule and why it is order-free.
"""

from __future__ import annotations

import itertools
import json
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime, timezone
from typing import Any, NamedTuple

from tui.domain.hlc import ClockError

Doc = dict[str, Any]

# Keys that describe the document rather than hold a field of the record.
META = frozenset(
    {
        "id",
        "kind",
        "rev",
        "created_at",
        "updated_at",
        "device",
        "by",
        "clock",
        "stamps",
        "conflicts",
        "redirect",
    }
)

# Lists of events, only ever appended to: merged by union.
APPEND_ONLY: dict[str, frozenset[str]] = {
    "case": frozenset({"timeline"}),
    "ticket": frozenset({"history"}),
    "session": frozenset({"reopen_reasons"}),
}


def _filled(value: Any) -> bool:
    return not _empty(value)


def _retired(value: Any) -> bool:
    return value is False


# Fields whose final state beats any write that did not see it (a withdrawal,
# a retirement): kind -> field -> "the value is in the final state".
STICKY: dict[str, dict[str, Callable[[Any], bool]]] = {
    "certification": {"withdrawn_at": _filled, "withdrawn_reason": _filled},
    **{kind: {"active": _retired} for kind in ("compound", "staff", "party", "category")},
}


def _empty(value: Any) -> bool:
    return value is None or (isinstance(value, str | list | dict) and not value)


def canon(value: Any) -> str:
    """One text per JSON value, to compare and order values of any type."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


# -- writes -------------------------------------------------------------------


class Write(NamedTuple):
    value: Any
    clock: str  # "" for the value the record was created with
    device: str  # "" for this record's own creation; a record id once lifted
    base: str | None  # clock of the value replaced; None: replaced nothing
    by: str
    text: str  # canon(value)

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.clock, self.device, self.text)


def _write(value: Any, clock: str, device: str, base: str | None, by: str) -> Write:
    return Write(value, clock, device, base, by, canon(value))


def _doc_writes(doc: Doc, name: str, conflicts: Sequence[Doc]) -> list[Write]:
    found = []
    if name in doc:
        clock, device, base, by = doc.get("stamps", {}).get(name) or ("", "", None, "")
        found.append(_write(doc[name], clock, device, base, by))
    for c in conflicts:
        found.append(_write(c["value"], c["clock"], c["device"], c.get("base"), c.get("by", "")))
    return found


def _ranker(kind: str, name: str) -> Callable[[Write], tuple[Any, ...]]:
    final = STICKY.get(kind, {}).get(name)

    def rank(w: Write) -> tuple[Any, ...]:
        # A final state first; then the later clock; then a filled value before
        # an empty one; then the device, the value. Creation values rank by
        # their record's id the other way round, smallest first (this record's
        # own, device "", first of all): the survivor of a fold is the smallest
        # id, so a fold that relabels "" as its id never reorders two of them.
        device = w.device if w.clock else _descending(w.device)
        return (bool(final and final(w.value)), w.clock, _filled(w.value), device, w.text)

    return rank


def _descending(text: str) -> tuple[int, ...]:
    """A key that orders strings backwards: "r-1" above "r-10", "" above all."""
    return (*(-ord(ch) for ch in text), 1)


def _settles(x: Write, w: Write, rank: Callable[[Write], tuple[Any, ...]]) -> bool:
    """x was written after seeing w (its base reaches w's clock), or w is a
    value a record was created with that x outranks with the same value. The
    relation carries over (if y settles x and x settles w, y settles w): that
    is what makes dropping settled writes safe in any order. (An empty value
    a copy was created with is kept, not settled: a fold matches records
    under every value its copies hold, see _values.)"""
    if x.base is not None and x.base >= w.clock:
        return True
    return w.clock == "" and w.text == x.text and rank(x) > rank(w)


def merge_writes(kind: str, name: str, writes: Iterable[Write]) -> tuple[Write, list[Write]]:
    """(winner, conflicts) among the writes of one field."""
    unique: dict[tuple[str, str, str], Write] = {}
    for w in writes:
        held = unique.get(w.key)
        if held is None or (w.base or "", w.by) > (held.base or "", held.by):
            unique[w.key] = w
    rank = _ranker(kind, name)
    ranked = sorted(unique.values(), key=rank, reverse=True)
    live = [w for w in ranked if not any(x is not w and _settles(x, w, rank) for x in ranked)]
    live = live or ranked[:1]  # only with hand-edited stamps (a base past its clock)
    return live[0], live[1:]


# -- merge of one record's versions -------------------------------------------


def _event_time(event: Any) -> str:
    raw = event.get("at", "") if isinstance(event, dict) else str(event).split(" ", 1)[0]
    try:
        moment = datetime.fromisoformat(str(raw))
    except ValueError:
        return str(raw)
    if moment.tzinfo is None:
        return str(raw)
    return moment.astimezone(timezone.utc).isoformat()


def merge_events(lists: Iterable[Any]) -> list[Any]:
    """The union of event lists, each event once, by time; events of one
    moment in the order their steps chain (a reply before the close that
    starts from "replied"), else by content. One list seen in every version
    is kept as it is. A function of the set of distinct lists: order-free."""
    distinct = {canon(items): items for items in lists if isinstance(items, list)}
    if len(distinct) == 1:
        return list(next(iter(distinct.values())))
    events: dict[str, Any] = {}
    for items in distinct.values():
        for event in items:
            events.setdefault(canon(event), event)
    moments: dict[str, list[str]] = {}
    for text in sorted(events):
        moments.setdefault(_event_time(events[text]), []).append(text)
    merged: list[Any] = []
    for moment in sorted(moments):
        merged += _chained([events[text] for text in moments[moment]])
    return merged


def _chained(group: list[Any]) -> list[Any]:
    """Events of one moment, each after the one whose step it starts from."""
    left = list(group)
    ordered = []
    while left:

        def leads_in(event: Any) -> bool:
            start = event.get("from") if isinstance(event, dict) else None
            return bool(start) and any(
                isinstance(o, dict) and o is not event and o.get("to") == start for o in left
            )

        pick = next((e for e in left if not leads_in(e)), left[0])
        left.remove(pick)
        ordered.append(pick)
    return ordered


def _conflicts_by_field(doc: Doc) -> dict[str, list[Doc]]:
    grouped: dict[str, list[Doc]] = {}
    for c in doc.get("conflicts", ()):
        grouped.setdefault(c["field"], []).append(c)
    return grouped


def _same_field(docs: Sequence[Doc], name: str, conflicts: Sequence[dict[str, list[Doc]]]) -> bool:
    # The common case, met first: every copy holds the same write, no conflict.
    first = docs[0]
    if name not in first or any(name in c for c in conflicts):
        return False
    stamp = first.get("stamps", {}).get(name)
    value = first[name]
    return all(
        name in d and d.get("stamps", {}).get(name) == stamp and d[name] == value for d in docs[1:]
    )


def join(kind: str, docs: Sequence[Doc], doc_id: str | None = None) -> Doc:
    """The merge of any number of versions of one record (see `merge`)."""
    if not docs:
        raise ValueError("nothing to merge")
    conflicts = [_conflicts_by_field(d) for d in docs]
    names = sorted({k for d in docs for k in d} - META)
    merged: Doc = {}
    stamps: dict[str, list[Any]] = {}
    lost: list[Doc] = []
    events = APPEND_ONLY.get(kind, frozenset())
    for name in names:
        if name in events:
            merged[name] = merge_events(d.get(name) for d in docs)
            continue
        if _same_field(docs, name, conflicts):
            merged[name] = docs[0][name]
            if name in docs[0].get("stamps", {}):
                stamps[name] = list(docs[0]["stamps"][name])
            continue
        writes = [
            w
            for d, c in zip(docs, conflicts, strict=True)
            for w in _doc_writes(d, name, c.get(name, ()))
        ]
        winner, losers = merge_writes(kind, name, writes)
        merged[name] = winner.value
        if winner.clock or winner.device:
            stamps[name] = [winner.clock, winner.device, winner.base, winner.by]
        lost += [_conflict(name, w) for w in losers]
    return _with_meta(kind, docs, merged, stamps, lost, doc_id)


def _conflict(name: str, w: Write) -> Doc:
    return {
        "field": name,
        "value": w.value,
        "clock": w.clock,
        "device": w.device,
        "by": w.by,
        "base": w.base,
    }


def _with_meta(
    kind: str,
    docs: Sequence[Doc],
    merged: Doc,
    stamps: dict[str, list[Any]],
    lost: list[Doc],
    doc_id: str | None,
) -> Doc:
    # The last write's clock, time, device and member, taken together.
    last = max(
        (d.get("clock", ""), d.get("updated_at", ""), d.get("device", ""), d.get("by", ""))
        for d in docs
    )
    created = sorted(d["created_at"] for d in docs if d.get("created_at"))
    doc: Doc = {
        "id": doc_id if doc_id is not None else docs[0]["id"],
        "kind": max(d.get("kind", kind) for d in docs),
        "rev": max(int(d.get("rev", 0)) for d in docs),
        "created_at": created[0] if created else "",
        "updated_at": last[1],
        "device": last[2],
        "by": last[3],
    }
    if last[0]:
        doc["clock"] = last[0]
    redirects = sorted(d["redirect"] for d in docs if d.get("redirect"))
    if redirects:
        doc["redirect"] = redirects[0]  # always the smallest id of its group
    doc.update(merged)
    if stamps:
        doc["stamps"] = stamps
    if lost:
        doc["conflicts"] = sorted(lost, key=lambda c: (c["field"], c["clock"], c["device"]))
    return doc


def merge(kind: str, a: Doc, b: Doc) -> Doc:
    """The merge of two versions of one record of `kind`. Commutative,
    associative and idempotent: any order, any grouping, any repetition of
    the same versions gives the same document."""
    if a.get("id") != b.get("id"):
        raise ValueError(f"not one record: {a.get('id')!r} and {b.get('id')!r}")
    return join(kind, [a, b])


# -- local edits ----------------------------------------------------------------


def stamp_edit(
    kind: str,
    before: Doc | None,
    after: Doc,
    *,
    clock: str,
    device: str,
    by: str,
    force: Iterable[str] = (),
) -> Doc:
    """`after` as it is saved: each field that differs from `before` (and each
    in `force`) becomes a write stamped (clock, device, base, by). Its base is
    the latest clock among the value it replaced and that field's conflicts:
    the writer saw them all, so the write settles them. `clock` must be later
    than `before`'s (the store takes it from its Clock after `seen`)."""
    doc = {k: v for k, v in after.items() if k not in ("clock", "stamps", "conflicts", "redirect")}
    doc.update(clock=clock, device=device, by=by)
    if before is None:
        return doc
    if clock <= before.get("clock", ""):
        raise ClockError(f"clock {clock} is not after the record's {before.get('clock')}")
    if before.get("redirect"):
        doc["redirect"] = before["redirect"]
    stamps: dict[str, list[Any]] = {
        k: list(v) for k, v in before.get("stamps", {}).items() if k in doc
    }
    conflicts = _conflicts_by_field(before)
    events = APPEND_ONLY.get(kind, frozenset())
    forced = set(force)
    for name in sorted(set(doc) - META - events):
        changed = name not in before or canon(before[name]) != canon(doc[name])
        if not (changed or name in forced):
            continue
        seen = [stamps[name][0]] if name in stamps else []
        seen += [c["clock"] for c in conflicts.pop(name, ())]
        stamps[name] = [clock, device, max(seen, default=""), by]
    if stamps:
        doc["stamps"] = stamps
    left = [c for cs in conflicts.values() for c in cs if c["field"] in doc]
    if left:
        doc["conflicts"] = sorted(left, key=lambda c: (c["field"], c["clock"], c["device"]))
    return doc


def resolve_conflict(
    kind: str, doc: Doc, name: str, value: Any, *, clock: str, device: str, by: str
) -> Doc:
    """Staff pick `value` for a field in conflict (one of the values offered,
    or the one shown): a write of that field that settles its conflicts."""
    after = {**doc, name: value}
    return stamp_edit(kind, doc, after, clock=clock, device=device, by=by, force=(name,))


def open_conflicts(doc: Doc) -> list[Doc]:
    """The conflicts staff are shown: a value that differs from the field's,
    other than a copy created with the field empty (it knew nothing)."""
    return [
        c
        for c in doc.get("conflicts", ())
        if (c["field"] not in doc or canon(c["value"]) != canon(doc[c["field"]]))
        and not (c["clock"] == "" and _empty(c["value"]))
    ]


# -- one record entered twice ---------------------------------------------------


def _norm(value: Any) -> str:
    return "".join(unicodedata.normalize("NFKC", str(value or "")).split())


def _values(doc: Doc, *names: str) -> list[tuple[str, ...]]:
    """Every combination of the values a record holds for `names`: its own and
    those kept as conflicts. A folded record matches under all of its copies'
    values, whichever won, so what it matches depends only on what was merged."""
    options = [
        sorted({_norm(doc.get(name))} | {_norm(c["value"]) for c in _conflicts_of(doc, name)})
        for name in names
    ]
    return list(itertools.product(*options))


def identity_names(doc: Doc) -> set[str]:
    """The names a record can be matched under (its own and its conflicts'),
    compared as the identity keys compare them: every key holds one."""
    return {n for (n,) in _values(doc, "name") if n}


def _conflicts_of(doc: Doc, name: str) -> list[Doc]:
    return [c for c in doc.get("conflicts", ()) if c["field"] == name]


def _resident_keys(doc: Doc) -> list[tuple[str, ...]]:
    keys: list[tuple[str, ...]] = []
    for name, phone in _values(doc, "name", "phone"):
        if name and phone:
            keys.append(("phone", name, phone))
    for name, *place in _values(doc, "name", "compound", "building", "unit", "room"):
        if name and place[0] and any(place[1:]):  # a compound alone is no address
            keys.append(("address", name, *place))
    return keys


def _session_keys(doc: Doc) -> list[tuple[str, ...]]:
    return [("day", c, d) for c, d in _values(doc, "compound", "day") if c and d]


# kind -> the keys under which two records of that kind are the same one.
IDENTITY: dict[str, Callable[[Doc], list[tuple[str, ...]]]] = {
    "resident": _resident_keys,
    "session": _session_keys,
}


def _lift(kind: str, doc: Doc, survivor: str) -> Doc:
    """`doc` as a version of `survivor`: the values it was created with become
    writes of its own (device = its id), so they meet the survivor's as
    distinct writes instead of being taken for the same creation."""
    if doc["id"] == survivor:
        return {k: v for k, v in doc.items() if k != "redirect"}
    lifted = {k: v for k, v in doc.items() if k != "redirect"}
    stamps = dict(doc.get("stamps", {}))
    for name in set(doc) - META - APPEND_ONLY.get(kind, frozenset()):
        if name not in stamps:
            stamps[name] = ["", doc["id"], None, ""]
    lifted["stamps"] = stamps
    lifted["conflicts"] = [
        {**c, "device": doc["id"]} if not c["clock"] and not c["device"] else c
        for c in doc.get("conflicts", ())
    ]
    return lifted


class _Groups:
    """Union-find over record ids."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        root = self.parent.setdefault(item, item)
        while root != self.parent[root]:
            root = self.parent[root]
        while item != root:
            item, self.parent[item] = self.parent[item], root
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)  # the root is the smallest id


def _fold_once(kind: str, by_id: dict[str, Doc]) -> bool:
    keyed = IDENTITY[kind]
    groups = _Groups()
    first: dict[tuple[str, ...], str] = {}
    for doc_id in sorted(by_id):
        doc = by_id[doc_id]
        groups.find(doc_id)
        if doc.get("redirect"):
            groups.union(doc_id, doc["redirect"])
        for key in keyed(doc):
            groups.union(doc_id, first.setdefault(key, doc_id))
    members: dict[str, list[str]] = {}
    for doc_id in groups.parent:
        members.setdefault(groups.find(doc_id), []).append(doc_id)
    changed = False
    for survivor, ids in members.items():
        held = [by_id[i] for i in sorted(ids) if i in by_id]
        if len(ids) == 1 or not any(set(d) - META for d in held):
            continue  # alone, or only redirects to a survivor not given here
        versions = [_lift(kind, d, survivor) for d in held]
        joined = join(kind, versions, doc_id=survivor)
        if by_id.get(survivor) != joined:
            by_id[survivor], changed = joined, True
        for other in ids:
            # The survivor holds the copy's writes now: the copy keeps its id only.
            redirect = {"id": other, "kind": kind, "redirect": survivor}
            if other != survivor and by_id.get(other) != redirect:
                by_id[other], changed = redirect, True
    return changed


def merge_duplicates(kind: str, docs: Iterable[Doc]) -> list[Doc]:
    """The records of `kind` with each one entered twice made one: the
    smallest id survives with every copy's writes merged in; each other copy
    becomes {"id", "kind", "redirect": survivor}, so references to it still
    resolve. Versions of one id are merged first (a stale copy's later edit
    flows into the survivor on the next fold); the result is sorted by id."""
    if kind not in IDENTITY:
        raise ValueError(f"no identity rule for {kind!r}")
    versions: dict[str, list[Doc]] = {}
    for doc in docs:
        versions.setdefault(doc["id"], []).append(doc)
    by_id = {i: (vs[0] if len(vs) == 1 else join(kind, vs)) for i, vs in versions.items()}
    # A merged survivor can match a record none of its copies matched (one's
    # name, another's phone): fold again until nothing moves.
    while _fold_once(kind, by_id):
        pass
    return [by_id[i] for i in sorted(by_id)]


def redirects(docs: Iterable[Doc]) -> dict[str, str]:
    return {d["id"]: d["redirect"] for d in docs if d.get("redirect")}


def resolve(record_id: str, redirect_map: dict[str, str]) -> str:
    """The record `record_id` now lives in (itself unless it was folded)."""
    seen = {record_id}
    while record_id in redirect_map:
        record_id = redirect_map[record_id]
        if record_id in seen:  # a loop can only come from a hand-edited file
            break
        seen.add(record_id)
    return record_id
