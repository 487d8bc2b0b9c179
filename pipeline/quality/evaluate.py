"""Measure the extractor: score a release against gold annotations, document by document.

For researchers who annotate their own articles and want to know how well
paradip extracts them (`paradip evaluate`), and for engineers improving the
rules: besides precision, recall and F1 it lists, per document, the gold
items missed, the system rows that match nothing, the events and agreements
found with the wrong type, and the dates and statuses that are wrong.

The metric semantics are exactly those of the codebook's reference scorer
(`score.py`, the one the project's targets are quoted in); a test checks
that both give the same figures where that scorer is at hand
(`PARADIP_REFERENCE_SCORER`).

The gold format is described in `pipeline/quality/gold.py` and the README.

Matching rules, per document:

1. **Actors.** A system actor is one with a mention in the document; its
   names are its mention texts, its name and its aliases, folded (case,
   accents, quotes, spaces, hyphens, dots and a leading "the" ignored). It
   may match a gold actor of the document sharing a folded name (preferred),
   or whose names anywhere in the gold share one. Pairs are taken greedily,
   one to one, by (local before global, most shared names, then ids).
2. **Events.** A system event reported in the document is a candidate for a
   gold event when its participants, mapped through the actor alignment,
   share a gold participant, include a non-country gold participant when the
   gold event has any, and its dates overlap the gold date (when both have
   one; a month or year precision covers the whole month or year). Strict
   matches also need the same type; "any type" matches do not. Greedy one to
   one by number of shared participants.
3. **Agreements.** Candidates share a mapped party; strict needs the same type.
4. **Attributes** (accuracy over matched pairs): document language, publication
   date and title; actor kind and country; event date, type and participant
   recall (over any-type matches); agreement status and dates (strict matches).
5. **Leaks.** A `must_not_extract` name among a system actor's names.
6. **Cross-document.** For every gold actor, every pair of documents naming it
   counts as resolved when both map it to the same system actor. A system
   actor aligned to two different gold actors is a false merge.

`overall_f1` is the mean of the actor, event and agreement F1 (strict).

The details (for people, not part of the figures) start from the strict
matches. A gold item and a system row both left over by them that are an
"any type" candidate pair are paired as a *type mismatch* (one to one, most
shared participants first, then a system row whose sentence quotes the gold
evidence). What is still left over is *missed* (gold) or *spurious*
(system), so per document and family gold = strict matches + type
mismatches + missed and system = strict matches + type mismatches +
spurious. Strict matches and type mismatches are also checked for a wrong
event date, agreement status or agreement date. (The attribute figures keep
the reference scorer's pairs, which can differ from these in ties.)
"""
from __future__ import annotations

import contextlib
import json
import tempfile
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from pipeline.runtime.build import build
from pipeline.release.diff import NotARelease
from pipeline.quality.gold import (GoldActor, GoldAgreement, GoldDocument, GoldEvent, Interval, load_gold, name_key,
                           overlaps, release_interval, same_dates, show_interval)
from pipeline.core.params import Params
from pipeline.runtime.progress import Track, no_track

RELEASE_TABLES = ("documents", "actors", "mentions", "events", "event_participants", "event_sources",
                  "agreements", "agreement_parties", "agreement_sources")


# ---------------------------------------------------------------- release

