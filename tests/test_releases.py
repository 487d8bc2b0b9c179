"""A second release from more articles: its diff, CHANGELOG entry and releases.json entry are right."""
from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from dataclasses import replace

import pyarrow.parquet as pq
import pytest

from conftest import ROOT
from pipeline.runtime.build import build
from pipeline.release.diff import diff_releases
from pipeline.release.releases import update_index
from pipeline.release.semver import bump_kind, bump_suffices, parse

SEEDS = sorted((ROOT / "seeds").glob("*.txt"))


@pytest.fixture(scope="module")
def two_releases(tmp_path_factory, params):
    """0.1.0 from the first three seeds, then 0.2.0 from all of them, in one dataset folder."""
    base = tmp_path_factory.mktemp("two")
    subset = base / "subset"
    subset.mkdir()
    for path in SEEDS[:3]:
        shutil.copy(path, subset / path.name)
    dataset = base / "dataset"
    build(subset, dataset, replace(params, version="0.1.0"), path_prefix="seeds")
    build(ROOT / "seeds", dataset, replace(params, version="0.2.0"), path_prefix="seeds")
    return dataset


def _jsonl(release, table):
    return [json.loads(line) for line in (release / f"{table}.jsonl").read_text(encoding="utf-8").splitlines()]


def _expected_changes(old, new, table, key, children):
    """Added, removed and changed ids, from the JSONL files: a row or one of its child-row sets differs."""
    def state(release):
        rows = {r[key]: r for r in _jsonl(release, table)}
        out = {k: [r] for k, r in rows.items()}
        for child, columns in children:
            for k in rows:
                out[k].append(sorted({tuple(c[col] for col in columns) for c in _jsonl(release, child) if c[key] == k}))
        return out
    a, b = state(old), state(new)
    return (sorted(b.keys() - a.keys()), sorted(a.keys() - b.keys()),
            sorted(k for k in a.keys() & b.keys() if a[k] != b[k]))


CHILDREN = {
    "actors": ("actor_id", [("mentions", ("doc_id",))]),
    "events": ("event_id", [("event_participants", ("actor_id", "role")), ("event_sources", ("doc_id",))]),
    "agreements": ("agreement_id", [("agreement_parties", ("actor_id",)), ("agreement_sources", ("doc_id",))]),
}


@pytest.mark.parametrize("table", list(CHILDREN))
def test_diff_lists_exactly_the_added_removed_and_changed_ids(two_releases, table):
    old, new = two_releases / "0.1.0", two_releases / "0.2.0"
    key, children = CHILDREN[table]
    added, removed, changed = _expected_changes(old, new, table, key, children)
    diff = diff_releases(old, new)["entities"][table]
    assert [c["id"] for c in diff["added"]] == added
    assert [c["id"] for c in diff["removed"]] == removed
    assert [c["id"] for c in diff["changed"]] == changed
    assert added, f"more articles should add {table}"
    new_rows = {r[key]: r for r in _jsonl(new, table)}
    old_rows = {r[key]: r for r in _jsonl(old, table)}
    for change in diff["changed"]:
        for field, values in change["fields"].items():
            if field in new_rows[change["id"]]:
                assert values == {"old": old_rows[change["id"]][field], "new": new_rows[change["id"]][field]}


def test_diff_counts_rows_and_calls_for_a_minor_bump(two_releases):
    diff = diff_releases(two_releases / "0.1.0", two_releases / "0.2.0")
    for table, counts in diff["rows"].items():
        assert counts == {"old": pq.read_metadata(two_releases / "0.1.0" / f"{table}.parquet").num_rows,
                          "new": pq.read_metadata(two_releases / "0.2.0" / f"{table}.parquet").num_rows}
    assert diff["bump"] == {"required": "minor", "actual": "minor"}
    same = diff_releases(two_releases / "0.2.0", two_releases / "0.2.0")
    assert all(not v for e in same["entities"].values() for v in e.values())
    assert same["bump"]["required"] == "patch"


def test_changelog_has_an_entry_per_release_listing_the_diff(two_releases):
    text = (two_releases / "CHANGELOG.md").read_text(encoding="utf-8")
    assert text.index("## 0.2.0") < text.index("## 0.1.0")
    entry = text[text.index("## 0.2.0"):text.index("## 0.1.0")]
    for table, (key, children) in CHILDREN.items():  # expected from the JSON Lines, not from the diff code
        added, removed, changed = _expected_changes(two_releases / "0.1.0", two_releases / "0.2.0", table, key,
                                                    children)
        assert f"### {table}: {len(added)} added, {len(removed)} removed, {len(changed)} changed" in entry
        section = entry.split(f"### {table}:")[1].split("\n### ")[0]
        listed = re.findall(r"^- (added|removed|changed) `([^`]+)`", section, re.M)
        expected = [("added", i) for i in added] + [("removed", i) for i in removed] + [("changed", i) for i in changed]
        assert listed == expected[:50], table  # the entry lists the first 50 changes of each table
    documents = pq.read_metadata(two_releases / "0.2.0" / "documents.parquet").num_rows
    assert f"| documents | {len(SEEDS[:3])} | {documents} |" in entry


