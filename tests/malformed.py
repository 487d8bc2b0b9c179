"""Generator of malformed input entries, one class per failure the ingest stage must survive.

`write_malformed(folder, seeds, per_class, max_file_bytes)` writes `per_class`
entries of every class next to whatever `folder` already holds and returns
one `Planted` per entry: its name as the release must show it (escaped by
hand here, not by the code under test) and the quarantine reason it must get.
Copies of articles are derived from `seeds`, whose files must sort before
every generated name so that the seeds are the copies kept. Deterministic for
a given `seed`.

    python tests/malformed.py OUT_DIR [PER_CLASS]   # seeds/ + malformed entries, counts printed
"""
from __future__ import annotations

import codecs
import html
import os
import random
import shutil
import socket
import stat
import sys
import unicodedata
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Planted:
    shown: str  # the entry's name in the release (relative to the input folder)
    label: str  # failure class
    reason: str  # expected quarantine reason code


_TONES = set("\u0300\u0301\u0303\u0309\u0323")


def to_cp1258(text: str) -> bytes:
    """Windows-1258 bytes of Vietnamese text: base letters precomposed, tone marks combining."""
    out = bytearray()
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
            out += (base + "".join(c for c in parts if c in _TONES)).encode("cp1258")
    return bytes(out)


def as_html(text: str) -> str:
    """The article as a web page: one <p> per line, with head, navigation and footer chrome."""
    body = "".join(f"<p>{html.escape(line)}</p>\n" for line in text.split("\n") if line.strip())
    return ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>News | Site</title>"
            "<style>p { margin: 0 }</style><script>var s = '<p>not text</p>';</script></head>"
            "<body><header><a href='/'>Home</a> Menu Search</header><nav><ul><li>World</li><li>Politics</li></ul>"
            f"</nav><article>{body}</article><aside>Most read: another story</aside>"
            "<footer>Copyright 2024. All rights reserved.</footer></body></html>")


#: Wrappings of one article that keep its main text: (name, bytes from the UTF-8 text).
WRAPPINGS = [
    ("crlf", lambda t: t.replace("\n", "\r\n").encode("utf-8")),
    ("utf8-bom", lambda t: codecs.BOM_UTF8 + t.encode("utf-8")),
    ("utf16-le", lambda t: t.encode("utf-16")),
    ("utf16-be", lambda t: codecs.BOM_UTF16_BE + t.encode("utf-16-be")),
    ("cp1258", to_cp1258),
    ("nfd-crlf", lambda t: unicodedata.normalize("NFD", t).replace("\n", "\r\n").encode("utf-8")),
    ("trailing-spaces", lambda t: "\n".join(line + "  \t" for line in t.split("\n")).encode("utf-8")),
    ("blank-lines", lambda t: t.replace("\n", "\n\n").encode("utf-8")),
    ("header-chrome", lambda t: ("Log in\nHome\nMenu\nSearch\n" + t).encode("utf-8")),
    ("footer-chrome", lambda t: (t + "\nRelated news\nAnother story about the city\nYet another story\n")
     .encode("utf-8")),
    ("straight-quotes", lambda t: t.replace("’", "'").replace("“", '"').replace("”", '"').encode("utf-8")),
]

_WORDS = {
    "de": "Stadt Rat Bürger Straße Brücke Fluss Schule Haus Jahr Woche heute gestern morgen groß klein neu alt "
          "schön gut wichtig über unter neben zwischen durch gegen ohne um weil dass wenn aber oder und nicht "
          "ist sind war waren wird wurde haben hat hatte ein eine einer eines dem den der die das".split(),
    "ru": "город совет жители улица мост река школа дом год неделя сегодня вчера завтра большой маленький новый "
          "старый хороший важный над под около между через против без потому что если но или и не есть".split(),
    "id": "kota dewan warga jalan jembatan sungai sekolah rumah tahun minggu hari ini kemarin besok besar kecil "
          "baru lama bagus penting atas bawah dekat antara melalui tanpa karena bahwa jika tetapi atau dan "
          "tidak adalah akan sudah telah yang di ke dari untuk pada".split(),
    "zh": list("城市议会居民街道桥梁河流学校房屋今年本周今天昨天明天新旧重要合作发展经济文化交流代表团访问会议"),
}