@dataclass
class ReleaseView:
    """The rows of a release the scorer reads, indexed by document."""

    documents_by_file: dict[str, dict]
    actors: dict[str, dict]
    events: dict[str, dict]
    agreements: dict[str, dict]
    actor_texts: dict[str, dict[str, set[str]]]  # doc_id -> actor_id -> mention texts
    events_by_doc: dict[str, set[str]]
    agreements_by_doc: dict[str, set[str]]
    event_actors: dict[str, set[str]]
    agreement_actors: dict[str, set[str]]
    sentences: dict[tuple[str, str], list[str]]  # (event or agreement id, doc_id) -> sentences

    @classmethod
    def from_tables(cls, tables: Mapping[str, list[dict]]) -> ReleaseView:
        view = cls({Path(d["source_path"]).name: d for d in tables["documents"]},
                   {a["actor_id"]: a for a in tables["actors"]},
                   {e["event_id"]: e for e in tables["events"]},
                   {a["agreement_id"]: a for a in tables["agreements"]},
                   defaultdict(lambda: defaultdict(set)), defaultdict(set), defaultdict(set),
                   defaultdict(set), defaultdict(set), defaultdict(list))
        for m in tables["mentions"]:
            view.actor_texts[m["doc_id"]][m["actor_id"]].add(m["text"])
        for table, key, by_doc in (("event_sources", "event_id", view.events_by_doc),
                                   ("agreement_sources", "agreement_id", view.agreements_by_doc)):
            for source in tables[table]:
                by_doc[source["doc_id"]].add(source[key])
                view.sentences[source[key], source["doc_id"]].append(source["sentence"])
        for p in tables["event_participants"]:
            view.event_actors[p["event_id"]].add(p["actor_id"])
        for p in tables["agreement_parties"]:
            view.agreement_actors[p["agreement_id"]].add(p["actor_id"])
        return view


def read_release(release: Path) -> ReleaseView:
    """A published release folder (its Parquet tables) as a ReleaseView; NotARelease when a table is missing."""
    tables = {}
    for name in RELEASE_TABLES:
        path = release / f"{name}.parquet"
        if not path.is_file():
            raise NotARelease(f"{release}: no {name}.parquet, so this is not a paradip release folder")
        try:
            tables[name] = pq.read_table(path).to_pylist()
        except (pa.ArrowException, OSError) as exc:
            raise NotARelease(f"{path}: not readable Parquet: {exc}") from None
    return ReleaseView.from_tables(tables)


# ---------------------------------------------------------------- results

@dataclass(frozen=True)
class Scores:
    tp: int
    system: int
    gold: int
    precision: float
    recall: float
    f1: float


def prf(tp: int, n_system: int, n_gold: int) -> Scores:
    """Precision, recall and F1 rounded to 4 places; an empty side scores 1 only when the other is empty too."""
    p = tp / n_system if n_system else float(n_gold == 0)
    r = tp / n_gold if n_gold else float(n_system == 0)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return Scores(tp, n_system, n_gold, round(p, 4), round(r, 4), round(f, 4))


@dataclass(frozen=True)
class SystemActor:
    actor_id: str
    name: str
    kind: str | None
    mentions: tuple[str, ...]


@dataclass(frozen=True)
class SystemItem:
    """A system event or agreement as an engineer needs to see it."""

    id: str
    type: str
    date: str  # events: their dates; agreements: date_signed
    status: str | None  # agreements only
    participants: tuple[str, ...]  # actor names
    sentences: tuple[str, ...]


@dataclass(frozen=True)
class GoldItem:
    type: str
    date: str
    status: str | None
    participants: tuple[str, ...]  # gold actor ids
    evidence: str | None


def gold_item(gold: GoldEvent | GoldAgreement) -> GoldItem:
    if isinstance(gold, GoldEvent):
        return GoldItem(gold.type, show_interval(gold.date), None, tuple(sorted(gold.participants)), gold.evidence)
    return GoldItem(gold.type, show_interval(dict(gold.dates).get("date_signed")), gold.status,
                    tuple(sorted(gold.parties)), gold.evidence)


@dataclass(frozen=True)
class Pairing:
    """A system row paired with a gold item, and what is wrong with it (`type: system x, gold y`, ...)."""

    type_mismatch: bool
    problems: tuple[str, ...]
    system: SystemItem
    gold: GoldItem


@dataclass
class FamilyResult:
    """Events or agreements of one document: scores, and every gold item or system row not strictly right."""

    scores: Scores
    missed: list[GoldItem]
    spurious: list[SystemItem]
    wrong: list[Pairing]  # type mismatches first, then strict matches with a wrong date or status


@dataclass
class DocumentResult:
    file: str
    in_release: bool
    actors: Scores
    missed_actors: list[GoldActor]
    spurious_actors: list[SystemActor]
    events: FamilyResult
    agreements: FamilyResult
    leaks: list[str]


