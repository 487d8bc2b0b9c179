"""Reference data loaded into one token index, for every stage that names things.

Reads the CSV files of `pipeline/extraction/reference/` (countries, Vietnamese and
foreign localities, organisations, news outlets, state-body forms, titles,
sectors, name parts) once per process. Lookups are on accent-folded tokens,
so `Hà Nội`, `Ha Noi` and `HA NOI`-free `Hanoi` forms all hit the same entry.
"""
from __future__ import annotations

import csv
import re
import unicodedata
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from pipeline.extraction.text import fold, fold_key, tokens, tone_placed

REFERENCE_DIR = Path(__file__).parent / "reference"
RULES_DIR = Path(__file__).parent / "rules"


@dataclass(frozen=True)
class Entry:
    """One named thing of the reference data."""

    key: str  # stable identity: "country:VN", "vnloc:ha-noi", "loc:guangxi", "org:unesco"
    kind: str  # codebook actor kind, or "outlet" / "region" (news outlets, continents and regions: never actors)
    country: str | None
    name: str  # canonical English name


def read_rows(path: Path) -> list[dict]:
    """The rows of a reference CSV file (UTF-8, one header row); none when the file is missing."""
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _rows(name: str) -> list[dict]:
    return read_rows(REFERENCE_DIR / name)


def split_values(value: str | None) -> list[str]:
    """The items of a multi-valued reference field (`|`-separated), stripped, without empty ones."""
    return [v.strip() for v in (value or "").split("|") if v.strip()]


def surface_key(text: str) -> tuple[str, ...]:
    """Token tuple a surface form is indexed and looked up by (case kept)."""
    return tuple(t.text for t in tokens(fold(text)) if t.text not in {".", "’", "'"})


@lru_cache(maxsize=None)
def rules(name: str) -> dict:
    """A YAML rule file of `pipeline/extraction/rules/` (parsed by libyaml when PyYAML has it: about 10 times quicker,
    the same values)."""
    return yaml.load((RULES_DIR / f"{name}.yaml").read_text(encoding="utf-8"),
                     Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


class Gazetteer:
    """Token-tuple index of every reference name, longest match first."""

    def __init__(self) -> None:
        self.index: dict[tuple[str, ...], Entry] = {}
        self.entries: dict[str, Entry] = {}
        self.accented: dict[tuple[str, ...], set[tuple[str, ...]]] = {}
        self._load()
        lengths: dict[str, set[int]] = {}
        for key in self.index:
            lengths.setdefault(key[0], set()).add(len(key))
        # first token -> the lengths of its names, longest first
        self.lengths: dict[str, tuple[int, ...]] = {first: tuple(sorted(found, reverse=True))
                                                    for first, found in lengths.items()}

    def _add(self, surface: str, entry: Entry, overwrite: bool = False) -> None:
        key = surface_key(surface)
        if not key:
            return
        self.accented.setdefault(key, set()).add(accent_words(surface))
        if key in self.index and not overwrite:
            return
        self.index[key] = entry
        self.entries.setdefault(entry.key, entry)

    def _load(self) -> None:
        # Order matters: the first entry to claim a surface form keeps it.
        for row in _rows("countries.csv"):
            entry = Entry(f"country:{row['iso2']}", "country", row["iso2"], row["name"])
            for form in [row["name"], *split_values(row["names_en"]), *split_values(row["names_vi"]), *split_values(row["demonyms_en"])]:
                self._add(form, entry)
        for row in _rows("vn_localities.csv"):
            entry = Entry(f"vnloc:{row['id']}", "locality", "VN", row["name_en"])
            for form in [row["name_en"], row["name_vi"], *split_values(row["aliases"])]:
                self._add(form, entry)
        for row in _rows("foreign_localities.csv"):
            entry = Entry(f"loc:{row['id']}", "locality", row["country"] or None, row["name"])
            for form in [row["name"], *split_values(row["names_vi"]), *split_values(row["aliases"])]:
                self._add(form, entry)
        for row in _rows("organizations.csv"):
            entry = Entry(f"org:{slug(row['name'])}", row["kind"], row["country"] or None, row["name"])
            for form in [row["name"], *split_values(row["aliases"])]:
                self._add(form, entry)
        for row in _rows("news_outlets.csv"):
            entry = Entry(f"outlet:{slug(row['name'])}", "outlet", row.get("country") or None, row["name"])
            for form in [row["name"], *split_values(row["aliases"])]:
                self._add(form, entry)
        for row in _rows("regions.csv"):
            entry = Entry(f"region:{slug(row['name'])}", "region", None, row["name"])
            for form in [row["name"], *split_values(row["aliases"])]:
                self._add(form, entry)

    def lookup(self, words: tuple[str, ...]) -> Entry | None:
        return self.index.get(words)

    def accents_fit(self, words: tuple[str, ...], original: str) -> bool:
        """An accented surface must carry the accents of a known form (`Bí` is not `Bỉ`);
        an unaccented one fits any form."""
        if original.isascii():
            return True
        return accent_words(original) in self.accented.get(words, set())


def accent_words(text: str) -> tuple[str, ...]:
    """The lower-case words of `text` with their accents, the tone placed one way (`text.tone_placed`)."""
    return tuple(map(tone_placed, re.findall(r"[^\W\d_]+", unicodedata.normalize("NFC", text).lower())))


def slug(text: str) -> str:
    return "-".join(fold_key(text).split()) or "x"


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    return Gazetteer()


@lru_cache(maxsize=1)
def vn_name_parts() -> tuple[frozenset[str], frozenset[str]]:
    """(surnames, all name syllables), accent-folded and capitalised."""
    surnames, syllables = set(), set()
    for row in _rows("vn_name_parts.csv"):
        part = fold(row["part"]).capitalize()
        syllables.add(part)
        if row["role"] == "surname":
            surnames.add(part)
    return frozenset(surnames), frozenset(syllables)


@lru_cache(maxsize=1)
def accented_surnames() -> frozenset[str]:
    """Surnames as written with accents, lower-cased (`nguyễn`, `đỗ`)."""
    return frozenset(unicodedata.normalize("NFC", r["part"]).lower() for r in _rows("vn_name_parts.csv")
                     if r["role"] == "surname")


@lru_cache(maxsize=1)
def titles() -> dict[tuple[str, ...], str]:
    """Folded, lower-cased title token tuples -> title category."""
    out = {}
    for row in _rows("titles.csv"):
        for form in [row["title"], *split_values(row.get("aliases"))]:
            key = tuple(w.lower() for w in surface_key(form))
            if key:
                out[key] = row["category"]
    return out


@lru_cache(maxsize=1)
def vn_bodies() -> list[dict]:
    return _rows("vn_bodies.csv")


@lru_cache(maxsize=1)
def sector_keywords() -> dict[str, list[str]]:
    """Sector -> folded lower-case keywords (both languages)."""
    out: dict[str, list[str]] = {}
    for row in _rows("sectors.csv"):
        out.setdefault(row["sector"], []).append(fold(row["keyword"]).lower())
    return out


@lru_cache(maxsize=1)
def reference_digest() -> str:
    """sha256 over every reference and rule file: part of the extractor version."""
    h = hashlib.sha256()
    for path in sorted([*REFERENCE_DIR.glob("*"), *RULES_DIR.glob("*")]):
        if path.is_file():
            h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()
