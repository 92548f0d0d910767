"""Score predicted documents against gold ones, as ANNOTATION.md's *Scoring* section says.

Five figures per corpus, each summed over documents before the ratios are taken:

- entity mentions, strict (label, start and end equal) and partial (an overlapping span of
  the same label, one-to-one: SemEval-2013's "type" scheme);
- DATE value accuracy over the strictly matched DATE spans;
- entity records (mentions grouped by canonical name, else text), matched when they share
  a name;
- events, matched when a trigger of one overlaps a trigger of the other;
- event arguments of matched events, as (event, role, value) sets.

Every one-to-one comparison is a maximum bipartite matching (:func:`maximum_matching`).
Predicted ``records`` are ignored: both sides' records are rebuilt from ``entities`` the
same way, so the score cannot depend on how an extractor fills that field.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from orbitext.schema import EVENT_TYPES, LABELS, ROLES, Document, Entity, Event, Span

# Entity labels an event argument may name, per role (ANNOTATION.md, *Events*).
ROLE_LABELS: dict[str, tuple[str, ...]] = {
    "participants": ("ORG", "PERSON", "LOCATION"),
    "vehicles": ("VEHICLE",),
    "location": ("LOCATION",),
}

# The labels of named entities: the micro-average over them leaves DATE out.
NAME_LABELS: tuple[str, ...] = ("ORG", "PERSON", "VEHICLE", "LOCATION")
ErrorCategory = Literal["entity", "date_value", "record", "event", "argument"]
ErrorKind = Literal["FP", "FN", "WRONG"]
_CATEGORY_ORDER = {"entity": 0, "date_value": 1, "record": 2, "event": 3, "argument": 4}


# ---------------------------------------------------------------------------------------
# Result types


@dataclass(frozen=True)
class Counts:
    """True positives, false positives and false negatives, with the ratios derived."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        """tp / (tp + fp); 0.0 when nothing was predicted."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        """tp / (tp + fn); 0.0 when there was nothing to find."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall; 0.0 when both are 0."""
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn) if self.tp else 0.0

    @property
    def support(self) -> int:
        """Gold items: tp + fn."""
        return self.tp + self.fn

    @property
    def predicted(self) -> int:
        """Predicted items: tp + fp."""
        return self.tp + self.fp

    def to_dict(self) -> dict[str, Any]:
        """The counts and the three ratios."""
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
        }


@dataclass(frozen=True)
class Breakdown:
    """Counts per key (label, event type or role), every key present, plus their sum."""

    by_key: dict[str, Counts]
    total_name: str = "micro"

    @classmethod
    def empty(cls, keys: Iterable[str], total_name: str = "micro") -> Breakdown:
        """Zero counts for every key."""
        return cls({k: Counts() for k in keys}, total_name)

    @property
    def total(self) -> Counts:
        """The micro-average's counts: the sum over keys."""
        return sum(self.by_key.values(), Counts())

    def subtotal(self, keys: Iterable[str]) -> Counts:
        """The summed counts of some keys (e.g. the name labels without DATE)."""
        return sum((self.by_key.get(k, Counts()) for k in keys), Counts())

    def __add__(self, other: Breakdown) -> Breakdown:
        keys = list(dict.fromkeys([*self.by_key, *other.by_key]))
        zero = Counts()
        return Breakdown(
            {k: self.by_key.get(k, zero) + other.by_key.get(k, zero) for k in keys},
            self.total_name,
        )

    def to_dict(self) -> dict[str, Any]:
        """``{key: counts, ..., total_name: counts}``."""
        out = {k: c.to_dict() for k, c in self.by_key.items()}
        out[self.total_name] = self.total.to_dict()
        return out


@dataclass(frozen=True)
class DateAccuracy:
    """Of the strictly matched DATE spans, how many carry gold's ``value``."""

    matched: int = 0
    correct: int = 0

    def __add__(self, other: DateAccuracy) -> DateAccuracy:
        return DateAccuracy(self.matched + other.matched, self.correct + other.correct)

    @property
    def accuracy(self) -> float:
        """correct / matched; 0.0 when no DATE span matched."""
        return self.correct / self.matched if self.matched else 0.0

    def to_dict(self) -> dict[str, Any]:
        """Matched and correct counts and the accuracy."""
        return {"matched": self.matched, "correct": self.correct, "accuracy": self.accuracy}