@dataclass(frozen=True)
class CrossDocument:
    pairs: int
    resolved: int
    recall: float | None
    false_merges: int


@dataclass
class Report:
    overall_f1: float
    actors: Scores
    events: Scores
    events_any_type: Scores
    agreements: Scores
    agreements_any_type: Scores
    attributes: dict[str, float | None]
    cross_document: CrossDocument
    boilerplate_leaks: list[str]
    documents: list[DocumentResult] = field(default_factory=list)
    #: Gold articles the release does not hold (scored as all missed).
    missing_documents: list[str] = field(default_factory=list)

    def select(self, file_part: str) -> Report:
        """The same report with only the documents whose file name contains `file_part`."""
        return replace(self, documents=[d for d in self.documents if file_part in d.file])

    def to_dict(self) -> dict:
        """JSON-ready; the top-level keys and figures are those of score.py's `--json`."""
        return asdict(self)

    def summary_line(self) -> str:
        """The one-line summary, in score.py's format."""
        return (f"overall F1 {self.overall_f1:.3f} | actors {self.actors.f1:.3f} "
                f"(P {self.actors.precision:.2f} R {self.actors.recall:.2f}) | events {self.events.f1:.3f} "
                f"(any type {self.events_any_type.f1:.3f}) | agreements {self.agreements.f1:.3f} "
                f"| leaks {len(self.boilerplate_leaks)} | cross-doc {self.cross_document.recall}")


class Tally:
    """Right / total counts per attribute; only attributes that were checked appear."""

    def __init__(self) -> None:
        self.counts: dict[str, list[int]] = {}

    def add(self, name: str, right: int, total: int = 1) -> None:
        counts = self.counts.setdefault(name, [0, 0])
        counts[0] += right
        counts[1] += total

    def rates(self) -> dict[str, float | None]:
        return {k: round(r / t, 4) if t else None for k, (r, t) in sorted(self.counts.items())}


# ---------------------------------------------------------------- matching

def greedy_match(candidates: list[tuple[int, int, int]]) -> list[tuple[int, int]]:
    """One-to-one (system, gold) pairs from (score, system, gold) candidates, best score first.

    Ties keep the candidates' order (system index, then gold index)."""
    pairs, used_system, used_gold = [], set(), set()
    for _, s, g in sorted(candidates, key=lambda c: c[0], reverse=True):
        if s not in used_system and g not in used_gold:
            pairs.append((s, g))
            used_system.add(s)
            used_gold.add(g)
    return pairs


def align_actors(names: dict[str, set[str]], gold_doc: GoldDocument,
                 global_names: Mapping[str, set[str]]) -> dict[str, str]:
    """System actor id -> gold actor id, one to one, for one document (rule 1)."""
    candidates = []
    for sid, snames in names.items():
        for actor in gold_doc.actors:
            local = snames & {name_key(n) for n in actor.names}
            anywhere = snames & global_names[actor.id]
            if local:
                candidates.append((2, len(local), sid, actor.id))
            elif anywhere:
                candidates.append((1, len(anywhere), sid, actor.id))
    alignment, used = {}, set()
    for _, _, sid, gid in sorted(candidates, reverse=True):
        if sid not in alignment and gid not in used:
            alignment[sid] = gid
            used.add(gid)
    return alignment


@dataclass(frozen=True)
class FamilyMatches:
    """Matches of one family in one document; pairs are (system index, gold index)."""

    candidates: list[tuple[int, int, int]]  # (score, system, gold), any type
    strict: list[tuple[int, int]]
    any_type: list[tuple[int, int]]

    def type_mismatches(self, prefer: Callable[[int, int], bool]) -> list[tuple[int, int]]:
        """Any-type candidates between rows the strict matching left over, one to one.

        Strict matching is greedy to the end, so every such candidate has two different types. Among
        candidates sharing as many participants, those `prefer`red (system index, gold index) go first."""
        system, gold = {s for s, _ in self.strict}, {g for _, g in self.strict}
        return greedy_match([((score, prefer(s, g)), s, g) for score, s, g in self.candidates
                             if s not in system and g not in gold])


