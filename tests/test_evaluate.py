"""`paradip evaluate`: each matching rule on small hand-made gold and release rows, every gold item and
system row accounted for on the dev build, and (where the reference scorer is at hand:
`PARADIP_REFERENCE_SCORER=path/to/score.py`) the same figures as the reference scorer."""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml
from typer.testing import CliRunner

from conftest import GOLD_SETS, ROOT
from pipeline.cli import app
from pipeline.quality.evaluate import RELEASE_TABLES, ReleaseView, evaluate_input, evaluate_release, score
from pipeline.quality.gold import GoldError, load_gold, parse_gold_document

#: The codebook's reference scorer is not part of this repository; point this variable at it to compare.
SCORE_PY = os.environ.get("PARADIP_REFERENCE_SCORER")
needs_score_py = pytest.mark.skipif(not SCORE_PY, reason="PARADIP_REFERENCE_SCORER (the reference score.py) not set")


class Release:
    """Rows of a tiny release, written by hand."""

    def __init__(self):
        self.tables = {name: [] for name in RELEASE_TABLES}

    def document(self, file: str, language: str = "en", title: str | None = None) -> str:
        doc_id = f"doc_{file}"
        self.tables["documents"].append({"doc_id": doc_id, "source_path": f"input/{file}", "language": language,
                                         "title": title, "published": None, "published_precision": None})
        return doc_id

    def actor(self, actor_id: str, name: str, kind: str, *mentions: tuple[str, str], aliases=(), country=None):
        self.tables["actors"].append({"actor_id": actor_id, "name": name, "aliases": list(aliases), "kind": kind,
                                      "country": country})
        for doc_id, text in mentions:
            self.tables["mentions"].append({"doc_id": doc_id, "actor_id": actor_id, "text": text})

    def event(self, event_id: str, event_type: str, doc_id: str, participants: list[str],
              start: dt.date | None = None, end: dt.date | None = None, precision: str | None = "day"):
        self.tables["events"].append({"event_id": event_id, "event_type": event_type, "date_start": start,
                                      "date_end": end, "date_precision": precision if start else None})
        self.tables["event_participants"] += [{"event_id": event_id, "actor_id": a} for a in participants]
        self.tables["event_sources"].append({"event_id": event_id, "doc_id": doc_id,
                                             "sentence": f"sentence of {event_id}"})

    def agreement(self, agreement_id: str, agreement_type: str, status: str, doc_id: str, parties: list[str],
                  signed: dt.date | None = None, precision: str | None = None):
        self.tables["agreements"].append({"agreement_id": agreement_id, "agreement_type": agreement_type,
                                          "status": status, "date_signed": signed,
                                          "date_signed_precision": precision, "date_effective": None,
                                          "date_effective_precision": None})
        self.tables["agreement_parties"] += [{"agreement_id": agreement_id, "actor_id": a} for a in parties]
        self.tables["agreement_sources"].append({"agreement_id": agreement_id, "doc_id": doc_id,
                                                 "sentence": f"sentence of {agreement_id}"})

    def view(self) -> ReleaseView:
        return ReleaseView.from_tables(self.tables)

    def write(self, folder):
        folder.mkdir(parents=True)
        for name, rows in self.tables.items():
            pq.write_table(pa.Table.from_pylist(rows), folder / f"{name}.parquet")
        return folder


def gold(file: str, actors: list[dict], events=(), agreements=(), must_not_extract=()) -> dict:
    return {"doc": file, "language": "en", "title": None, "published": None, "actors": actors,
            "events": list(events), "agreements": list(agreements), "must_not_extract": list(must_not_extract)}


def actor(gid: str, kind: str, *names: str) -> dict:
    return {"id": gid, "kind": kind, "country": None, "names": list(names)}


def scored(release: Release, *gold_docs: dict):
    return score([parse_gold_document(g, f"gold[{i}]") for i, g in enumerate(gold_docs)], release.view())


# A hand-made article pair about a city and its foreign partner.
CITY = actor("city", "locality", "Hà Nội", "Hanoi")
PARTNER = actor("partner", "locality", "Wellington")
HOME = actor("home", "country", "Vietnam")


def two_city_release() -> tuple[Release, str]:
    release = Release()
    doc = release.document("a.txt")
    release.actor("act_city", "Thành phố Hà Nội", "locality", (doc, "thủ đô"), aliases=["Ha Noi"])
    release.actor("act_partner", "Wellington", "locality", (doc, "Wellington"))
    return release, doc