def test_releases_json_lists_every_release_with_its_manifest_digest_and_counts(two_releases):
    index = json.loads((two_releases / "releases.json").read_text(encoding="utf-8"))
    assert [r["version"] for r in index["releases"]] == ["0.1.0", "0.2.0"]
    for entry in index["releases"]:
        release = two_releases / entry["version"]
        manifest_bytes = (release / "manifest.json").read_bytes()
        assert entry["manifest_sha256"] == hashlib.sha256(manifest_bytes).hexdigest()
        assert entry["inputs_sha256"] == json.loads(manifest_bytes)["inputs_sha256"]
        for table, rows in entry["counts"].items():
            assert rows == pq.read_metadata(release / f"{table}.parquet").num_rows


def test_index_is_rebuilt_identically_from_the_release_folders(two_releases, tmp_path):
    before = {n: (two_releases / n).read_bytes() for n in ("releases.json", "CHANGELOG.md")}
    copy = tmp_path / "dataset"
    for version in ("0.2.0", "0.1.0"):
        shutil.copytree(two_releases / version, copy / version)
    update_index(copy)
    assert {n: (copy / n).read_bytes() for n in before} == before


def test_cli_diff_prints_the_same_diff_as_json_and_rejects_non_releases(two_releases, tmp_path):
    old, new = two_releases / "0.1.0", two_releases / "0.2.0"
    result = subprocess.run(["paradip", "diff", "--json", str(old), str(new)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == json.loads(json.dumps(diff_releases(old, new)))
    text = subprocess.run(["paradip", "diff", str(old), str(new)], capture_output=True, text=True)
    assert text.returncode == 0 and "## events:" in text.stdout
    bad = subprocess.run(["paradip", "diff", str(tmp_path), str(new)], capture_output=True, text=True)
    assert bad.returncode == 2 and "not a paradip release" in bad.stderr


@pytest.mark.parametrize("old,new,kind", [("0.1.0", "0.1.1", "patch"), ("0.1.9", "0.2.0", "minor"),
                                          ("0.9.9", "1.0.0", "major"), ("1.0.0", "1.0.0", "none"),
                                          ("0.10.0", "0.9.0", "downgrade")])
def test_bump_kind(old, new, kind):
    assert bump_kind(old, new) == kind
    assert bump_suffices(kind, "patch") == (kind not in ("none", "downgrade"))


def test_versions_order_numerically_and_reject_other_forms():
    assert sorted(["0.10.0", "0.9.0", "0.2.0"], key=parse) == ["0.2.0", "0.9.0", "0.10.0"]
    for bad in ("1.0", "v1.0.0", "01.0.0", "1.0.0-rc1"):
        with pytest.raises(ValueError, match="not a semantic version"):
            parse(bad)


def test_index_refuses_a_release_folder_whose_manifest_names_another_version(two_releases, tmp_path):
    shutil.copytree(two_releases / "0.1.0", tmp_path / "0.1.0")
    shutil.copytree(two_releases / "0.1.0", tmp_path / "0.3.0")
    (tmp_path / ".0.4.0.tmp-x").mkdir()  # a staging folder left by a killed build is not a release
    with pytest.raises(ValueError, match=r"0\.3\.0.*manifest.json.*does not match"):
        update_index(tmp_path)


def _with_schema(release, folder, schema_version):
    shutil.copytree(release, folder)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["schema_version"] = schema_version
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return folder


@pytest.mark.parametrize("schema, required", [("1.1.0", "minor"), ("1.0.1", "patch"), ("2.0.0", "major"),
                                              ("0.9.0", "major")])
def test_an_added_column_calls_for_a_minor_bump_a_changed_one_for_a_major(two_releases, tmp_path, schema, required):
    """The same records under schema 1.0.0, then under `schema`: the bump the schema change alone calls for."""
    release = two_releases / "0.2.0"
    old = _with_schema(release, tmp_path / "old", "1.0.0")
    new = _with_schema(release, tmp_path / "new", schema)
    assert diff_releases(old, new)["bump"]["required"] == required
