"""Per-document extractions -> corpus tables of CONTRACT.md.

One actor per identity key across documents and languages (accent-folded
names, reference ids, structural keys of state bodies), places linked to
ISO 3166 and GeoNames by their key (`pipeline.resolution.places`); one event per real
event across documents (same type, same day, a shared non-country
participant, or the same name); one agreement per (type, parties, status).

Two steps, so resolution streams and scales:
- `pipeline.extraction.docrows.document_rows(document, extraction)` (pure, per
  document, run by the workers and cached) turns one extraction into the
  rows that need no other document (mentions, roles with their actor ids)
  plus the parts that do (actors, events, agreements);
- `Resolver.add` folds those into the corpus state in input order; only
  cross-document state is kept as Python objects (one entry per actor key,
  per event cluster and per agreement cluster; events are matched through a
  (type, day) blocking index, never all pairs), row tables accumulate as
  Arrow record batches. `Resolver.finish` returns Arrow tables, deduplicated
  by primary key (first row wins) and sorted by each table's `sort_by`.

Used by the resolve stage (`pipeline/resolve.py`) and `paradip build`.
"""
from __future__ import annotations

import datetime as dt
import gc
import itertools
import json
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.feather as feather

from pipeline.core.codec import register
from pipeline.extraction.docrows import actor_id, document_rows
from pipeline.core.ids import make_id
from pipeline.extraction.reading import IngestedDocument
from pipeline.core.spill import BatchSpill, SpilledTables, file_batches, write_batches
from pipeline.extraction.text import fold
from pipeline.resolution.places import NO_LINK, PLACE_COLUMNS, link_place
from schemas.derive import arrow_schema
from schemas.records import MODELS_BY_TABLE, QuarantineEntry

#: Release tables by name: Arrow tables from `Resolver.finish`, or lists of row dicts (read back from JSONL).
Tables = dict[str, "pa.Table | list[dict]"]

#: Rows buffered per table before they become one Arrow record batch.
BATCH_ROWS = 16_384
#: Schema metadata of a table whose every row already passed its Pydantic record.
ROW_RULES_CHECKED = {"paradip.row_rules": "checked"}


def _best_name(surfaces, canonical: str | None, kind: str) -> str:
    pool = list(dict.fromkeys(surfaces))
    if kind in ("country", "locality", "international") and canonical:
        return canonical
    if kind == "person":
        return max(pool, key=lambda s: (len(s.split()), sum(not c.isascii() for c in s), len(s), s))
    if canonical and len(canonical) >= max(len(s) for s in pool):
        return canonical
    return max(pool, key=lambda s: (len(s), sum(not c.isascii() for c in s), s))


class _ColumnBuffer:
    """Rows of one table, appended as tuples of `columns` or as whole columns, kept as Arrow record
    batches of about `BATCH_ROWS`; `prior`, when set, is a feather file of the rows that come first."""

    def __init__(self, table: str, columns: tuple[str, ...], with_order: bool = False,
                 spill_dir: Path | None = None):
        self.name = table
        self.prior: Path | None = None
        self.schema = arrow_schema(MODELS_BY_TABLE[table])
        if with_order:
            self.schema = self.schema.append(pa.field("_cluster", pa.int64())).append(pa.field("_seq", pa.int64()))
            columns = (*columns, "_cluster", "_seq")
        if sorted(columns) != sorted(self.schema.names):
            raise ValueError(f"{table}: columns {columns} do not match the schema {self.schema.names}")
        self.columns = columns
        self.values: list[list] = [[] for _ in columns]
        self.batches: list[pa.RecordBatch] = []
        self.spill = BatchSpill(spill_dir / f"{table}.rows", self.schema) if spill_dir else None

    def append(self, row: tuple) -> None:
        for values, value in zip(self.values, row):
            values.append(value)
        if len(self.values[0]) >= BATCH_ROWS:
            self.flush()

    def extend_rows(self, rows: list[tuple]) -> None:
        """Rows as tuples of `columns`."""
        if rows:
            self.extend(tuple(zip(*rows)))

    def extend(self, columns: tuple[list, ...]) -> None:
        for values, column in zip(self.values, columns):
            values.extend(column)
        if len(self.values[0]) >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        if self.values[0]:
            by_name = dict(zip(self.columns, self.values))
            batch = pa.RecordBatch.from_arrays(
                [pa.array(by_name[f.name], type=f.type) for f in self.schema], schema=self.schema)
            self.values = [[] for _ in self.columns]
            if self.spill:
                self.spill.append(batch)
            else:
                self.batches.append(batch)

    def table(self) -> pa.Table:
        self.flush()
        if self.spill:
            table = self.spill.table()
        else:
            table = pa.Table.from_batches(self.batches, schema=self.schema)
            self.batches = []
        if self.prior:
            table = pa.concat_tables([feather.read_table(self.prior, memory_map=False), table])
        return table

    def write_rows(self, path: Path, keep: Path | None, metadata: dict | None = None) -> None:
        """Every row added (the prior file's first) into the Arrow file `path`, with `metadata` as its schema
        metadata when given, and into `keep` (zstd-compressed) when given: a batch at a time, so the table
        is never held (spilled buffers only)."""
        self.flush()
        batches = itertools.chain(file_batches(self.prior) if self.prior else (), self.spill.batches())
        schema = self.schema.with_metadata(metadata) if metadata is not None else self.schema
        # the checkpoint keeps the rows as added, without the release's metadata
        write_batches(batches, {path: (schema, None), **({keep: (self.schema, "zstd")} if keep else {})})