def test_actor_found_by_alias_is_matched_and_unknown_ones_are_spurious_or_missed():
    release, doc = two_city_release()
    release.actor("act_noise", "Ban Thường", "person", (doc, "Ban Thường"))
    report = scored(release, gold("a.txt", [CITY, PARTNER, actor("mayor", "person", "Tory Whanau")]))
    result = report.documents[0]
    assert (report.actors.tp, report.actors.system, report.actors.gold) == (2, 3, 3)
    assert [a.name for a in result.spurious_actors] == ["Ban Thường"]
    assert [a.id for a in result.missed_actors] == ["mayor"]
    assert report.attributes["actor.kind"] == 1.0


def test_an_actor_named_only_in_another_documents_gold_still_aligns_there():
    release, doc = two_city_release()
    other = release.document("b.txt")
    release.actor("act_city_b", "Hanoi capital", "locality", (other, "Hanoi capital"), aliases=["Hanoi"])
    report = scored(release, gold("a.txt", [CITY, PARTNER]), gold("b.txt", [actor("city", "locality", "HN")]))
    assert report.documents[1].actors.tp == 1  # "Hanoi" is a gold name of `city` in a.txt only
    assert report.cross_document.pairs == 1 and report.cross_document.resolved == 0  # two system actors


def test_event_with_another_type_counts_only_under_any_type_and_is_shown_as_a_type_mismatch():
    release, doc = two_city_release()
    release.event("evt_1", "meeting", doc, ["act_city", "act_partner"], dt.date(2023, 10, 7))
    visit = {"type": "visit", "date": ["2023-10-06", "2023-10-15"], "participants": ["city", "partner"],
             "evidence": "visited Wellington"}
    report = scored(release, gold("a.txt", [CITY, PARTNER], events=[visit]))
    events = report.documents[0].events
    assert report.events.tp == 0 and report.events_any_type.tp == 1
    assert events.missed == [] and events.spurious == []
    [pairing] = events.wrong
    assert pairing.type_mismatch and pairing.problems == ("type: system meeting, gold visit",)
    assert pairing.system.sentences == ("sentence of evt_1",) and pairing.gold.evidence == "visited Wellington"
    assert report.attributes["event.type"] == 0.0 and report.attributes["event.date"] == 1.0


@pytest.mark.parametrize("start, precision, matches", [
    (dt.date(2023, 11, 2), "day", False),   # no overlap with 6 October
    (dt.date(2023, 10, 1), "month", True),  # October 2023 covers 6 October
    (dt.date(2023, 1, 1), "year", True),
    (None, None, True),                     # no system date: dates are not compared
])
def test_event_dates_must_overlap_the_gold_date(start, precision, matches):
    release, doc = two_city_release()
    release.event("evt_1", "meeting", doc, ["act_city", "act_partner"], start, precision=precision)
    meeting = {"type": "meeting", "date": "2023-10-06", "participants": ["city", "partner"], "evidence": "met"}
    report = scored(release, gold("a.txt", [CITY, PARTNER], events=[meeting]))
    events = report.documents[0].events
    assert report.events.tp == report.events_any_type.tp == int(matches)
    assert len(events.missed) == len(events.spurious) == int(not matches)
    if not matches:
        assert events.spurious[0].date == "2023-11-02" and events.missed[0].date == "2023-10-06"
    if start is None:
        assert [p.problems for p in events.wrong] == [("date: system no date, gold 2023-10-06",)]


def test_sharing_only_a_country_does_not_match_an_event_with_other_participants():
    release, doc = two_city_release()
    release.actor("act_home", "Vietnam", "country", (doc, "Vietnam"))
    release.event("evt_1", "meeting", doc, ["act_home"])
    meeting = {"type": "meeting", "participants": ["home", "partner"], "evidence": "met"}
    report = scored(release, gold("a.txt", [CITY, PARTNER, HOME], events=[meeting]))
    assert report.events_any_type.tp == 0
    assert [s.participants for s in report.documents[0].events.spurious] == [("Vietnam",)]


