"""Synthetic corpora for the benchmark and the scale tests: variants of real template articles.

    python bench/corpus.py --templates seeds --out /tmp/corpus --n 10000 [--seed 7] [--copies 0.1]

Each article is one template with its Vietnamese personal names, its foreign localities (those of
the project's reference data) and its years replaced by others drawn with a seeded generator, so a
corpus keeps the templates' length, structure, languages and page noise while its articles differ.
`--copies` makes that share of the articles byte-identical copies of an earlier one, as syndicated
news repeats a story (the build sets them aside as `duplicate`). `--distinct` draws again any variant
whose main text (by the pipeline's own `main_text_key`) an earlier article has, so no article is set aside
as a copy or near copy and every one is extracted. Same arguments, same bytes.
"""
from __future__ import annotations

import argparse
import csv
import random
import re
import sys
import unicodedata
from pathlib import Path

REFERENCE = Path(__file__).resolve().parents[1] / "pipeline" / "extraction" / "reference"
YEAR = re.compile(r"\b(?:19[89]\d|20[0-3]\d)\b")


def unaccented(text: str) -> str:
    """Vietnamese without diacritics, as English articles write names."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(c for c in text if not unicodedata.combining(c)))


def _name_parts() -> dict[str, list[str]]:
    parts: dict[str, list[str]] = {}
    with (REFERENCE / "vn_name_parts.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            parts.setdefault(row["role"], []).append(row["part"])
    return parts


def _foreign_localities() -> list[tuple[str, str]]:
    """(English name, Vietnamese name or '') of every foreign locality of the reference data."""
    with (REFERENCE / "foreign_localities.csv").open(encoding="utf-8") as fh:
        return [(row["name"], row["names_vi"].split("|")[0]) for row in csv.DictReader(fh)]


class Variants:
    """Makes variants of template texts; one instance per corpus, so the draws follow its seed."""

    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        parts = _name_parts()
        self.surnames = sorted(parts.get("surname", []))
        self.given = sorted({*parts.get("middle", []), *parts.get("given", [])})
        self.localities = _foreign_localities()
        names = sorted({n for pair in self.localities for n in pair if len(n) > 3}, key=len, reverse=True)
        self.locality_pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, names)) + r")\b")
        surnames = "|".join(map(re.escape, sorted({*self.surnames, *map(unaccented, self.surnames)})))
        self.person_pattern = re.compile(rf"\b(?:{surnames})(?: [A-ZĐ][\w]+){{1,2}}\b")

    def person(self, accented: bool) -> str:
        name = " ".join([self.rng.choice(self.surnames), *self.rng.sample(self.given, 2)])
        return name if accented else unaccented(name)

    def locality(self, vietnamese: bool) -> str:
        english, in_vietnamese = self.rng.choice(self.localities)
        return in_vietnamese if vietnamese and in_vietnamese else english

    def of(self, text: str) -> str:
        """One variant: the same person or place is replaced by the same new one throughout."""
        people: dict[str, str] = {}
        places: dict[str, str] = {}
        text = self.person_pattern.sub(lambda m: people.setdefault(m.group(0), self.person(not m.group(0).isascii())), text)
        text = self.locality_pattern.sub(
            lambda m: places.setdefault(m.group(0), self.locality(not m.group(0).isascii())), text)
        shift = self.rng.randint(-8, 2)
        return YEAR.sub(lambda m: str(int(m.group(0)) + shift), text)


class _MainTexts:
    """The main-text keys seen so far (the build's near-duplicate test), for `--distinct`."""

    def __init__(self):
        sys.path.insert(0, str(REFERENCE.parents[2]))
        from pipeline.core.params import load_params
        from pipeline.extraction.reading import Rejected, ingest_article
        self.params, self.ingest, self.seen = load_params(REFERENCE.parents[2] / "params.yaml"), ingest_article, set()
        self.rejected = Rejected

    def new(self, text: str) -> bool:
        """Whether `text`'s main text is new (and remember it); a variant the build would reject is not."""
        try:
            key = self.ingest(text.encode("utf-8"), "<corpus>", self.params)[1]
        except self.rejected:
            return False
        if key in self.seen:
            return False
        self.seen.add(key)
        return True


def make_corpus(templates: list[Path], out: Path, n: int, seed: int = 7, copies: float = 0.0,
                distinct: bool = False) -> int:
    """Write `n` articles `0000.txt`... into `out`; returns the bytes written."""
    texts = [p.read_text(encoding="utf-8") for folder in templates for p in sorted(folder.glob("*.txt"))]
    if not texts:
        raise SystemExit(f"no .txt articles in {', '.join(map(str, templates))}")
    variants = Variants(seed)
    main_texts = _MainTexts() if distinct else None
    out.mkdir(parents=True, exist_ok=True)
    width, total, written = len(str(max(n - 1, 1))), 0, []
    for i in range(n):
        if written and variants.rng.random() < copies:
            text = variants.rng.choice(written)
        else:
            for _ in range(100):
                text = variants.of(variants.rng.choice(texts))
                if main_texts is None or main_texts.new(text):
                    break
            else:
                raise SystemExit(f"no new main text in 100 draws at article {i}: too few templates for --distinct")
            written.append(text)
        data = text.encode("utf-8")
        (out / f"{i:0{width}d}.txt").write_bytes(data)
        total += len(data)
    return total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--templates", type=Path, nargs="+", required=True, help="folders of .txt articles")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--copies", type=float, default=0.0, help="share of byte-identical copies (0 to 1)")
    ap.add_argument("--distinct", action="store_true", help="no two articles with the same main text")
    args = ap.parse_args()
    total = make_corpus(args.templates, args.out, args.n, args.seed, args.copies, args.distinct)
    print(f"{args.n} articles, {total / 1e6:.1f} MB in {args.out}")


if __name__ == "__main__":
    main()