def _sort_key_column(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """The column as the string the release is ordered by (None sorts as "", numbers and dates as text)."""
    if not pa.types.is_string(column.type):
        column = pc.cast(column, pa.string())
    return pc.fill_null(column, "") if column.null_count else column


def repeats_previous(indices: pa.Array, columns: list[pa.ChunkedArray]) -> pa.Array:
    """In `indices` order, whether each row after the first has the same values as the row before
    (one column taken at a time)."""
    same = None
    for column in columns:
        taken = column.take(indices)
        equal = pc.fill_null(pc.equal(taken.slice(1), taken.slice(0, len(taken) - 1)), False)
        same = equal if same is None else pc.and_(same, equal)
        del taken
    return same


def finish_table(table: pa.Table, name: str) -> pa.Table:
    """Deduplicated by primary key (first in generation order wins) and sorted by `sort_by`.

    Generation order is the row order, refined by `_cluster`/`_seq` columns when present (dropped from
    the result); the sort is stable. Memory: the table, its sort keys and one column being copied.
    """
    spec = MODELS_BY_TABLE[name].table
    if set(spec.primary_key) != set(spec.sort_by):
        raise ValueError(f"{name}: primary key and sort columns differ; dedupe by adjacency needs them equal")
    order = [c for c in ("_cluster", "_seq") if c in table.column_names]
    keyed = pa.table({**{f"_k{i}": _sort_key_column(table.column(c)) for i, c in enumerate(spec.sort_by)},
                      **{c: table.column(c) for c in order}})
    indices = pc.sort_indices(keyed, sort_keys=[(c, "ascending") for c in keyed.column_names])
    del keyed
    if table.num_rows > 1:
        repeats = repeats_previous(indices, [table.column(c) for c in spec.primary_key])
        if pc.any(repeats).as_py():
            indices = pc.filter(indices, pa.concat_arrays([pa.array([True]), pc.invert(repeats).combine_chunks()]))
    # column by column, dropping each source column once copied: the table is never held twice
    names = [n for n in table.column_names if n not in order]
    columns = [table.column(n) for n in names]
    schema = pa.schema([table.schema.field(n) for n in names], metadata=table.schema.metadata)
    del table
    out = []
    for i in range(len(columns)):
        out.append(columns[i].take(indices).combine_chunks())
        columns[i] = None
    return pa.Table.from_arrays(out, schema=schema)


class _EventCluster:
    """One event across documents, while documents are added. A cluster that no later report can
    join (no date or no non-country participant) is frozen once its document is added: participants
    as a flat (key, role, ...) tuple, sectors as a tuple, no matching state; strings are shared."""

    __slots__ = ("index", "doc_id", "event_id", "type", "name", "start", "end", "precision", "date_text",
                 "participants", "salient", "sectors", "cameo", "parent", "agreement", "n_sources")

    def __init__(self, index, doc_id, first_start, ev, start, end, precision, intern):
        self.index = index
        self.doc_id = doc_id
        # events of one clause share a source start: type and name keep their ids apart
        self.event_id = make_id("evt", doc_id, first_start, ev["event_type"], ev["name"] or "")
        self.type = intern(ev["event_type"])
        self.name = ev["name"]
        self.start, self.end, self.precision = start, end, precision and intern(precision)
        self.date_text = ev["date"]["text"] if ev["date"] else None
        self.participants: dict[str, str] | tuple = {}
        self.salient: set[str] | None = set()
        self.sectors: set[str] | tuple = set()
        self.cameo = intern(ev["cameo_code"])
        self.parent: _EventCluster | None = None
        self.agreement: str | None = None
        self.n_sources = 0

    def freeze(self) -> None:
        self.participants = tuple(x for item in self.participants.items() for x in item)
        self.sectors = tuple(sorted(self.sectors))
        self.salient = self.doc_id = None

    def participant_roles(self):
        if isinstance(self.participants, dict):
            return self.participants.items()
        return zip(self.participants[::2], self.participants[1::2])


register(_EventCluster)


class _AgreementCluster:
    __slots__ = ("index", "agreement_id", "a", "sectors", "n_sources")

    def __init__(self, index, agreement_id, a):
        self.index = index
        self.agreement_id = agreement_id
        self.a = {k: v for k, v in a.items() if k != "sources"}
        self.sectors: set[str] = set()
        self.n_sources = 0


register(_AgreementCluster)


def _with_surfaces(kept: tuple[str, ...], surfaces) -> tuple[str, ...]:
    """`kept` and the `surfaces` not in it yet. A tuple, not a set: most actors have one or two surfaces,
    and hundreds of thousands of sets would cost a tenth of the fold's memory at archive scale."""
    added = [s for s in surfaces if s not in kept]
    return kept + tuple(dict.fromkeys(added)) if added else kept


def _event_date(ev: dict):
    d = ev["date"]
    if not d or not d["start"]:
        return None, None, None
    start = dt.date.fromisoformat(d["start"])
    end = dt.date.fromisoformat(d["end"]) if d["end"] else None
    return start, end, d["precision"]


def _name_key(name: str | None) -> str | None:
    return re.sub(r"[^a-z0-9]", "", fold(name).lower()) if name else None


def _date(value):
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


class Resolver:
    """Corpus tables from documents added one by one, in input order.

    With `spill_dir`, row batches and finished tables go to files there (see `pipeline.core.spill`), and
    `finish` returns a `SpilledTables` mapping: memory then holds one batch while documents are added
    and one table while tables are finished.

    `state` and `finish(keep=...)` give everything added so far (Python state, and the row tables as
    feather files); `Resolver.resumed` continues from them as if those documents were added again.
    """

    #: Attributes that hold rows as they arrive (kept as files by `finish(keep=...)`, not in `state`).
    BUFFERS = ("documents", "mentions", "roles", "event_sources", "agreement_sources")

    def __init__(self, spill_dir: Path | None = None):
        self.spill_dir = spill_dir
        self.documents = _ColumnBuffer("documents", tuple(MODELS_BY_TABLE["documents"].model_fields),
                                       spill_dir=spill_dir)
        self.mentions = _ColumnBuffer("mentions", ("actor_id", "doc_id", "text", "char_start", "char_end"),
                                      spill_dir=spill_dir)
        self.roles = _ColumnBuffer("actor_roles", ("actor_id", "title", "organization_id", "doc_id", "as_of"),
                                   spill_dir=spill_dir)
        self.event_sources = _ColumnBuffer("event_sources", ("event_id", "doc_id", "sentence", "char_start",
                                                             "char_end"), with_order=True, spill_dir=spill_dir)
        self.agreement_sources = _ColumnBuffer("agreement_sources", ("agreement_id", "doc_id", "sentence",
                                                                     "char_start", "char_end"),
                                               with_order=True, spill_dir=spill_dir)
        self.quarantine: list[dict] = []
        self.rows_valid = True  # every mention and role passed its Pydantic record in `document_rows`
        self.actors: dict[str, list] = {}  # key -> [kind, country, canonical, distinct surfaces as a tuple]
        self.clusters: list[_EventCluster] = []
        self.by_day: dict[tuple, list[_EventCluster]] = {}  # (type, start, non-country participant) -> clusters
        self.strings: dict[str, str] = {}
        self.agreement_clusters: dict[tuple, _AgreementCluster] = {}

    def state(self) -> dict:
        """The cross-document state (picklable); with the files of `finish(keep=...)`, all that was added."""
        return {k: v for k, v in self.__dict__.items() if k not in self.BUFFERS and k != "spill_dir"}

    @classmethod
    def resumed(cls, state: dict, kept: Path, spill_dir: Path | None = None) -> "Resolver":
        """A resolver that has added what `state` and the files in `kept` hold."""
        resolver = cls(spill_dir)
        resolver.__dict__.update(state)
        for attr in cls.BUFFERS:
            buffer = getattr(resolver, attr)
            buffer.prior = kept / f"{buffer.name}.arrow"
        return resolver

    def add_quarantine(self, entry: QuarantineEntry) -> None:
        self.quarantine.append(entry.model_dump())

    def add(self, rows: dict, source_path: str) -> None:
        """One document's `document_rows`, published under `source_path`."""
        document = {**rows["document"], "source_path": source_path}
        doc_id = document["doc_id"]
        self.documents.append(tuple(_date(document[c]) if c == "published" else document[c]
                                    for c in self.documents.columns))
        a_ids, texts, starts, ends = rows["mentions"]
        self.mentions.extend((a_ids, [doc_id] * len(a_ids), texts, starts, ends))
        as_of = dt.date.fromisoformat(rows["as_of"]) if rows["as_of"] else None
        a_ids, titles, org_ids = rows["roles"]
        self.roles.extend((a_ids, titles, org_ids, [doc_id] * len(a_ids), [as_of] * len(a_ids)))
        self.rows_valid = self.rows_valid and rows["rows_valid"]
        intern = self._intern
        for key, kind, country, canonical, surfaces in rows["actors"]:
            merged = self.actors.get(key)
            if merged is None:
                self.actors[intern(key)] = [intern(kind), country and intern(country), canonical,
                                            tuple(dict.fromkeys(surfaces))]
            else:
                merged[3] = _with_surfaces(merged[3], surfaces)
                merged[1] = merged[1] or (country and intern(country))
        clusters = self._add_events(doc_id, rows["events"])
        agreement_ids = self._add_agreements(doc_id, rows["agreements"])
        # links point inside the document; a later report of the same event may redirect them
        for ev, cluster in zip(rows["events"], clusters):
            if ev["parent"] is not None:
                cluster.parent = clusters[ev["parent"]] if 0 <= ev["parent"] < len(clusters) else None
            if ev["agreement"] is not None:
                cluster.agreement = (agreement_ids[ev["agreement"]] if 0 <= ev["agreement"] < len(agreement_ids)
                                     else None)
        for cluster in clusters:
            if cluster.salient is not None and not (cluster.start and cluster.salient):
                cluster.freeze()

    def _intern(self, text: str) -> str:
        return self.strings.setdefault(text, text)

    def _match(self, ev: dict, doc_id: str, start: dt.date, salient: set[str]) -> _EventCluster | None:
        """The earliest cluster of the same type and day, from another document, sharing a non-country
        participant, whose name (if both have one) is the same. Blocking on (type, day, participant)
        means only clusters that share a participant are ever compared."""
        best = None
        for key in salient:
            for cand in self.by_day.get((ev["event_type"], start, key), ()):
                if (best is None or cand.index < best.index) and cand.doc_id != doc_id and (
                        not ev["name"] or not cand.name or _name_key(ev["name"]) == _name_key(cand.name)):
                    best = cand
        return best

    def _add_events(self, doc_id: str, events: list[dict]) -> list[_EventCluster]:
        """The cluster of each of the document's events (a new one, or the event it reports again)."""
        doc_clusters, sources = [], []
        strings = self.strings
        for ev in events:
            start, end, precision = _event_date(ev)
            salient = {strings.setdefault(k, k) for k in ev["participants"] if self._kind(k) != "country"}
            target = self._match(ev, doc_id, start, salient) if start is not None and precision == "day" else None
            if target is None:
                target = _EventCluster(len(self.clusters), doc_id, ev["sources"][0][0], ev, start, end, precision,
                                       self._intern)
                self.clusters.append(target)
            participants = target.participants
            for k, role in ev["participants"].items():
                participants.setdefault(strings.setdefault(k, k), strings.setdefault(role, role))
            if target.start is not None:
                for key in salient - target.salient:
                    self.by_day.setdefault((target.type, target.start, key), []).append(target)
            target.salient |= salient
            target.sectors.update(strings.setdefault(x, x) for x in ev["sectors"])
            target.name = target.name or ev["name"]
            n = target.n_sources
            sources += [(target.event_id, doc_id, sentence, s, e, target.index, n + i)
                        for i, (s, e, sentence) in enumerate(ev["sources"])]
            target.n_sources = n + len(ev["sources"])
            doc_clusters.append(target)
        self.event_sources.extend_rows(sources)
        return doc_clusters

    def _add_agreements(self, doc_id: str, agreements: list[dict]) -> list[str]:
        """The agreement id of each of the document's agreements."""
        doc_agreements = []
        for a in agreements:
            key = (a["agreement_type"], frozenset(a["parties"]), a["status"])
            c = self.agreement_clusters.get(key)
            if c is None:
                c = _AgreementCluster(len(self.agreement_clusters), make_id("agr", doc_id, a["sources"][0][0]), a)
                self.agreement_clusters[key] = c
            self.agreement_sources.extend_rows([(c.agreement_id, doc_id, sentence, s, e, c.index, c.n_sources + i)
                                                for i, (s, e, sentence) in enumerate(a["sources"])])
            c.n_sources += len(a["sources"])
            c.sectors |= set(a["sectors"])
            for col in ("date_signed", "date_effective"):
                c.a[col] = c.a[col] or a[col]
            doc_agreements.append(c.agreement_id)
        return doc_agreements

    def _kind(self, key: str) -> str | None:
        merged = self.actors.get(key)
        return merged[0] if merged else None

    def _actor_rows(self):
        for key, (kind, country, canonical, surfaces) in self.actors.items():
            name = _best_name(sorted(surfaces), canonical, kind)
            aliases = sorted({s for s in [*surfaces, canonical] if s and s != name})
            place = link_place(key, kind, country) if kind in ("locality", "country") else NO_LINK
            yield (actor_id(key), name, aliases, kind, None if kind == "international" else country, *place)

    def _event_rows(self):
        for c in self.clusters:
            parent = c.parent
            location = None
            if c.type == "visit":
                location = next((actor_id(k) for k, _ in c.participant_roles()
                                 if self._kind(k) in ("locality", "country") and self.actors[k][1] != "VN"), None)
            yield (c.event_id, c.type, c.name, c.start, c.end, c.precision if c.start else None, c.date_text,
                   location, parent.event_id if parent and parent is not c else None, c.agreement,
                   sorted(c.sectors), c.cameo)

    def _participant_rows(self):
        for c in self.clusters:
            for k, role in c.participant_roles():
                if c.cameo == "043":
                    role = "host" if self.actors[k][1] == "VN" else "guest"
                elif c.type == "signing" and self._kind(k) != "person":
                    role = "signatory"
                yield c.event_id, actor_id(k), role

    def _agreement_rows(self):
        for c in self.agreement_clusters.values():
            a, signed, effective = c.a, c.a["date_signed"], c.a["date_effective"]
            yield (c.agreement_id, a["name"], a["short_name"], a["agreement_type"], a["status"],
                   dt.date.fromisoformat(signed[0]) if signed else None, signed[1] if signed else None,
                   dt.date.fromisoformat(effective[0]) if effective else None,
                   effective[1] if effective else None, sorted(c.sectors))

    def _party_rows(self):
        for c in self.agreement_clusters.values():
            for k in c.a["parties"]:
                yield c.agreement_id, actor_id(k)

    def finish(self, keep: Path | None = None, sort_rows: bool = True) -> "dict[str, pa.Table] | SpilledTables":
        """Every release table, deduplicated and sorted; the resolver is spent afterwards. With `keep`, the
        rows added (before deduplication and sorting) are also written there, for `Resolver.resumed`.

        Tables made from the cross-document state come first; the state is then dropped. The tables of rows
        added document by document (mentions, sources: the largest) need no state:
        with `sort_rows=False` (spilled only), written out a batch at a time and left unsorted in the spill
        folder (`SpilledTables.unsorted`), for `finish_unsorted` to sort in a process whose memory never held
        the state (`pipeline.runtime.fold_apart`)."""
        buffered = {"documents": self.documents, "mentions": self.mentions, "actor_roles": self.roles,
                    "event_sources": self.event_sources, "agreement_sources": self.agreement_sources}
        generated = {  # table -> (the columns of its row tuples, their generator)
            "actors": (("actor_id", "name", "aliases", "kind", "country", *PLACE_COLUMNS), self._actor_rows),
            "events": (("event_id", "event_type", "name", "date_start", "date_end", "date_precision", "date_text",
                        "location_id", "parent_event_id", "agreement_id", "sectors", "cameo_code"), self._event_rows),
            "event_participants": (("event_id", "actor_id", "role"), self._participant_rows),
            "agreements": (("agreement_id", "name", "short_name", "agreement_type", "status", "date_signed",
                            "date_signed_precision", "date_effective", "date_effective_precision", "sectors"),
                           self._agreement_rows),
            "agreement_parties": (("agreement_id", "actor_id"), self._party_rows),
            "quarantine": (tuple(QuarantineEntry.model_fields), lambda: (tuple(e.values()) for e in self.quarantine)),
        }
        finished = SpilledTables(self.spill_dir) if self.spill_dir else {}
        for name in generated:  # one table at a time: at most one unsorted copy alive
            _store(finished, name, finish_table(_rows_table(name, *generated[name]), name))
        self._drop_state()
        for name, buffer in buffered.items():
            metadata = ROW_RULES_CHECKED if self.rows_valid and name in ("mentions", "actor_roles") else None
            if isinstance(finished, SpilledTables) and not sort_rows:
                buffer.write_rows(self.spill_dir / f"{name}.unsorted.arrow", keep / f"{name}.arrow" if keep else None,
                                  metadata)
                finished.unsorted.append(name)
                continue
            table = _kept(buffer.table(), keep, name)
            if metadata is not None:
                table = table.replace_schema_metadata(metadata)
            _store(finished, name, finish_table(table, name))
        if isinstance(finished, SpilledTables):
            finished.rows = {name: finished.rows[name] for name in MODELS_BY_TABLE if name in finished.rows}
            return finished
        return {name: finished[name] for name in MODELS_BY_TABLE}

    def _drop_state(self) -> None:
        """Frees the cross-document state (once the tables made from it are finished)."""
        self.actors, self.clusters, self.by_day, self.strings, self.agreement_clusters = {}, [], {}, {}, {}
        self.quarantine = []
        gc.collect()  # event clusters point at their parents: cycles the reference counts alone do not free


def _store(finished: "dict[str, pa.Table] | SpilledTables", name: str, table: pa.Table) -> None:
    if isinstance(finished, SpilledTables):
        finished.put(name, table)
    else:
        finished[name] = table


def finish_unsorted(tables: SpilledTables, name: str) -> None:
    """Table `name`, left unsorted by `Resolver.finish(sort_rows=False)`, deduplicated, sorted and in `tables`
    (in the release's table order)."""
    path = tables.folder / f"{name}.unsorted.arrow"
    tables.put(name, finish_table(feather.read_table(path, memory_map=False), name))
    path.unlink()
    tables.unsorted.remove(name)
    tables.rows = {n: tables.rows[n] for n in MODELS_BY_TABLE if n in tables.rows}


def _kept(rows: pa.Table, keep: Path | None, name: str) -> pa.Table:
    """`rows` (buffered rows of table `name`), also written to the `keep` folder when given."""
    if keep:
        feather.write_feather(rows, keep / f"{name}.arrow", compression="zstd")
    return rows


def _rows_table(name: str, columns: tuple[str, ...], generate) -> pa.Table:
    """Table `name` of the rows `generate()` yields (tuples of `columns`), made a batch at a time (no list of
    every row)."""
    buffer = _ColumnBuffer(name, columns)
    rows = generate()
    while batch := list(itertools.islice(rows, BATCH_ROWS)):
        buffer.extend_rows(batch)
    return buffer.table()


def resolve(docs: list[IngestedDocument], extractions: list[dict], quarantine: list[QuarantineEntry]
            ) -> dict[str, pa.Table]:
    """Corpus tables from ingested documents and their extractions (in the same order)."""
    resolver = Resolver()
    for doc, extraction in zip(docs, extractions):
        resolver.add(document_rows(doc.document.model_dump(), extraction), doc.document.source_path)
    for entry in quarantine:
        resolver.add_quarantine(entry)
    return resolver.finish()


def table_rows(table: "pa.Table | list[dict]", batch_rows: int = BATCH_ROWS):
    """Rows of a table as dicts, a batch at a time (memory bounded by the batch, not the table)."""
    if isinstance(table, list):
        yield from table
        return
    for batch in table.to_batches(max_chunksize=batch_rows):
        yield from batch.to_pylist()


def write_tables(tables: Tables, out_dir: Path) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, table in tables.items():
        with (out_dir / f"{name}.jsonl").open("w", encoding="utf-8") as fh:
            for r in table_rows(table):
                fh.write(json.dumps(r, ensure_ascii=False, sort_keys=True, default=str) + "\n")


def read_tables(in_dir: Path) -> Tables:
    tables: Tables = {}
    for model in MODELS_BY_TABLE.values():
        path = in_dir / f"{model.table.name}.jsonl"
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []
        tables[model.table.name] = rows
    return tables