def match_family(n_system: int, n_gold: int, shared: Callable[[int, int], int | None],
                 same_type: Callable[[int, int], bool]) -> FamilyMatches:
    """Rules 2 and 3: `shared` gives a candidate's score (shared participants) or None when it is none."""
    candidates = [(score, si, gi) for si in range(n_system) for gi in range(n_gold)
                  if (score := shared(si, gi)) is not None]
    strict = [c for c in candidates if same_type(c[1], c[2])]
    return FamilyMatches(candidates, greedy_match(strict), greedy_match(candidates))


def _squash(text: str) -> str:
    return " ".join(text.casefold().split())


def evidence_in_sentences(system: SystemItem, gold: GoldItem) -> bool:
    """Whether the gold evidence is quoted in one of the system row's sentences (ignoring case and spacing)."""
    evidence = _squash(gold.evidence or "")
    return bool(evidence) and any(evidence in _squash(s) for s in system.sentences)


def family_result(matches: FamilyMatches, system: list[SystemItem], gold: list[GoldItem],
                  problems: Callable[[int, int], list[str]]) -> FamilyResult:
    """Scores and details from the matches (see the module docstring for what each list holds).

    `problems(system index, gold index)` says what is wrong with the attributes of a pair; it is asked of
    the strict matches and the type mismatches, the pairs the details present as found."""
    mismatches = matches.type_mismatches(lambda s, g: evidence_in_sentences(system[s], gold[g]))
    wrong = [Pairing(True, (f"type: system {system[s].type}, gold {gold[g].type}", *problems(s, g)),
                     system[s], gold[g]) for s, g in mismatches]
    wrong += [Pairing(False, tuple(found), system[s], gold[g]) for s, g in matches.strict if (found := problems(s, g))]
    paired_system = {s for s, _ in matches.strict + mismatches}
    paired_gold = {g for _, g in matches.strict + mismatches}
    return FamilyResult(
        scores=prf(len(matches.strict), len(system), len(gold)),
        missed=[item for i, item in enumerate(gold) if i not in paired_gold],
        spurious=[item for i, item in enumerate(system) if i not in paired_system],
        wrong=wrong)


# ---------------------------------------------------------------- one document

@dataclass
class _Totals:
    """Corpus sums of the per-document counts."""

    tp: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    system: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    gold: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def add(self, family: str, tp: int, system: int, gold: int) -> None:
        self.tp[family] += tp
        self.system[family] += system
        self.gold[family] += gold

    def scores(self, family: str, tp_family: str | None = None) -> Scores:
        return prf(self.tp[tp_family or family], self.system[family], self.gold[family])


