"""Bad input: every entry is published or quarantined with its reason, and good articles never change.

The fuzz test runs `paradip build` on the seeds plus more than a thousand
malformed entries of every class (tests/malformed.py) and compares the
release with the seeds-only build; the other tests pin the inventory check,
the near-duplicate rule and the legacy decoders one by one.
"""
from __future__ import annotations

import copy
import difflib
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from bench.corpus import make_corpus
from conftest import GOLD_SETS, ROOT
from malformed import WRAPPINGS, as_html, counts, to_cp1258, write_malformed
from pipeline.runtime import build as build_module
from pipeline.runtime.build import build
from pipeline.extraction.reading import Rejected, decode, ingest_bytes
from pipeline.runtime.inputs import ingest_folder, list_inputs
from pipeline.core.params import Params
from pipeline.resolution.resolver import write_tables
from pipeline.extraction.text import nfc
from pipeline.release.validation import ValidationFailed, validate_tables
from schemas.records import TABLE_MODELS

SEEDS = GOLD_SETS["seeds"].documents()  # the five original articles: small, and each unlike the others
SEED_FOLDER = sorted((ROOT / "seeds").glob("*.txt"))  # every article of seeds/, the input of `dvc repro`
PARADIP = [str(Path(sys.executable).with_name("paradip"))]
FUZZ_MAX_BYTES = 40_000  # above every seed and its wrappings, so "too large" stays its own class
FUZZ_PER_CLASS = 70


def _seed_folder(folder: Path) -> Path:
    folder.mkdir()
    for path in SEEDS:
        shutil.copy(path, folder / path.name)
    return folder


def _params_file(folder: Path, version: str = "0.1.0") -> Path:
    path = folder / "params.yaml"
    path.write_text(f"release:\n  version: {version}\ningest:\n  max_file_bytes: {FUZZ_MAX_BYTES}\n"
                    "  min_main_chars: 200\n", encoding="utf-8")
    return path


def _documents_by_file(release: Path) -> dict[str, dict]:
    return {Path(row["source_path"]).name: {k: v for k, v in row.items() if k != "source_path"}
            for row in pq.read_table(release / "documents.parquet").to_pylist()}


@pytest.fixture(scope="module")
def originals_release(tmp_path_factory, params) -> Path:
    """The release of the five original seeds alone, as the fuzz build publishes them."""
    folder = _seed_folder(tmp_path_factory.mktemp("originals") / "seeds")
    return build(folder, tmp_path_factory.mktemp("originals-out"), params, path_prefix="seeds").release