def _other_language(rng: random.Random) -> str:
    lang = rng.choice(sorted(_WORDS))
    words = _WORDS[lang]
    sep, stop = ("", "。") if lang == "zh" else (" ", ".")
    sentences = []
    while sum(len(s) for s in sentences) < 400:
        sentence = sep.join(rng.choice(words) for _ in range(rng.randint(6, 14)))
        sentences.append(sentence[:1].upper() + sentence[1:] + stop)
    return "\n\n".join(sep.join(sentences[i:i + 3]) for i in range(0, len(sentences), 3)) + "\n"


def _html_without_text(rng: random.Random) -> str:
    return rng.choice([
        "<html><head><title>Page</title></head><body></body></html>",
        "<html><body><script>document.write('hello world')</script><style>body{}</style></body></html>",
        "<!DOCTYPE html><html><body><nav><a href='/'>Home</a><a href='/news'>News</a></nav>"
        "<footer>Copyright</footer></body></html>",
        "<div><p>   </p><p>\n\t</p><br><br></div>",
        "<html><head><meta charset='utf-8'></head><body><div><aside>Most read</aside><form>"
        "<input name='q'>Search</form></div></body></html>",
    ]) + " " * rng.randint(0, 5)


def _bytes(rng: random.Random, n: int, low: int = 0, high: int = 255) -> bytes:
    return bytes(rng.randint(low, high) for _ in range(n))


@contextmanager
def _cwd(folder: Path):
    before = os.getcwd()
    os.chdir(folder)
    try:
        yield
    finally:
        os.chdir(before)


#: Names with characters no entry name may carry: (raw piece, how the release shows it).
_BAD_NAME_PIECES = [("\n", "\\n"), ("\r", "\\r"), ("\t", "\\t"), ("\x01", "\\u0001"), ("\x1b[31m", "\\u001b[31m"),
                    ("\x7f", "\\u007f"), ("\x85", "\\u0085"), ("\u2028", "\\u2028"), (b"\xff", "\\xff"),
                    (b"\xc3(", "\\xc3(")]