class _DocumentScorer:
    """Scores one gold document against the release; adds to the corpus totals and attribute tally."""

    def __init__(self, release: ReleaseView, gold_doc: GoldDocument, doc: dict,
                 global_names: Mapping[str, set[str]], kinds: Mapping[str, str]):
        self.release, self.gold_doc, self.doc_id, self.kinds = release, gold_doc, doc["doc_id"], kinds
        self.system_names = {}
        for actor_id, texts in release.actor_texts[self.doc_id].items():
            actor = release.actors.get(actor_id, {})
            keys = {name_key(t) for t in texts} | {name_key(actor.get("name") or "")}
            keys |= {name_key(a) for a in actor.get("aliases") or []}
            keys.discard("")
            self.system_names[actor_id] = keys
        self.alignment = align_actors(self.system_names, gold_doc, global_names)

    def mapped(self, actor_ids: set[str]) -> set[str]:
        return {self.alignment[a] for a in actor_ids if a in self.alignment}

    def actor_name(self, actor_id: str) -> str:
        return self.release.actors.get(actor_id, {}).get("name", actor_id)

    def system_item(self, item_id: str, row: dict, type_column: str, date: Interval | None,
                    actor_ids: set[str]) -> SystemItem:
        return SystemItem(item_id, row.get(type_column), show_interval(date), row.get("status"),
                          tuple(sorted(self.actor_name(a) for a in actor_ids)),
                          tuple(self.release.sentences.get((item_id, self.doc_id), ())))

    def document_attributes(self, doc: dict, tally: Tally) -> None:
        gold = self.gold_doc
        tally.add("document.language", doc.get("language") == gold.language)
        published = release_interval(doc.get("published"), None, doc.get("published_precision"))
        tally.add("document.published", gold.published == published)
        gold_title = name_key(gold.title) if gold.title else None
        tally.add("document.title", gold_title == (name_key(doc["title"]) if doc.get("title") else None))

    def actors(self, tally: Tally) -> tuple[Scores, list[GoldActor], list[SystemActor]]:
        gold_by_id = {a.id: a for a in self.gold_doc.actors}
        for sid, gid in self.alignment.items():
            system, gold = self.release.actors.get(sid, {}), gold_by_id[gid]
            tally.add("actor.kind", system.get("kind") == gold.kind)
            tally.add("actor.country", (system.get("country") or None) == (gold.country or None))
        matched = set(self.alignment.values())
        spurious = sorted((SystemActor(sid, self.actor_name(sid), self.release.actors.get(sid, {}).get("kind"),
                                       tuple(sorted(self.release.actor_texts[self.doc_id][sid])))
                           for sid in self.system_names if sid not in self.alignment),
                          key=lambda a: (a.name, a.actor_id))
        return (prf(len(self.alignment), len(self.system_names), len(self.gold_doc.actors)),
                [a for a in self.gold_doc.actors if a.id not in matched], spurious)

    def leaks(self) -> list[str]:
        return [bad for bad in self.gold_doc.must_not_extract
                if any(name_key(bad) in names for names in self.system_names.values())]

    def events(self, tally: Tally) -> tuple[FamilyResult, int]:
        ids = sorted(self.release.events_by_doc[self.doc_id])
        rows = [self.release.events[i] for i in ids]
        dates = [release_interval(e.get("date_start"), e.get("date_end"), e.get("date_precision")) for e in rows]
        mapped = [self.mapped(self.release.event_actors[i]) for i in ids]
        gold = self.gold_doc.events

        def shared(si: int, gi: int) -> int | None:
            common = mapped[si] & gold[gi].participants
            salient = {g for g in gold[gi].participants if self.kinds.get(g) != "country"}
            if not common or (salient and not common & salient):
                return None
            if gold[gi].date and dates[si] and not overlaps(gold[gi].date, dates[si]):
                return None
            return len(common)

        matches = match_family(len(ids), len(gold), shared,
                               lambda si, gi: rows[si].get("event_type") == gold[gi].type)
        system_items = [self.system_item(i, e, "event_type", d, self.release.event_actors[i])
                        for i, e, d in zip(ids, rows, dates)]
        gold_items = [gold_item(g) for g in gold]
        for si, gi in matches.any_type:
            tally.add("event.date", same_dates(gold[gi].date, dates[si]))
            tally.add("event.type", rows[si].get("event_type") == gold[gi].type)
            tally.add("event.participants_recall", len(mapped[si] & gold[gi].participants),
                      len(gold[gi].participants))

        def problems(si: int, gi: int) -> list[str]:
            if same_dates(gold[gi].date, dates[si]):
                return []
            return [f"date: system {system_items[si].date}, gold {gold_items[gi].date}"]

        return family_result(matches, system_items, gold_items, problems), len(matches.any_type)

    def agreements(self, tally: Tally) -> tuple[FamilyResult, int]:
        ids = sorted(self.release.agreements_by_doc[self.doc_id])
        rows = [self.release.agreements[i] for i in ids]
        mapped = [self.mapped(self.release.agreement_actors[i]) for i in ids]
        gold = self.gold_doc.agreements
        matches = match_family(len(ids), len(gold), lambda si, gi: len(mapped[si] & gold[gi].parties) or None,
                               lambda si, gi: rows[si].get("agreement_type") == gold[gi].type)
        system_items = [self.system_item(i, a, "agreement_type", self.agreement_date(a, "date_signed"),
                                         self.release.agreement_actors[i]) for i, a in zip(ids, rows)]
        gold_items = [gold_item(g) for g in gold]
        for si, gi in matches.strict:
            tally.add("agreement.status", rows[si].get("status") == gold[gi].status)
            for column, gold_date in gold[gi].dates:
                tally.add("agreement.date", same_dates(gold_date, self.agreement_date(rows[si], column)))

        def problems(si: int, gi: int) -> list[str]:
            system, expected = rows[si], gold[gi]
            found = [] if system.get("status") == expected.status else [
                f"status: system {system.get('status')}, gold {expected.status}"]
            for column, gold_date in expected.dates:
                system_date = self.agreement_date(system, column)
                if not same_dates(gold_date, system_date):
                    found.append(f"{column}: system {show_interval(system_date)}, gold {show_interval(gold_date)}")
            return found

        return family_result(matches, system_items, gold_items, problems), len(matches.any_type)

    @staticmethod
    def agreement_date(row: dict, column: str) -> Interval | None:
        return release_interval(row.get(column), None, row.get(f"{column}_precision"))