def test_agreement_matches_by_party_and_type_and_reports_a_wrong_status_and_date():
    release, doc = two_city_release()
    release.agreement("agr_1", "mou", "proposed", doc, ["act_city", "act_partner"], dt.date(2015, 1, 1), "year")
    release.agreement("agr_2", "sister_city", "in_force", doc, ["act_partner"])
    mou = {"type": "mou", "status": "signed", "date_signed": "2016", "parties": ["city", "partner"],
           "evidence": "signed an MoU"}
    report = scored(release, gold("a.txt", [CITY, PARTNER], agreements=[mou]))
    agreements = report.documents[0].agreements
    assert (report.agreements.tp, report.agreements.system, report.agreements.gold) == (1, 2, 1)
    assert [s.id for s in agreements.spurious] == ["agr_2"]
    [pairing] = agreements.wrong
    assert not pairing.type_mismatch
    assert pairing.problems == ("status: system proposed, gold signed",
                                "date_signed: system 2015-01-01..2015-12-31, gold 2016-01-01..2016-12-31")
    assert report.attributes["agreement.status"] == 0.0 and report.attributes["agreement.date"] == 0.0


def test_a_must_not_extract_name_among_system_actors_is_a_leak():
    release, doc = two_city_release()
    release.actor("act_outlet", "Hanoi Times", "organization", (doc, "Hanoi Times"))
    report = scored(release, gold("a.txt", [CITY, PARTNER], must_not_extract=["The Hanoi Times", "Sea Games"]))
    assert report.boilerplate_leaks == ["a.txt: The Hanoi Times"]
    assert report.documents[0].leaks == ["The Hanoi Times"]
    assert "| leaks 1 |" in report.summary_line()


def test_one_system_actor_for_two_gold_people_is_a_false_merge():
    release = Release()
    first, second = release.document("a.txt"), release.document("b.txt")
    release.actor("act_nguyen", "Nguyen Van An", "person", (first, "Nguyen Van An"), (second, "Nguyen Van Anh"),
                  aliases=["Nguyen Van Anh"])
    release.actor("act_city", "Hanoi", "locality", (first, "Hanoi"), (second, "Hanoi"))
    report = scored(release, gold("a.txt", [CITY, actor("an", "person", "Nguyen Van An")]),
                    gold("b.txt", [CITY, actor("anh", "person", "Nguyen Van Anh")]))
    assert report.actors.tp == 4
    assert report.cross_document.false_merges == 1
    assert (report.cross_document.pairs, report.cross_document.resolved) == (1, 1)  # Hanoi in both documents


def test_a_gold_document_missing_from_the_release_counts_all_its_items_as_missed():
    release, _ = two_city_release()
    meeting = {"type": "meeting", "participants": ["partner"], "evidence": "met"}
    report = scored(release, gold("a.txt", [CITY, PARTNER]), gold("z.txt", [PARTNER], events=[meeting]))
    missing = report.documents[1]
    assert not missing.in_release and [e.evidence for e in missing.events.missed] == ["met"]
    assert (report.actors.gold, report.events.gold, report.events.recall) == (3, 1, 0.0)


@pytest.mark.parametrize("change, reason", [
    (lambda g: g["events"].append({"type": "meeting", "participants": ["ghost"]}), "ghost not among the file's actors"),
    (lambda g: g["events"].append({"type": "meting", "participants": ["city"]}), "'meting' is not one of"),
    (lambda g: g["events"].append({"type": "visit", "date": "2023-13-40", "participants": ["city"]}),
     "is not a date"),
    (lambda g: g.pop("actors"), "'actors' is missing"),
    (lambda g: g["actors"].append(CITY), "declared twice"),
])
def test_a_malformed_gold_file_is_named_with_the_reason(tmp_path, change, reason):
    document = gold("a.txt", [CITY, PARTNER])
    change(document)
    (tmp_path / "a.yaml").write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    with pytest.raises(GoldError, match=reason) as error:
        load_gold(tmp_path)
    assert str(tmp_path / "a.yaml") in str(error.value)


