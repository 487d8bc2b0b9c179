"""HTML pages -> the article's text and the page's metadata, through trafilatura (codebook section 1).

`read_page(html, url)` gives the text a release says it extracted from an HTML page (the title on its
own line, a blank line, then the article body, one paragraph per line), with the page's title,
publication date, site name and canonical URL. trafilatura was chosen by measurement on a public
benchmark of 181 real news pages (README, "HTML and WARC input"). Invariant: the same page gives the
same text on every machine and day (the date search never reads the clock: its upper bound is fixed).
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

#: htmldate otherwise bounds publication dates by today's date: a fixed bound keeps builds reproducible.
_DATE_PARAMS = {"extensive_search": False, "original_date": True, "max_date": "2099-12-31"}
_ISO_DAY = re.compile(r"^((?:19|20)\d\d)-(\d\d)-(\d\d)$")


_TITLE_MIN_WORDS = 3


@dataclass(frozen=True)
class Page:
    text: str
    body_chars: int  # characters of the article body, without the title
    title: str | None
    published: dt.date | None
    site: str | None
    url: str | None


def read_page(html: str, url: str | None = None) -> Page | None:
    """The article of one HTML page, or None when the page holds no article text."""
    import trafilatura  # imported on the first HTML page only: plain-text builds never load lxml

    found = trafilatura.bare_extraction(html, url=url, with_metadata=True, include_comments=False,
                                        include_tables=False, include_images=False, deduplicate=False,
                                        date_extraction_params=_DATE_PARAMS)
    body = _paragraphs(getattr(found, "text", None) or "") if found is not None else ""
    if not body:
        return None
    title = _one_line(getattr(found, "title", None))
    if title and len(title.split()) < _TITLE_MIN_WORDS:
        title = None  # "News", "Home | Site": the page's label, not the article's headline
    text = f"{title}\n\n{body}" if title and not body.startswith(title) else body
    return Page(text=text, body_chars=len(body), title=title, published=_iso_day(getattr(found, "date", None)),
                site=_one_line(getattr(found, "sitename", None)),
                url=_one_line(getattr(found, "url", None)) or url)


def _paragraphs(text: str) -> str:
    lines = (" ".join(line.split()) for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def _one_line(value: str | None) -> str | None:
    value = " ".join((value or "").split())
    return value or None


def _iso_day(value: str | None) -> dt.date | None:
    m = _ISO_DAY.match(value or "")
    if not m:
        return None
    try:
        return dt.date(*map(int, m.groups()))
    except ValueError:
        return None


__all__ = ["Page", "read_page"]