def _missing_document(gold_doc: GoldDocument) -> DocumentResult:
    """A gold document the release does not hold: everything in it is missed."""
    def missed(items) -> FamilyResult:
        return FamilyResult(prf(0, 0, len(items)), items, [], [])
    return DocumentResult(
        gold_doc.file, False, prf(0, 0, len(gold_doc.actors)), list(gold_doc.actors), [],
        missed([gold_item(e) for e in gold_doc.events]), missed([gold_item(a) for a in gold_doc.agreements]), [])


# ---------------------------------------------------------------- corpus

def cross_document(per_document: list[tuple[GoldDocument, dict[str, str]]]) -> CrossDocument:
    """Rule 6 over the documents' alignments, in document order."""
    resolved_by_gold: dict[str, list[str | None]] = {}
    for gold_doc, alignment in per_document:
        for sid, gid in alignment.items():
            resolved_by_gold.setdefault(gid, []).append(sid)
        matched = set(alignment.values())
        for actor in {a.id: a for a in gold_doc.actors}.values():
            if actor.id not in matched:
                resolved_by_gold.setdefault(actor.id, []).append(None)
    pairs = resolved = false_merges = 0
    owner: dict[str, str] = {}
    for gid, sids in resolved_by_gold.items():
        for i, first in enumerate(sids):
            for second in sids[i + 1:]:
                pairs += 1
                resolved += first is not None and first == second
        for sid in sids:
            if sid is None:
                continue
            false_merges += owner.setdefault(sid, gid) != gid
    return CrossDocument(pairs, resolved, round(resolved / pairs, 4) if pairs else None, false_merges)


def score(gold_docs: list[GoldDocument], release: ReleaseView) -> Report:
    """Score `release` against the gold documents (rules in the module docstring)."""
    global_names: dict[str, set[str]] = defaultdict(set)
    kinds = {}
    for gold_doc in gold_docs:
        for actor in gold_doc.actors:
            global_names[actor.id] |= {name_key(n) for n in actor.names}
            kinds[actor.id] = actor.kind
    totals, tally = _Totals(), Tally()
    results, alignments, leaks = [], [], []
    for gold_doc in gold_docs:
        doc = release.documents_by_file.get(gold_doc.file)
        if doc is None:
            result = _missing_document(gold_doc)
            lenient_events = lenient_agreements = 0
        else:
            scorer = _DocumentScorer(release, gold_doc, doc, global_names, kinds)
            scorer.document_attributes(doc, tally)
            actor_scores, missed_actors, spurious_actors = scorer.actors(tally)
            events, lenient_events = scorer.events(tally)
            agreements, lenient_agreements = scorer.agreements(tally)
            result = DocumentResult(gold_doc.file, True, actor_scores, missed_actors, spurious_actors,
                                    events, agreements, scorer.leaks())
            alignments.append((gold_doc, scorer.alignment))
        for family, scores in (("actors", result.actors), ("events", result.events.scores),
                               ("agreements", result.agreements.scores)):
            totals.add(family, scores.tp, scores.system, scores.gold)
        totals.tp["events_any_type"] += lenient_events
        totals.tp["agreements_any_type"] += lenient_agreements
        leaks += [f"{gold_doc.file}: {bad}" for bad in result.leaks]
        results.append(result)
    actors, events, agreements = totals.scores("actors"), totals.scores("events"), totals.scores("agreements")
    return Report(
        overall_f1=round((actors.f1 + events.f1 + agreements.f1) / 3, 4),
        actors=actors, events=events, events_any_type=totals.scores("events", "events_any_type"),
        agreements=agreements, agreements_any_type=totals.scores("agreements", "agreements_any_type"),
        attributes=tally.rates(), cross_document=cross_document(alignments), boilerplate_leaks=leaks,
        documents=results, missing_documents=[r.file for r in results if not r.in_release])


