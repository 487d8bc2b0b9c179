"""Rule tests must use sentences of their own: a test sentence copied from an article of the repository
(seeds, dev, held-out, corpus) tunes the rules on that article and makes its scores dishonest."""
from __future__ import annotations

import ast
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLE_DIRS = ("seeds", "tests/heldout/docs")  # every article of the repository (pipeline/quality/sets.py)
RULE_TESTS = sorted((ROOT / "tests").glob("test_rules*.py"))  # test_rules.py, test_rules_general.py
RUN = 8  # words in a row that may not be shared with an article


def words(text: str) -> list[str]:
    """Lower-case words with accents folded (đ -> d), split on non-word characters."""
    text = text.lower().replace("đ", "d")
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return re.findall(r"\w+", text)


def shingles_of(text: str, n: int = RUN) -> set[tuple[str, ...]]:
    w = words(text)
    return {tuple(w[i:i + n]) for i in range(len(w) - n + 1)}


def articles() -> list[Path]:
    found = sorted({p for d in ARTICLE_DIRS for p in (ROOT / d).glob("**/*.txt")})
    assert found, "no articles found under " + ", ".join(ARTICLE_DIRS)
    return found


@lru_cache(maxsize=1)
def article_shingles() -> dict[tuple[str, ...], Path]:
    """Every 8-word run of every article, with the (first) article it comes from."""
    table: dict[tuple[str, ...], Path] = {}
    for path in articles():
        text = path.read_text(encoding="utf-8", errors="replace")
        for shingle in shingles_of(text):
            table.setdefault(shingle, path)
    return table


def shared_runs(text: str, shingles: dict[tuple[str, ...], Path]) -> list[tuple[str, Path]]:
    """The 8-word runs of `text` found in `shingles`, each with its article."""
    return [(" ".join(s), shingles[s]) for s in sorted(shingles_of(text)) if s in shingles]


def string_literals(source: str) -> list[str]:
    """Every string literal of a module (implicit concatenations already joined by the parser)."""
    out = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            out.append(node.value)
    return out


def test_rule_test_sentences_share_no_eight_word_run_with_an_article():
    table = article_shingles()
    problems = []
    assert len(RULE_TESTS) >= 2, RULE_TESTS
    literals = [lit for path in RULE_TESTS for lit in string_literals(path.read_text(encoding="utf-8"))]
    for literal in literals:
        by_article: dict[Path, list[str]] = {}
        for run, path in shared_runs(literal, table):
            by_article.setdefault(path, []).append(run)
        for path, runs in by_article.items():
            more = f" (+{len(runs) - 1} more runs)" if len(runs) > 1 else ""
            problems.append(f"{literal[:80]!r} shares {runs[0]!r}{more} with {path.relative_to(ROOT)}")
    assert not problems, "rule test sentences copied from articles:\n" + "\n".join(problems)


def test_the_checker_finds_a_copied_run_and_passes_an_invented_sentence():
    table = article_shingles()
    path = next(p for p in articles() if len(words(p.read_text(encoding="utf-8", errors="replace"))) >= 40)
    text = path.read_text(encoding="utf-8", errors="replace")
    spans = list(re.finditer(r"\w+", text))
    copied = text[spans[20].start():spans[29].end()]  # ten words of the article as written
    runs = shared_runs(copied, table)
    assert runs and any(words(run) == words(copied)[:RUN] for run, _ in runs), (copied, runs)
    invented = ("The mayor of an imaginary harbour town praised the pottery fair on the riverbank and promised "
                "seven new ferries to the twin villages upstream.")
    assert shared_runs(invented, table) == []