@dataclass(frozen=True)
class ScoreError:
    """One scoring error, for ``--errors``.

    ``category``/``kind``: an entity mention, record, event or argument that is a false
    positive (``FP``) or a miss (``FN``), or a matched DATE with a wrong value
    (``date_value``/``WRONG``). ``label`` is the entity label, the event type or the
    argument role. ``text`` is the mention text, the record's name, the triggers' texts
    or the argument value. ``spans`` locate it in the article (for an argument, its event's
    triggers). ``detail`` says more where it helps (what a false positive overlaps, the two
    DATE values, which event an argument belongs to).
    """

    doc_id: str
    category: ErrorCategory
    kind: ErrorKind
    label: str
    text: str
    spans: tuple[tuple[int, int], ...]
    detail: str = ""

    def sort_key(self) -> tuple[str, int, int, str, str]:
        """Document, category, position: the order errors are listed in."""
        start = self.spans[0][0] if self.spans else -1
        return (self.doc_id, _CATEGORY_ORDER[self.category], start, self.kind, self.text)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; spans as ``[start, end]`` lists."""
        return {
            "doc_id": self.doc_id,
            "category": self.category,
            "kind": self.kind,
            "label": self.label,
            "text": self.text,
            "spans": [list(s) for s in self.spans],
            "detail": self.detail,
        }


@dataclass(frozen=True)
class DocumentScore:
    """All figures for one document (or, as :class:`CorpusScore`, summed over many)."""

    entities_strict: Breakdown = field(default_factory=lambda: Breakdown.empty(LABELS))
    entities_partial: Breakdown = field(default_factory=lambda: Breakdown.empty(LABELS))
    dates: DateAccuracy = field(default_factory=DateAccuracy)
    records: Breakdown = field(default_factory=lambda: Breakdown.empty(LABELS))
    events: Breakdown = field(default_factory=lambda: Breakdown.empty(EVENT_TYPES))
    arguments: Breakdown = field(
        default_factory=lambda: Breakdown.empty(ROLES, total_name="overall")
    )
    errors: tuple[ScoreError, ...] = ()

    def __add__(self, other: DocumentScore) -> DocumentScore:
        return DocumentScore(
            self.entities_strict + other.entities_strict,
            self.entities_partial + other.entities_partial,
            self.dates + other.dates,
            self.records + other.records,
            self.events + other.events,
            self.arguments + other.arguments,
            self.errors + other.errors,
        )

    def figures(self) -> dict[str, Any]:
        """The figures as nested dicts (no errors)."""
        return {
            "entities": {
                "strict": self.entities_strict.to_dict(),
                "partial": self.entities_partial.to_dict(),
            },
            "dates": self.dates.to_dict(),
            "records": self.records.to_dict(),
            "events": self.events.to_dict(),
            "arguments": self.arguments.to_dict(),
        }


@dataclass(frozen=True)
class CorpusScore(DocumentScore):
    """The corpus's figures (sums over documents) and each document's own score."""

    documents: dict[str, DocumentScore] = field(default_factory=dict)

    def to_dict(
        self, *, include_errors: bool = False, include_documents: bool = False
    ) -> dict[str, Any]:
        """JSON-ready figures; optionally the errors and per-document figures too."""
        out: dict[str, Any] = {"documents": len(self.documents), **self.figures()}
        if include_documents:
            out["per_document"] = {d: s.figures() for d, s in self.documents.items()}
        if include_errors:
            out["errors"] = [e.to_dict() for e in self.errors]
        return out


# ---------------------------------------------------------------------------------------
# Matching


def maximum_matching(edges: dict[tuple[int, int], int]) -> list[tuple[int, int]]:
    """A maximum bipartite matching, of maximum total weight among the maximum ones.

    ``edges`` maps (left, right) node pairs to a non-negative integer weight. The size of
    the matching is what the scores count; the weight only picks which of several
    maximum matchings to report (e.g. the event pairing that agrees on most arguments),
    so results do not depend on input order. Each connected component is solved apart
    (they are tiny: a span overlaps a few others) by the Hungarian method. Returns the
    matched pairs, sorted.
    """
    if not edges:
        return []
    components = _components(edges)
    pairs: list[tuple[int, int]] = []
    for comp in components:
        if len(comp) == 1:
            pairs.append(comp[0])
            continue
        lefts = sorted({a for a, _ in comp})
        rights = sorted({b for _, b in comp})
        transpose = len(lefts) > len(rights)  # the assignment wants rows <= columns
        rows, cols = (rights, lefts) if transpose else (lefts, rights)
        row_of = {r: i for i, r in enumerate(rows)}
        col_of = {c: j for j, c in enumerate(cols)}
        # Each used edge earns `big`, more than all weights together, so the cardinality
        # is maximised first and the weight only breaks ties. Non-edges cost 0 and are
        # dropped afterwards.
        big = sum(edges[e] for e in comp) + 1
        cost = [[0] * len(cols) for _ in rows]
        for a, b in comp:
            r, c = (b, a) if transpose else (a, b)
            cost[row_of[r]][col_of[c]] = -(big + edges[(a, b)])
        for i, j in enumerate(_assignment(cost)):
            r, c = rows[i], cols[j]
            pair = (c, r) if transpose else (r, c)
            if pair in edges:
                pairs.append(pair)
    return sorted(pairs)


def _components(edges: dict[tuple[int, int], int]) -> list[list[tuple[int, int]]]:
    """The edges grouped by connected component (union-find over both node sides)."""
    parent: dict[tuple[int, int], tuple[int, int]] = {}

    def find(x: tuple[int, int]) -> tuple[int, int]:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find((0, a)), find((1, b))
        if ra != rb:
            parent[ra] = rb
    groups: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
    for a, b in edges:
        groups[find((0, a))].append((a, b))
    return list(groups.values())


def _assignment(cost: list[list[int]]) -> list[int]:
    """Minimum-cost assignment of every row to a distinct column (rows <= columns).

    The classic O(n²m) Hungarian method with potentials; returns the column of each row.
    """
    n, m = len(cost), len(cost[0])
    inf = float("inf")
    u = [0.0] * (n + 1)
    v = [0.0] * (m + 1)
    owner = [0] * (m + 1)  # owner[j]: the row (1-based) assigned to column j, 0 if none
    way = [0] * (m + 1)
    for i in range(1, n + 1):
        owner[0] = i
        j0 = 0
        minv = [inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[j0] = True
            i0 = owner[j0]
            delta = inf
            j1 = 0
            for j in range(1, m + 1):
                if not used[j]:
                    cur = cost[i0 - 1][j - 1] - u[i0] - v[j]
                    if cur < minv[j]:
                        minv[j] = cur
                        way[j] = j0
                    if minv[j] < delta:
                        delta = minv[j]
                        j1 = j
            for j in range(m + 1):
                if used[j]:
                    u[owner[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if owner[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            owner[j0] = owner[j1]
            j0 = j1
    result = [0] * n
    for j in range(1, m + 1):
        if owner[j]:
            result[owner[j] - 1] = j - 1
    return result


def overlap_pairs(
    left: Sequence[tuple[int, int]], right: Sequence[tuple[int, int]]
) -> dict[tuple[int, int], int]:
    """Every (i, j) whose spans ``left[i]`` and ``right[j]`` overlap, with the overlap length.

    A sweep over the spans sorted by start, so the cost follows the number of overlaps,
    not the product of the two sizes.
    """
    items = sorted(
        [(s, e, 0, i) for i, (s, e) in enumerate(left)]
        + [(s, e, 1, j) for j, (s, e) in enumerate(right)]
    )
    active: tuple[list[tuple[int, int, int]], list[tuple[int, int, int]]] = ([], [])
    out: dict[tuple[int, int], int] = {}
    for start, end, side, idx in items:
        for k in (0, 1):
            active[k][:] = [a for a in active[k] if a[0] > start]
        for o_end, o_idx, _ in active[1 - side]:
            # The other span started at or before `start` and ends after it: they overlap.
            pair = (idx, o_idx) if side == 0 else (o_idx, idx)
            out[pair] = min(end, o_end) - start
        active[side].append((end, idx, start))
    return out


# ---------------------------------------------------------------------------------------
# Records


@dataclass(frozen=True)
class _Record:
    label: str
    name: str
    names: frozenset[str]
    mentions: tuple[Entity, ...]


def _group_records(entities: Iterable[Entity]) -> list[_Record]:
    """Mentions grouped per label by canonical name (else text): ANNOTATION.md's records.

    Unlike :func:`orbitext.records.build_records` (the extractor's output field), DATE
    mentions make records too: the guideline scores records of every label.
    """
    groups: dict[tuple[str, str], list[Entity]] = defaultdict(list)
    for ent in entities:
        groups[(ent.label, ent.name)].append(ent)
    return [
        _Record(label, name, frozenset({name, *(m.text for m in ments)}), tuple(ments))
        for (label, name), ments in groups.items()
    ]


class _GoldNames:
    """Resolves a gold argument value to the names of the gold record it names."""

    def __init__(self, records: list[_Record]) -> None:
        self._by_name: dict[tuple[str, str], list[_Record]] = defaultdict(list)
        self._by_alias: dict[tuple[str, str], list[_Record]] = defaultdict(list)
        for rec in records:
            self._by_name[(rec.label, rec.name)].append(rec)
            for name in rec.names:
                self._by_alias[(rec.label, name)].append(rec)

    def names(self, role: str, value: str) -> frozenset[str]:
        """The names a predicted value may use for gold ``value`` in ``role``."""
        if role == "date":
            return frozenset({value})
        labels = ROLE_LABELS[role]
        # The value should be a record's canonical name; failing that, any of its names.
        # Both sides are validated to name an entity, so {value} is only reached by gold
        # built without validation; it keeps exact-string comparison then.
        for index in (self._by_name, self._by_alias):
            found = [rec for lab in labels for rec in index.get((lab, value), ())]
            if found:
                return frozenset().union(*(rec.names for rec in found))
        return frozenset({value})


# ---------------------------------------------------------------------------------------
# Scoring one document


def _span(span: Span) -> tuple[int, int]:
    return (span.start, span.end)


def _score_entities(
    doc_id: str, gold: list[Entity], pred: list[Entity]
) -> tuple[Breakdown, Breakdown, DateAccuracy, list[ScoreError]]:
    errors: list[ScoreError] = []
    strict: dict[str, Counts] = {}
    partial: dict[str, Counts] = {}
    matched_dates = correct_dates = 0
    gold_labels_at: dict[tuple[int, int], set[str]] = defaultdict(set)
    for g in gold:
        gold_labels_at[_span(g)].add(g.label)

    for label in LABELS:
        g_ents = [e for e in gold if e.label == label]
        p_ents = [e for e in pred if e.label == label]

        # Strict: one-to-one on (start, end); a duplicate prediction finds no gold left.
        g_free: dict[tuple[int, int], list[int]] = defaultdict(list)
        for i, g in enumerate(g_ents):
            g_free[_span(g)].append(i)
        strict_pairs: list[tuple[int, int]] = []
        for j, p in enumerate(p_ents):
            if g_free.get(_span(p)):
                strict_pairs.append((g_free[_span(p)].pop(0), j))
        tp = len(strict_pairs)
        strict[label] = Counts(tp, len(p_ents) - tp, len(g_ents) - tp)

        if label == "DATE":
            for i, j in strict_pairs:
                matched_dates += 1
                if g_ents[i].value == p_ents[j].value:
                    correct_dates += 1
                else:
                    errors.append(
                        ScoreError(
                            doc_id,
                            "date_value",
                            "WRONG",
                            label,
                            g_ents[i].text,
                            (_span(g_ents[i]),),
                            f"gold {g_ents[i].value} vs predicted {p_ents[j].value}",
                        )
                    )

        # Partial: overlap, one-to-one by maximum matching.
        partial_pairs = maximum_matching(
            overlap_pairs([_span(e) for e in g_ents], [_span(e) for e in p_ents])
        )
        ptp = len(partial_pairs)
        partial[label] = Counts(ptp, len(p_ents) - ptp, len(g_ents) - ptp)

        # Errors follow the strict figure; the detail tells a boundary error (a partial
        # match) or a wrong label from a plain miss or false alarm.
        partner_of_g = dict(partial_pairs)
        partner_of_p = {j: i for i, j in partial_pairs}
        g_hit = {i for i, _ in strict_pairs}
        p_hit = {j for _, j in strict_pairs}
        for j, p in enumerate(p_ents):
            if j in p_hit:
                continue
            detail = ""
            if j in partner_of_p:
                g = g_ents[partner_of_p[j]]
                detail = f"overlaps gold {g.text!r} [{g.start}:{g.end}]"
            elif gold_labels_at.get(_span(p), set()) - {label}:
                detail = f"gold label {'/'.join(sorted(gold_labels_at[_span(p)]))}"
            errors.append(ScoreError(doc_id, "entity", "FP", label, p.text, (_span(p),), detail))
        for i, g in enumerate(g_ents):
            if i in g_hit:
                continue
            detail = ""
            if i in partner_of_g:
                p = p_ents[partner_of_g[i]]
                detail = f"overlapped by predicted {p.text!r} [{p.start}:{p.end}]"
            errors.append(ScoreError(doc_id, "entity", "FN", label, g.text, (_span(g),), detail))

    return (
        Breakdown(strict),
        Breakdown(partial),
        DateAccuracy(matched_dates, correct_dates),
        errors,
    )


def _score_records(
    doc_id: str, gold: list[_Record], pred: list[_Record]
) -> tuple[Breakdown, list[ScoreError]]:
    errors: list[ScoreError] = []
    counts: dict[str, Counts] = {}
    for label in LABELS:
        g_recs = [r for r in gold if r.label == label]
        p_recs = [r for r in pred if r.label == label]
        by_name: dict[str, list[int]] = defaultdict(list)
        for i, g in enumerate(g_recs):
            for name in g.names:
                by_name[name].append(i)
        edges: dict[tuple[int, int], int] = defaultdict(int)
        for j, p in enumerate(p_recs):
            for name in p.names:
                for i in by_name.get(name, ()):
                    edges[(i, j)] += 1  # weight: shared names, to pair the closest records
        pairs = maximum_matching(dict(edges))
        tp = len(pairs)
        counts[label] = Counts(tp, len(p_recs) - tp, len(g_recs) - tp)

        g_hit = {i for i, _ in pairs}
        p_hit = {j for _, j in pairs}
        for j, p in enumerate(p_recs):
            if j not in p_hit:
                near = sorted(g_recs[i].name for i, jj in edges if jj == j)
                detail = _names_detail(p) + (
                    f"; shares a name with gold {', '.join(map(repr, near))}" if near else ""
                )
                errors.append(_record_error(doc_id, "FP", p, detail))
        for i, g in enumerate(g_recs):
            if i not in g_hit:
                near = sorted(p_recs[j].name for ii, j in edges if ii == i)
                detail = _names_detail(g) + (
                    f"; shares a name with predicted {', '.join(map(repr, near))}" if near else ""
                )
                errors.append(_record_error(doc_id, "FN", g, detail))
    return Breakdown(counts), errors


def _names_detail(rec: _Record) -> str:
    return "names: " + ", ".join(sorted(rec.names))


def _record_error(doc_id: str, kind: ErrorKind, rec: _Record, detail: str) -> ScoreError:
    spans = tuple(sorted(_span(m) for m in rec.mentions))
    return ScoreError(doc_id, "record", kind, rec.label, rec.name, spans, detail)


def _arguments(ev: Event) -> dict[str, list[str]]:
    """An event's arguments per role, each role a set (kept in first-seen order)."""
    return {
        "date": [ev.date] if ev.date is not None else [],
        "participants": list(dict.fromkeys(ev.participants)),
        "vehicles": list(dict.fromkeys(ev.vehicles)),
        "location": [ev.location] if ev.location is not None else [],
    }


def _match_arguments(
    gold_args: dict[str, list[str]], pred_args: dict[str, list[str]], names: _GoldNames
) -> dict[str, list[tuple[int, int]]]:
    """Per role, the maximum matching of predicted values to the gold values they name."""
    out: dict[str, list[tuple[int, int]]] = {}
    for role in ROLES:
        edges: dict[tuple[int, int], int] = {}
        for i, gv in enumerate(gold_args[role]):
            allowed = names.names(role, gv)
            edges.update({(i, j): 1 for j, pv in enumerate(pred_args[role]) if pv in allowed})
        out[role] = maximum_matching(edges)
    return out


def _trigger_text(ev: Event) -> str:
    return " | ".join(t.text for t in ev.triggers)


def _trigger_spans(ev: Event) -> tuple[tuple[int, int], ...]:
    return tuple(sorted(_span(t) for t in ev.triggers))


def _describe(ev: Event, side: str) -> str:
    return f"{side} {ev.type} {ev.id} {_trigger_text(ev)!r}"


def _argument_errors(
    doc_id: str,
    kind: ErrorKind,
    role: str,
    values: list[str],
    found: set[int],
    own: Event | None,
    other: Event | None,
) -> list[ScoreError]:
    """Errors for the values of ``own``'s ``role`` outside ``found``; ``other`` is its match."""
    if own is None:
        return []
    side, other_side = ("gold", "predicted") if kind == "FN" else ("predicted", "gold")
    where = _describe(own, side) + (
        f", matched to {other_side} {other.id}" if other is not None else ", unmatched"
    )
    return [
        ScoreError(doc_id, "argument", kind, role, value, _trigger_spans(own)[:1], where)
        for k, value in enumerate(values)
        if k not in found
    ]


def _score_events(
    doc_id: str, gold: list[Event], pred: list[Event], names: _GoldNames
) -> tuple[Breakdown, Breakdown, list[ScoreError]]:
    errors: list[ScoreError] = []
    g_args = [_arguments(ev) for ev in gold]
    p_args = [_arguments(ev) for ev in pred]

    # Candidate pairs: same type, some trigger overlap.
    g_trig = [(i, t) for i, ev in enumerate(gold) for t in ev.triggers]
    p_trig = [(j, t) for j, ev in enumerate(pred) for t in ev.triggers]
    overlap: dict[tuple[int, int], int] = defaultdict(int)
    for (a, b), length in overlap_pairs(
        [_span(t) for _, t in g_trig], [_span(t) for _, t in p_trig]
    ).items():
        i, j = g_trig[a][0], p_trig[b][0]
        if gold[i].type == pred[j].type:
            overlap[(i, j)] += length
    # Among maximum matchings, prefer the pairing that agrees on most arguments, then the
    # one whose triggers overlap most; the weights are tie-breaks only.
    arg_matches = {
        pair: _match_arguments(g_args[pair[0]], p_args[pair[1]], names) for pair in overlap
    }
    edges = {
        pair: sum(len(m) for m in arg_matches[pair].values()) * 100_000 + min(length, 99_999)
        for pair, length in overlap.items()
    }
    pairs = maximum_matching(edges)

    ev_counts: dict[str, Counts] = defaultdict(Counts)
    for i, _ in pairs:
        ev_counts[gold[i].type] += Counts(tp=1)
    g_hit = {i for i, _ in pairs}
    p_hit = {j for _, j in pairs}
    p_miss = [j for j in range(len(pred)) if j not in p_hit]
    g_miss = [i for i in range(len(gold)) if i not in g_hit]
    for j in p_miss:
        ev = pred[j]
        ev_counts[ev.type] += Counts(fp=1)
        errors.append(
            ScoreError(doc_id, "event", "FP", ev.type, _trigger_text(ev), _trigger_spans(ev))
        )
    for i in g_miss:
        ev = gold[i]
        ev_counts[ev.type] += Counts(fn=1)
        errors.append(
            ScoreError(doc_id, "event", "FN", ev.type, _trigger_text(ev), _trigger_spans(ev), ev.id)
        )

    # Arguments, in one pass over matched pairs and unmatched events alike: an unmatched
    # event has no argument matches, so all its arguments are false alarms or misses.
    arg_counts: dict[str, Counts] = defaultdict(Counts)
    aligned: list[tuple[int | None, int | None]] = [
        *pairs,
        *((None, j) for j in p_miss),
        *((i, None) for i in g_miss),
    ]
    for gi, pj in aligned:
        g_ev = gold[gi] if gi is not None else None
        p_ev = pred[pj] if pj is not None else None
        matches = arg_matches[(gi, pj)] if gi is not None and pj is not None else {}
        for role in ROLES:
            gv = g_args[gi][role] if gi is not None else []
            pv = p_args[pj][role] if pj is not None else []
            found = matches.get(role, [])
            arg_counts[role] += Counts(len(found), len(pv) - len(found), len(gv) - len(found))
            errors.extend(
                _argument_errors(doc_id, "FP", role, pv, {b for _, b in found}, p_ev, g_ev)
            )
            errors.extend(
                _argument_errors(doc_id, "FN", role, gv, {a for a, _ in found}, g_ev, p_ev)
            )

    return (
        Breakdown({t: ev_counts.get(t, Counts()) for t in EVENT_TYPES}),
        Breakdown({r: arg_counts.get(r, Counts()) for r in ROLES}, total_name="overall"),
        errors,
    )


def score_document(gold: Document, pred: Document) -> DocumentScore:
    """Score one predicted document against its gold document.

    Raises ``ValueError`` when the two are not the same article (doc_id or text hash
    differ): offsets into different texts cannot be compared.
    """
    if gold.doc_id != pred.doc_id:
        raise ValueError(f"doc_id mismatch: gold {gold.doc_id!r}, predicted {pred.doc_id!r}")
    if gold.text_sha256 != pred.text_sha256:
        raise ValueError(
            f"{gold.doc_id}: text_sha256 differs between gold and prediction "
            "(the prediction was made on another text)"
        )
    doc_id = gold.doc_id
    strict, partial, dates, ent_errors = _score_entities(doc_id, gold.entities, pred.entities)
    gold_records = _group_records(gold.entities)
    records, rec_errors = _score_records(doc_id, gold_records, _group_records(pred.entities))
    events, arguments, ev_errors = _score_events(
        doc_id, gold.events, pred.events, _GoldNames(gold_records)
    )
    errors = sorted([*ent_errors, *rec_errors, *ev_errors], key=ScoreError.sort_key)
    return DocumentScore(strict, partial, dates, records, events, arguments, tuple(errors))


def score_corpus(pairs: Sequence[tuple[Document, Document]]) -> CorpusScore:
    """Score (gold, predicted) document pairs; figures are summed over documents.

    Raises ``ValueError`` on a pair whose documents differ, or a doc_id seen twice.
    """
    documents: dict[str, DocumentScore] = {}
    for gold, pred in pairs:
        if gold.doc_id in documents:
            raise ValueError(f"doc_id {gold.doc_id!r} appears twice in the corpus")
        documents[gold.doc_id] = score_document(gold, pred)
    # Sum the figures without the errors (adding tuples doc by doc would be quadratic).
    total = sum((replace(d, errors=()) for d in documents.values()), DocumentScore())
    return CorpusScore(
        total.entities_strict,
        total.entities_partial,
        total.dates,
        total.records,
        total.events,
        total.arguments,
        tuple(e for d in documents.values() for e in d.errors),
        documents=documents,
    )