def write_malformed(folder: Path, seeds: list[Path], per_class: int, max_file_bytes: int,
                    seed: int = 4) -> list[Planted]:
    """Plant `per_class` entries of every class in `folder` (device files only where mknod is allowed)."""
    rng = random.Random(seed)
    texts = [p.read_text(encoding="utf-8") for p in seeds]
    outside = folder.parent / f"{folder.name}-outside"
    outside.mkdir(exist_ok=True)
    (outside / "article.txt").write_text(texts[0], encoding="utf-8")
    planted: list[Planted] = []

    def file(name: str, data: bytes, label: str, reason: str) -> None:
        (folder / name).write_bytes(data)
        planted.append(Planted(name, label, reason))

    for i in range(per_class):
        n = f"{i:04d}"
        text = texts[i % len(texts)]
        file(f"empty-{n}.txt", b"", "empty file", "empty")
        blank = "".join(rng.choice([" ", "\t", "\n", "\r\n", "\u00a0", "\u3000", "\f"]) for _ in range(rng.randint(1, 40)))
        file(f"blank-{n}.txt", blank.encode("utf-8"), "whitespace-only file", "empty")
        binary = rng.choice([b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", b"PK\x03\x04\x14\x00\x00\x00", b"%PDF-1.4\n\x00",
                             codecs.BOM_UTF8 + b"text\x00", b"\x1f\x8b\x08\x00"]) + _bytes(rng, rng.randint(0, 3000))
        file(f"binary-{n}.bin", binary, "binary (NUL bytes)", "binary")
        undecodable = rng.choice([_bytes(rng, rng.randint(50, 2000), 0x80, 0xFF),
                                  codecs.BOM_UTF8 + "bài báo".encode("utf-8") + _bytes(rng, 40, 0x80, 0xBF),
                                  codecs.BOM_UTF16_LE + b"a\x00\x00\xd8b\x00",  # lone surrogate
                                  codecs.BOM_UTF16_BE + b"\x00a\x00"])  # odd length
        file(f"undecodable-{n}.txt", undecodable, "undecodable text", "undecodable")
        file(f"html-empty-{n}.html", _html_without_text(rng).encode("utf-8"), "HTML without text", "html_without_text")
        file(f"html-copy-{n}.html", as_html(text).encode("utf-8"), "HTML copy of an article", "near_duplicate")
        big = (text * (max_file_bytes // len(text) + 2)).encode("utf-8")[: max_file_bytes + 1 + rng.randint(0, 30000)]
        file(f"large-{n}.txt", big, "over the size limit", "too_large")
        file(f"copy-{n}.txt", text.encode("utf-8"), "exact duplicate", "duplicate")
        wrap_name, wrap = WRAPPINGS[i % len(WRAPPINGS)]
        file(f"near-{n}-{wrap_name}.txt", wrap(text), "near-duplicate (other wrapping)", "near_duplicate")
        start = rng.randrange(0, len(text) - 150)
        file(f"short-{n}.txt", text[start:start + rng.randint(20, 150)].encode("utf-8"), "no main text",
             "no_main_text")
        file(f"foreign-{n}.txt", _other_language(rng).encode("utf-8"), "other language", "unsupported_language")

        (folder / f"dir-{n}").mkdir()
        if i % 2:
            (folder / f"dir-{n}" / "article.txt").write_text(text, encoding="utf-8")
        planted.append(Planted(f"dir-{n}", "folder", "not_a_regular_file"))
        os.mkfifo(folder / f"fifo-{n}")
        planted.append(Planted(f"fifo-{n}", "FIFO", "not_a_regular_file"))
        with _cwd(folder), socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.bind(f"sock-{n}")  # relative: socket paths are limited to 108 bytes
        planted.append(Planted(f"sock-{n}", "socket", "not_a_regular_file"))
        try:
            os.mknod(folder / f"dev-{n}", stat.S_IFCHR | 0o600, os.makedev(1, 3))
            planted.append(Planted(f"dev-{n}", "character device", "not_a_regular_file"))
        except (PermissionError, OSError):
            pass  # no CAP_MKNOD here: that class is reported with count 0
        inside = rng.choice([f"fifo-{n}", f"dir-{n}", f"sock-{n}"])
        os.symlink(inside, folder / f"link-special-{n}")
        planted.append(Planted(f"link-special-{n}", "symlink to a special entry inside", "not_a_regular_file"))

        target = rng.choice([str(outside / "article.txt"), "../" + outside.name + "/article.txt", "/dev/null",
                             "/nonexistent/article.txt", "..", "/etc", str(outside)])
        os.symlink(target, folder / f"link-out-{n}")
        planted.append(Planted(f"link-out-{n}", "symlink leaving the folder", "symlink_outside_input"))
        os.symlink(f"missing-{n}.txt" if i % 2 else f"loop-{n}", folder / f"link-broken-{n}")
        if not i % 2:
            os.symlink(f"link-broken-{n}", folder / f"loop-{n}")
            planted.append(Planted(f"loop-{n}", "dangling or looping symlink", "unreadable"))
        planted.append(Planted(f"link-broken-{n}", "dangling or looping symlink", "unreadable"))

        raw_piece, shown_piece = _BAD_NAME_PIECES[i % len(_BAD_NAME_PIECES)]
        if isinstance(raw_piece, bytes):
            path = os.fsencode(folder) + b"/bad" + raw_piece + f"name-{n}.txt".encode()
            with open(path, "wb") as fh:
                fh.write(text.encode("utf-8"))
        else:
            (folder / f"bad{raw_piece}name-{n}.txt").write_text(text, encoding="utf-8")
        planted.append(Planted(f"bad{shown_piece}name-{n}.txt", "control character or bad bytes in name",
                               "bad_file_name"))
    return planted


def counts(planted: list[Planted]) -> list[tuple[str, int, str]]:
    """(class, entries, reason) per failure class, in first-planted order."""
    seen = Counter(p.label for p in planted)
    reasons = {p.label: p.reason for p in planted}
    return [(label, seen[label], reasons[label]) for label in dict.fromkeys(p.label for p in planted)]


def main() -> None:
    out = Path(sys.argv[1])
    per_class = int(sys.argv[2]) if len(sys.argv) > 2 else 70
    seeds = sorted((Path(__file__).resolve().parents[1] / "seeds").glob("*.txt"))
    out.mkdir(parents=True)
    for path in seeds:
        shutil.copy(path, out / path.name)
    planted = write_malformed(out, seeds, per_class, max_file_bytes=40_000)
    for label, n, reason in counts(planted):
        print(f"{label:45s} {n:5d}  {reason}")
    print(f"{'total':45s} {len(planted):5d}")


if __name__ == "__main__":
    main()
