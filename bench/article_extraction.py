"""How well paradip's ingest finds the article body of real web pages, on a public benchmark.

    python bench/article_extraction.py --data DIR --out FILE.json

DIR is a copy of scrapinghub's article-extraction-benchmark (https://github.com/scrapinghub/
article-extraction-benchmark, MIT: `html/<id>.html.gz`, `ground-truth.json`, `evaluate.py`); it stays
outside the repository. Every page goes through `ingest_bytes`, as a build reads an HTML file; its main
text without the title line is the page's `articleBody` in FILE.json (the benchmark's format; an empty
body for a page set aside). Prints the benchmark's token-level F1, precision and recall (its own
`evaluate.py`) over every page and over the English ones, the pages set aside with their reasons, and the
ingest throughput.
"""
from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.core.params import Params  # noqa: E402
from pipeline.extraction.reading import IngestedDocument, Rejected, detect_language, ingest_bytes  # noqa: E402


def article_body(doc: IngestedDocument) -> str:
    """The main text without the headline line the ingest keeps in it."""
    lines = [doc.text[s:e] for s, e in doc.kept]
    if lines and doc.document.title and lines[0].strip() == doc.document.title.strip():
        lines = lines[1:]
    return "\n".join(line.strip() for line in lines if line.strip())


def _benchmark_evaluate(data: Path):
    spec = importlib.util.spec_from_file_location("benchmark_evaluate", data / "evaluate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.evaluate


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, required=True, help="the benchmark folder (html/, ground-truth.json)")
    ap.add_argument("--out", type=Path, required=True, help="where to write the article bodies (JSON)")
    args = ap.parse_args(argv)
    truth = json.loads((args.data / "ground-truth.json").read_text(encoding="utf-8"))
    params = Params(max_file_bytes=50_000_000)
    bodies, set_aside = {}, {}
    html_bytes, started = 0, time.perf_counter()
    for page_id in sorted(truth):
        raw = gzip.decompress((args.data / "html" / f"{page_id}.html.gz").read_bytes())
        html_bytes += len(raw)
        try:
            bodies[page_id] = {"articleBody": article_body(ingest_bytes(raw, f"{page_id}.html", params))}
        except Rejected as rejected:
            bodies[page_id] = {"articleBody": ""}
            set_aside[page_id] = f"{rejected.reason}: {rejected.message}"
    seconds = time.perf_counter() - started
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(bodies, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8")

    evaluate = _benchmark_evaluate(args.data)
    english = {k for k, v in truth.items() if detect_language(v.get("articleBody", "")) == "en"}
    for label, keys in (("all pages", sorted(truth)), ("English pages", sorted(english))):
        metrics = evaluate({k: truth[k] for k in keys}, {k: bodies[k] for k in keys}, 0)
        aside = sum(k in set_aside for k in keys)
        print(f"{label:14s} {len(keys):4d}: F1 {metrics['f1']:.3f} | precision {metrics['precision']:.3f} | "
              f"recall {metrics['recall']:.3f} | set aside {aside}")
    print(f"throughput: {len(truth) / seconds:.1f} pages/s, {html_bytes / seconds / 1e6:.2f} MB/s of HTML "
          f"({seconds:.1f} s, one process)")
    for page_id, why in sorted(set_aside.items()):
        print(f"  set aside {page_id[:12]} ({'en' if page_id in english else 'other'}): {why}")


if __name__ == "__main__":
    main()
