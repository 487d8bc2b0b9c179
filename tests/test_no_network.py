"""The build opens no network connection.

In process: `socket.socket`, `socket.create_connection` and name lookups
raise during a full build (ingest with every decoder, extract, resolve,
validate, publish), and no attempt may have been made. Out of process:
`paradip build` runs in a fresh network namespace (`unshare -n`) with no
network at all; only that case is skipped where namespaces are not permitted.
"""
from __future__ import annotations

import codecs
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.core.params import load_params

from conftest import ROOT
from malformed import as_html, to_cp1258
from pipeline.runtime.build import build

SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
PARADIP = str(Path(sys.executable).with_name("paradip"))


def _mixed_input(folder: Path) -> Path:
    """The seeds plus one entry for each reader: legacy encoding, UTF-16, HTML, binary."""
    folder.mkdir()
    for path in SEEDS:
        shutil.copy(path, folder / path.name)
    text = SEEDS[-1].read_text(encoding="utf-8")
    (folder / "z-cp1258.txt").write_bytes(to_cp1258(text))
    (folder / "z-utf16.txt").write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    (folder / "z-page.html").write_text(as_html(SEEDS[0].read_text(encoding="utf-8")), encoding="utf-8")
    (folder / "z-binary.bin").write_bytes(b"\x00\x01\x02")
    return folder


def test_full_build_makes_no_network_call(tmp_path, params, monkeypatch):
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access during the build")

    for name in ("socket", "create_connection", "getaddrinfo", "gethostbyname"):
        monkeypatch.setattr(socket, name, refuse)
    with pytest.raises(OSError):
        socket.create_connection(("example.org", 80))
    attempts.clear()

    result = build(_mixed_input(tmp_path / "in"), tmp_path / "out", params)
    assert attempts == []
    assert len(result.tables["documents"]) == len(SEEDS)
    assert {q["reason"] for q in result.tables["quarantine"]} == {"near_duplicate", "binary"}
    assert (result.release / "manifest.json").exists()


def _unshare_prefix() -> list[str] | None:
    if shutil.which("unshare") is None:
        return None
    for prefix in (["unshare", "-n"], ["unshare", "-r", "-n"]):
        if subprocess.run([*prefix, "true"], capture_output=True).returncode == 0:
            return prefix
    return None


def test_cli_build_without_any_network_namespace(tmp_path):
    prefix = _unshare_prefix()
    if prefix is None:
        pytest.skip("`unshare -n` is not permitted on this machine (no network namespaces); "
                    "the socket-patching test above still runs")
    check = subprocess.run([*prefix, sys.executable, "-c",
                            "import socket; socket.create_connection(('1.1.1.1', 53), timeout=2)"],
                           capture_output=True, text=True)
    assert check.returncode != 0, "the namespace has network: the test would prove nothing"
    run = subprocess.run([*prefix, PARADIP, "build", "--input", str(_mixed_input(tmp_path / "in")),
                          "--out", str(tmp_path / "out"), "--params", str(ROOT / "params.yaml")],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "Traceback" not in run.stderr
    version = load_params(ROOT / "params.yaml").version
    assert (tmp_path / "out" / version / "manifest.json").exists()