# ---------------------------------------------------------------- text report

def _clip(text: str | None, width: int = 200) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= width else text[:width - 1] + "…"


def _show_system(item: SystemItem) -> str:
    status = f" {item.status}" if item.status else ""
    sentences = " | ".join(f'"{_clip(s)}"' for s in item.sentences) or "(no sentence)"
    return f"{item.type}{status} {item.date} [{', '.join(item.participants)}] {sentences}"


def _show_gold(item: GoldItem) -> str:
    status = f" {item.status}" if item.status else ""
    return f'{item.type}{status} {item.date} [{", ".join(item.participants)}] "{_clip(item.evidence)}"'


def document_lines(result: DocumentResult) -> list[str]:
    """What an engineer reads for one document: the scores, then every miss and every wrong row."""
    def f1(s: Scores) -> str:
        return f"{s.f1:.2f} (P {s.precision:.2f} R {s.recall:.2f})"
    lines = [f"{result.file}: actors F1 {f1(result.actors)}  events F1 {f1(result.events.scores)}"
             f"  agreements F1 {f1(result.agreements.scores)}" + ("" if result.in_release else
                                                                   "  MISSING FROM THE RELEASE")]
    lines += [f"  missed actor: {a.id} ({a.kind}; {' / '.join(a.names)})" for a in result.missed_actors]
    lines += [f"  spurious actor: {a.name} ({a.kind}; mentions: {' / '.join(a.mentions)})"
              for a in result.spurious_actors]
    for family, res in (("event", result.events), ("agreement", result.agreements)):
        lines += [f"  missed {family}: {_show_gold(g)}" for g in res.missed]
        lines += [f"  spurious {family}: {_show_system(s)}" for s in res.spurious]
        for pairing in res.wrong:
            label = "found with another type" if pairing.type_mismatch else "found"
            lines += [f"  {family} {label}, wrong {'; '.join(pairing.problems)}",
                      f"      system: {_show_system(pairing.system)}", f"      gold:   {_show_gold(pairing.gold)}"]
    lines += [f"  leak: {bad}" for bad in result.leaks]
    return lines


def report_lines(report: Report) -> list[str]:
    """Per-document details, attributes, cross-document figures and the summary line."""
    lines = [line for result in report.documents for line in document_lines(result)]
    lines.append(f"attributes: {json.dumps(report.attributes)}")
    lines.append(f"cross-document: {json.dumps(asdict(report.cross_document))}")
    if report.boilerplate_leaks:
        lines.append(f"boilerplate leaks: {'; '.join(report.boilerplate_leaks)}")
    lines.append(report.summary_line())
    return lines


# ---------------------------------------------------------------- entry points

def evaluate_release(gold_dir: Path, release: Path) -> Report:
    """Score a published release folder against the gold folder."""
    return score(load_gold(gold_dir), read_release(release))


def evaluate_input(gold_dir: Path, input_dir: Path, params: Params, out_dir: Path | None = None,
                   track: Track = no_track) -> Report:
    """Build `input_dir` into `out_dir` (a temporary folder when None) with `params`, then score the release."""
    gold = load_gold(gold_dir)  # a bad gold file fails before the build
    target = (tempfile.TemporaryDirectory(prefix="paradip-evaluate-") if out_dir is None
              else contextlib.nullcontext(out_dir))
    with target as folder:
        release = build(input_dir, Path(folder), params, track=track).release
        return score(gold, read_release(release))