def test_cli_scores_a_release_and_exits_0_or_2_on_usage_errors(tmp_path):
    release, doc = two_city_release()
    release.event("evt_1", "meeting", doc, ["act_city", "act_partner"])
    folder = release.write(tmp_path / "release")
    gold_dir = tmp_path / "gold"
    gold_dir.mkdir()
    meeting = {"type": "visit", "participants": ["city", "partner"], "evidence": "visited"}
    (gold_dir / "a.yaml").write_text(yaml.safe_dump(gold("a.txt", [CITY, PARTNER], events=[meeting])))

    def evaluate(*args):
        return CliRunner().invoke(app, ["evaluate", "--gold", str(gold_dir), *args])

    details = evaluate("--dataset", str(folder))
    assert details.exit_code == 0, details.output
    assert "event found with another type, wrong type: system meeting, gold visit" in details.stdout
    assert details.stdout.splitlines()[-1] == evaluate_release(gold_dir, folder).summary_line()
    as_json = json.loads(evaluate("--dataset", str(folder), "--json").stdout)
    assert as_json["events_any_type"]["tp"] == 1 and as_json["documents"][0]["file"] == "a.txt"
    quiet = evaluate("--dataset", str(folder), "--quiet")
    assert quiet.stdout.splitlines() == [details.stdout.splitlines()[-1]]
    assert evaluate("--dataset", str(folder), "--doc", "nothing-like-this").exit_code == 2
    assert evaluate("--dataset", str(folder), "--input", str(tmp_path)).exit_code == 2
    assert evaluate("--dataset", str(gold_dir)).exit_code == 2  # not a release


# ---------------------------------------------------------------- same figures as score.py

def _score_py(gold_dir, release, tmp_path) -> tuple[dict, str]:
    out = tmp_path / "score.json"
    run = subprocess.run([sys.executable, str(SCORE_PY), "--gold", str(gold_dir), "--dataset", str(release),
                          "--json", str(out), "--quiet"], check=True, capture_output=True, text=True)
    return json.loads(out.read_text()), run.stdout.strip()


def _assert_same_figures(ours: dict, theirs: dict) -> None:
    for key in theirs.keys() - {"documents"}:
        assert ours[key] == theirs[key], key
    per_document = {d["file"]: d for d in ours["documents"]}
    for file, expected in theirs["documents"].items():
        got = per_document[file]
        assert got["actors"] == expected["actors"], file
        assert got["events"]["scores"] == expected["events"] and got["agreements"]["scores"] == expected["agreements"]
        assert sorted(a["id"] for a in got["missed_actors"]) == expected["missed_actors"], file
        assert sorted(a["name"] for a in got["spurious_actors"]) == sorted(expected["spurious_actors"]), file


@needs_score_py
def test_seed_figures_and_summary_line_equal_score_py(seed_release, tmp_path):
    gold = GOLD_SETS["seeds"].gold
    theirs, their_line = _score_py(gold, seed_release.release, tmp_path)
    _assert_same_figures(evaluate_release(gold, seed_release.release).to_dict(), theirs)
    cli = CliRunner().invoke(app, ["evaluate", "--quiet", "--gold", str(gold), "--dataset", str(seed_release.release)])
    assert cli.exit_code == 0 and cli.stdout.strip() == their_line


@pytest.fixture(scope="module")
def dev_report(params, tmp_path_factory):
    gold, docs = GOLD_SETS["dev"].gold, GOLD_SETS["dev"].copy_documents(tmp_path_factory.mktemp("dev-input"))
    out = tmp_path_factory.mktemp("dev")
    return evaluate_input(gold, docs, params, out_dir=out), out / params.version


@needs_score_py
def test_dev_figures_equal_score_py(dev_report, tmp_path):
    report, release = dev_report
    theirs, _ = _score_py(GOLD_SETS["dev"].gold, release, tmp_path)
    _assert_same_figures(report.to_dict(), theirs)


def test_dev_build_accounts_for_every_gold_item_and_system_row(dev_report):
    report, _ = dev_report
    assert len(report.documents) == len(list(GOLD_SETS["dev"].gold.glob("*.yaml")))
    for document in report.documents:  # every gold item and system row is accounted for exactly once
        for result in (document.events, document.agreements):
            found = result.scores.tp + sum(p.type_mismatch for p in result.wrong)
            assert found + len(result.missed) == result.scores.gold, document.file
            assert found + len(result.spurious) == result.scores.system, document.file


def test_the_readme_gold_example_is_a_valid_gold_file():
    section = (ROOT / "README.md").read_text(encoding="utf-8").split("## Measuring the extractor")[1]
    example = section.split("```yaml\n")[1].split("```")[0]
    document = parse_gold_document(yaml.safe_load(example), "README")
    assert [e.participants for e in document.events] == [frozenset({"hanoi", "wellington"})]