def test_fuzz_build_publishes_the_seeds_unchanged_and_quarantines_every_bad_entry(tmp_path, originals_release):
    folder = _seed_folder(tmp_path / "fuzz")
    planted = write_malformed(folder, SEEDS, FUZZ_PER_CLASS, FUZZ_MAX_BYTES)
    assert len(planted) >= 1000
    run = subprocess.run([*PARADIP, "build", "--input", str(folder), "--out", str(tmp_path / "out"),
                          "--params", str(_params_file(tmp_path))], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "Traceback" not in run.stdout + run.stderr
    release = tmp_path / "out" / "0.1.0"

    quarantined = {row["file"]: row for row in pq.read_table(release / "quarantine.parquet").to_pylist()}
    expected = {f"{folder.as_posix()}/{p.shown}": p.reason for p in planted}
    wrong = {f: (reason, quarantined.get(f, {}).get("reason")) for f, reason in expected.items()
             if quarantined.get(f, {}).get("reason") != reason}
    assert not wrong, f"{len(wrong)} entries without their expected reason, e.g. {list(wrong.items())[:5]}"
    assert set(quarantined) == set(expected), "a seed was quarantined"
    for row in quarantined.values():
        path = Path(row["file"])
        if row["sha256"] and path.is_file():
            assert row["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest(), row
    # every quarantine row names exactly one entry on disk by its raw name bytes, escaped names included
    on_disk = os.listdir(os.fsencode(folder))
    unmatched = [row["file"] for row in quarantined.values() if on_disk.count(bytes.fromhex(row["file_name_hex"])) != 1]
    assert unmatched == []
    assert any("\\" in row["file"] for row in quarantined.values()), "the fuzz folder should have escaped names"

    assert _documents_by_file(release) == _documents_by_file(originals_release)
    for model in TABLE_MODELS:
        name = model.table.name
        if name in ("documents", "quarantine"):
            continue
        for ext in ("parquet", "jsonl"):
            assert (release / f"{name}.{ext}").read_bytes() == (originals_release / f"{name}.{ext}").read_bytes(), \
                f"{name}.{ext} changed when bad entries sat beside the seeds"
    print(f"\nfuzz build: {len(SEEDS)} seeds + {len(planted)} malformed entries")
    for label, n, reason in counts(planted):
        print(f"  {label:45s} {n:5d}  {reason}")


# ---- inputs = published + quarantined

def _failures(tables, inputs) -> dict[str, str]:
    _, report = validate_tables(tables, inputs)
    return {f["value"]: f["check"] for f in report.failures if f["table"] == "inputs"}


def test_inventory_check_names_missing_extra_and_double_entries(seed_release):
    tables = seed_release.tables
    inputs = list_inputs(ROOT / "seeds", "seeds")
    assert inputs == sorted(row["source_path"] for row in tables["documents"])
    assert _failures(tables, inputs) == {}

    lost = _failures(tables, [*inputs, "seeds/lost.txt"])
    assert list(lost) == ["seeds/lost.txt"] and "neither published" in lost["seeds/lost.txt"]

    dropped = copy.deepcopy(tables)
    gone = dropped["documents"].pop(2)["source_path"]
    assert list(_failures(dropped, inputs)) == [gone]

    ghost = copy.deepcopy(tables)
    ghost["quarantine"].append({"file": "seeds/ghost.txt", "sha256": None, "reason": "empty", "message": "empty"})
    assert "not an entry" in _failures(ghost, inputs)["seeds/ghost.txt"]

    twice = copy.deepcopy(tables)
    twice["quarantine"].append({"file": inputs[0], "sha256": None, "reason": "empty", "message": "empty"})
    assert "2 times" in _failures(twice, inputs)[inputs[0]]


def test_build_that_loses_an_article_fails_and_publishes_nothing(tmp_path, params, monkeypatch):
    real = build_module.scan_folder

    def lossy(*args, **kwargs):  # the build streams the folder's entries: the last one goes missing
        return iter(list(real(*args, **kwargs))[:-1])

    monkeypatch.setattr(build_module, "scan_folder", lossy)
    with pytest.raises(ValidationFailed) as info:
        build(ROOT / "seeds", tmp_path, params, path_prefix="seeds")
    assert SEED_FOLDER[-1].name in str(info.value) and "neither published" in str(info.value)
    assert not any(tmp_path.iterdir()), "something was published"


def test_dvc_validate_stage_checks_the_inventory(seed_release, tmp_path):
    write_tables(seed_release.tables, tmp_path / "resolve")
    inputs = tmp_path / "inputs.json"
    inputs.write_text(json.dumps(list_inputs(ROOT / "seeds", "seeds")), encoding="utf-8")
    stage = [sys.executable, "-m", "pipeline.validate", str(tmp_path / "resolve"), str(tmp_path / "out"), str(inputs)]
    ok = subprocess.run(stage, capture_output=True, text=True, cwd=ROOT)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert f"inputs: {len(SEED_FOLDER)} entries = {len(SEED_FOLDER)} published + 0 quarantined" in ok.stdout

    inputs.write_text(json.dumps([*list_inputs(ROOT / "seeds", "seeds"), "seeds/zz_lost.txt"]), encoding="utf-8")
    bad = subprocess.run(stage, capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 1
    assert "seeds/zz_lost.txt" in bad.stdout and "neither published" in bad.stdout


def test_entry_names_stay_distinct_when_escaped(tmp_path, params):
    """A newline in a name and a literal backslash-n are two entries with two names, and a name
    with a backslash can still be published."""
    folder = _seed_folder(tmp_path / "in")
    (folder / "a\nb.txt").write_text("short", encoding="utf-8")
    (folder / "a\\nb.txt").write_text("short", encoding="utf-8")
    (folder / "z\\article.txt").write_bytes(_change_one_word_file(SEEDS[0]))
    result = build(folder, tmp_path / "out", params, path_prefix="in")
    reasons = {row["file"]: row["reason"] for row in result.tables["quarantine"]}
    assert reasons == {"in/a\\nb.txt": "bad_file_name", "in/a\\\\nb.txt": "no_main_text"}
    assert "in/z\\\\article.txt" in {row["source_path"] for row in result.tables["documents"]}


def test_bad_name_characters_are_one_regex_of_the_unicode_categories():
    """The regexes that screen entry names accept exactly the characters of the categories Cc, Zl, Zp
    and Cs (and, for escaping, the backslash), over all of Unicode."""
    from pipeline.runtime.inputs import _BAD_CHARS, _BAD_OR_BACKSLASH

    for code in range(sys.maxunicode + 1):
        char = chr(code)
        bad = unicodedata.category(char) in ("Cc", "Zl", "Zp", "Cs")
        assert bool(_BAD_CHARS.match(char)) == bad, hex(code)
        assert bool(_BAD_OR_BACKSLASH.match(char)) == (bad or char == "\\"), hex(code)


def test_unexpected_error_on_one_entry_quarantines_only_that_entry(tmp_path, monkeypatch):
    import pipeline.extraction.reading as ingest

    real = ingest.segment
    victim = SEED_FOLDER[1].read_text(encoding="utf-8")

    def segment_with_a_bug(text):
        if text == victim:
            raise KeyError("\x1b[31m boom")
        return real(text)

    monkeypatch.setattr(ingest, "segment", segment_with_a_bug)
    docs, quarantine = ingest_folder(ROOT / "seeds", Params(), "seeds")
    assert [d.document.source_path for d in docs] == [f"seeds/{p.name}" for p in SEED_FOLDER if p != SEED_FOLDER[1]]
    assert [(q.file, q.reason) for q in quarantine] == [(f"seeds/{SEED_FOLDER[1].name}", "ingest_error")]
    assert "KeyError" in quarantine[0].message and "\x1b" not in quarantine[0].message


# ---- near-duplicates: the same article in other wrapping, and nothing else

@pytest.mark.parametrize("wrapping", [*(name for name, _ in WRAPPINGS), "html"])
def test_other_wrapping_of_an_article_is_a_near_duplicate_naming_the_kept_file(tmp_path, wrapping):
    folder = _seed_folder(tmp_path / "in")
    wrap = dict(WRAPPINGS).get(wrapping, lambda t: as_html(t).encode("utf-8"))
    for path in SEEDS:
        (folder / f"zz-{path.stem}.{'html' if wrapping == 'html' else 'txt'}").write_bytes(
            wrap(path.read_text(encoding="utf-8")))
    docs, quarantine = ingest_folder(folder, Params(), "in")
    assert [d.document.source_path for d in docs] == [f"in/{p.name}" for p in SEEDS]
    for path, entry in zip(SEEDS, quarantine):
        assert entry.file.startswith(f"in/zz-{path.stem}")
        assert entry.reason == "near_duplicate", entry
        assert f"same main text as in/{path.name}" in entry.message


def _change_one_word(text: str, kept: list[tuple[int, int]], kind: str) -> str | None:
    """`text` with its last year, or one capitalised word inside a sentence (a name or a place),
    of the main text changed; None when the main text has none."""
    pattern = r"\b(?:19|20)\d\d\b" if kind == "year" else r"(?<=[a-zà-ỹ,] )[A-Z][a-zà-ỹ]{3,}\b"
    for start, end in reversed(kept):
        match = None
        for match in re.finditer(pattern, text[start:end]):
            pass
        if match:
            s, e = start + match.start(), start + match.end()
            new = str(int(match.group()) + 1) if kind == "year" else "Zelvoria"
            return text[:s] + new + text[e:]
    return None


def _change_one_word_file(path: Path) -> bytes:
    doc = ingest_bytes(path.read_bytes(), path.name, Params())
    return _change_one_word(doc.text, doc.kept, "name").encode("utf-8")


@pytest.mark.parametrize("kind", ["year", "name"])
def test_articles_differing_in_one_name_place_or_year_are_not_duplicates(tmp_path, kind):
    folder = _seed_folder(tmp_path / "in")
    variants = 0
    for path in SEEDS:
        doc = ingest_bytes(path.read_bytes(), path.name, Params())
        changed = _change_one_word(doc.text, doc.kept, kind)
        if changed is not None:
            (folder / f"{path.stem}-variant.txt").write_text(changed, encoding="utf-8")
            variants += 1
    assert variants >= 3
    docs, quarantine = ingest_folder(folder, Params(), "in")
    assert quarantine == []
    assert len(docs) == len(SEEDS) + variants


def _changed_spans(text: str, other: str) -> list[tuple[int, int]]:
    """Character spans of `text` that differ in `other`, which has the same lines (make_corpus
    replaces words, never lines)."""
    spans, start = [], 0
    lines, other_lines = text.split("\n"), other.split("\n")
    assert len(lines) == len(other_lines)
    for line, other_line in zip(lines, other_lines):
        if line != other_line:
            opcodes = difflib.SequenceMatcher(None, line, other_line, autojunk=False).get_opcodes()
            spans += [(start + i1, start + i2) for tag, i1, i2, _, _ in opcodes if tag != "equal"]
        start += len(line) + 1
    return spans


def test_make_corpus_variants_are_only_set_aside_when_their_article_text_is_identical(tmp_path):
    """The benchmark corpus: variants of the seeds and dev articles with other names, places and
    years. A variant is set aside only when its bytes equal another's, or when everything it
    changed lies outside the article's main text (page headers, lists of other stories)."""
    templates = _seed_folder(tmp_path / "templates")
    for path in GOLD_SETS["dev"].documents():
        shutil.copy(path, templates / path.name)
    corpus = tmp_path / "corpus"
    make_corpus([templates], corpus, 300, seed=7, copies=0.1)
    docs, quarantine = ingest_folder(corpus, Params(), "")
    kept = {d.document.source_path: d for d in docs}
    assert len(docs) + len(quarantine) == 300
    assert {q.reason for q in quarantine} <= {"duplicate", "near_duplicate"}
    for entry in quarantine:
        original = kept[re.search(r"as (\S+)", entry.message).group(1)]
        raw = (corpus / entry.file).read_bytes()
        if entry.reason == "duplicate":
            assert raw == (corpus / original.document.source_path).read_bytes()
            continue
        changes = _changed_spans(original.text, ingest_bytes(raw, entry.file, Params()).text)
        assert changes, entry
        for i1, i2 in changes:
            assert not any(s < max(i2, i1 + 1) and i1 < e for s, e in original.kept), \
                f"{entry.file} differs from {original.document.source_path} inside the main text: " \
                f"{original.text[i1:i2]!r} at {i1}"
    reasons = [q.reason for q in quarantine]
    print(f"\nbench/corpus.py n=300 seed=7 ({len(list(templates.iterdir()))} templates): {len(docs)} published, {reasons.count('duplicate')} duplicate, "
          f"{reasons.count('near_duplicate')} near_duplicate")


# ---- legacy encodings

def test_vietnamese_in_windows_1258_decodes_to_the_same_text():
    text = SEEDS[-1].read_text(encoding="utf-8")
    decoded, encoding = decode(to_cp1258(text))
    assert encoding == "cp1258"
    assert nfc(decoded) == text
    from_legacy = ingest_bytes(to_cp1258(text), "a.txt", Params())
    from_utf8 = ingest_bytes(text.encode("utf-8"), "a.txt", Params())
    assert from_utf8.document.language == "vi", "the test needs a Vietnamese article"
    assert (from_legacy.text, from_legacy.kept, from_legacy.document.language) == \
        (from_utf8.text, from_utf8.kept, "vi")


def test_windows_1252_curly_quotes_are_not_read_as_another_code_page():
    text = "The mayor’s “sister city” visit – to Zürich and Málaga – was “a success”, she said. " * 4
    decoded, encoding = decode(text.encode("cp1252"))
    assert decoded == text and encoding in ("cp1252", "cp1258")


@pytest.mark.parametrize("codec,bom", [("utf-8", b"\xef\xbb\xbf"), ("utf-16-le", b"\xff\xfe"),
                                       ("utf-16-be", b"\xfe\xff")])
def test_byte_order_marks_are_honoured_and_dropped(codec, bom):
    text = "Hà Nội và Wellington ký thỏa thuận hợp tác – “thành phố kết nghĩa”."
    decoded, _ = decode(bom + text.encode(codec))
    assert decoded == text


@pytest.mark.parametrize("raw,reason", [
    (b"\xef\xbb\xbfvalid start \xc3\x28 then invalid", "undecodable"),
    (b"\xff\xfea\x00\x00\xd8b\x00", "undecodable"),
    (b"\xfe\xff\x00a\x00", "undecodable"),
    (b"plain text with a \x00 inside", "binary"),
    (b"\xef\xbb\xbftext\x00", "binary"),
])
def test_broken_text_is_rejected_with_its_reason(raw, reason):
    with pytest.raises(Rejected) as info:
        decode(raw)
    assert info.value.reason == reason


def test_an_extractor_bug_on_one_article_sets_only_that_article_aside(tmp_path, monkeypatch):
    import pipeline.runtime.engine as engine
    from pipeline.runtime.build import build

    real = engine.extract_document
    victim = SEED_FOLDER[2].read_text(encoding="utf-8")

    def extract_with_a_bug(doc):
        if doc.text == victim.replace("\r\n", "\n") or victim.startswith(doc.text[:200]):
            raise IndexError("boom")
        return real(doc)

    monkeypatch.setattr(engine, "extract_document", extract_with_a_bug)
    result = build(ROOT / "seeds", tmp_path / "out", Params(version="0.0.1"), "seeds", jobs=1)
    quarantine = result.tables["quarantine"]
    assert [(q["file"], q["reason"]) for q in quarantine] == [(f"seeds/{SEED_FOLDER[2].name}", "ingest_error")]
    assert "IndexError while extracting" in quarantine[0]["message"]
    assert len(result.tables["documents"]) == len(SEED_FOLDER) - 1


def test_no_article_cut_short_crashes_the_extractor():
    """Stored pages are often cut mid-sentence: every article of the repository, cut after eight word
    boundaries chosen at random (fixed seed), is extracted or set aside for a reason, never by an extractor
    error (`ingest_error`). This found three index and key errors at the end of a text."""
    import random

    from pipeline.runtime.engine import process_one

    rng = random.Random(13)
    crashes = []
    for path in sorted((ROOT / "seeds").glob("*.txt")) + sorted((ROOT / "tests" / "heldout" / "docs").glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        ends = [m.end() for m in re.finditer(r"\S+", text)]
        for end in rng.sample(ends, min(8, len(ends))):
            outcome = process_one(text[:end].encode("utf-8"), Params())
            if outcome[0] == "rejected" and outcome[1] == "ingest_error":
                crashes.append(f"{path.name} cut at {end}: {outcome[2]}")
    assert crashes == []
