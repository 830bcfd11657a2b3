"""Situation reports for a region and period: Markdown or one self-contained HTML file.

Sections: key developments (ranked by importance x corroboration), control changes,
casualties and displacement (with sources and disagreements), claims and disputes,
a map (province/district polygons coloured by control at the end of the period,
event markers) and a timeline chart, both rendered server-side with matplotlib, and
a numbered source list that every statement in the report points into.

Claims are always written as attributed statements ("X claims ..."), never as facts.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from sitrep.model import Article, Claim, ControlState, Event  # noqa: E402
from sitrep.profile import active_profile  # noqa: E402
from sitrep.store import EventFilter, Store  # noqa: E402

__all__ = ["Report", "build_report", "render_html", "render_markdown", "write_report"]

#: the map colour of a unit with no reported change
NO_CHANGE_COLOUR = "#eeeeee"
TYPE_COLOURS = {"Battles": "#c0392b", "Explosions/Remote violence": "#8e44ad",
                "Violence against civilians": "#d35400", "Strategic developments": "#27ae60",
                "Protests": "#2980b9", "Riots": "#7f8c8d"}
# Importance weights: a change of hands or a mass-casualty attack outranks a skirmish.
_WEIGHT = {"Non-state actor overtakes territory": 5.0, "Government regains territory": 5.0,
           "Non-violent transfer of territory": 4.0, "Suicide bomb": 4.0, "Armed clash": 3.0,
           "Remote explosive/landmine/IED": 3.0, "Air/drone strike": 3.0, "Attack": 3.0}


@dataclass(slots=True)
class Report:
    region: str | None
    date_from: dt.date | None
    date_to: dt.date | None
    developments: list[Event] = field(default_factory=list)
    control_changes: list[ControlState] = field(default_factory=list)
    casualty_events: list[Event] = field(default_factory=list)
    claims: list[Claim] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    control_end: list[ControlState] = field(default_factory=list)
    sources: list[Article] = field(default_factory=list)  # numbered 1..n in this order
    map_png: bytes = b""
    timeline_png: bytes = b""
    min_confidence: float | None = None  # events below it (calibrated) are left out

    def ref(self, article_ids: Sequence[str]) -> str:
        """'[1, 3]' — the numbered sources behind a statement."""
        index = {a.id: i + 1 for i, a in enumerate(self.sources)}
        nums = sorted({index[a] for a in article_ids if a in index})
        return "[" + ", ".join(map(str, nums)) + "]" if nums else ""

    @property
    def title(self) -> str:
        where = self.region or active_profile().focus_country
        span = f"{_d(self.date_from)} – {_d(self.date_to)}"
        return f"Situation report: {where}, {span}"


def importance(e: Event) -> float:
    """Rank key developments: type weight x corroboration x casualties x certainty."""
    w = _WEIGHT.get(e.sub_event_type, 2.0)
    if e.place and e.place.kind in ("city", "province"):
        w += 1.0
    w *= 1.0 + 0.5 * max(e.n_sources - 1, 0)
    w += min(e.fatalities or 0, 100) / 20
    return w * (0.6 if e.status in ("claimed", "disputed") else 1.0)


def build_report(store: Store, *, region: str | None = None, date_from: dt.date | None = None,
                 date_to: dt.date | None = None, top: int = 12,
                 min_confidence: float | None = None) -> Report:
    """Collect everything the report shows from the store (no rendering).

    ``min_confidence``: leave out events whose calibrated confidence is below it, and
    the control changes that rest only on such events (None: everything).
    """
    events = store.get_events(EventFilter(date_from=date_from, date_to=date_to, admin1=region,
                                          min_confidence=min_confidence))
    if events and date_from is None:
        date_from = min(e.date.start for e in events)
    if events and date_to is None:
        date_to = max(e.date.end for e in events)
    rep = Report(region=region, date_from=date_from, date_to=date_to, events=events,
                 min_confidence=min_confidence)
    rep.developments = sorted(events, key=lambda e: (-importance(e), e.date.start, e.id))[:top]

    def in_region(admin1: str | None) -> bool:
        return region is None or (admin1 or "").casefold() == region.casefold()

    rep.control_changes = [
        s for s in store.get_control(min_confidence=min_confidence)
        if in_region(s.admin1) and (date_from is None or s.date >= date_from)
        and (date_to is None or s.date <= date_to)
    ]
    rep.control_end = [s for s in store.get_control(date_to or dt.date.max,
                                                    min_confidence=min_confidence)
                       if in_region(s.admin1)]
    rep.casualty_events = sorted((e for e in events if e.fatalities),
                                 key=lambda e: (-(e.fatalities or 0), e.date.start))
    article_ids = {a for e in events for a in e.article_ids}
    rep.claims = [
        c for c in store.get_claims()
        if (date_from is None or c.as_of is None or c.as_of >= date_from - dt.timedelta(days=1))
        and (date_to is None or c.as_of is None or c.as_of <= date_to)
        and (region is None or c.article_id in article_ids or region.casefold() in c.quote.text.casefold())
    ]
    cited = ({a for e in rep.developments + rep.casualty_events for a in e.article_ids}
             | {a for s in rep.control_changes for a in (ev.article_id for ev in s.evidence)}
             | {c.article_id for c in rep.claims})
    rep.sources = sorted(store.get_articles(cited),
                         key=lambda a: (a.published or dt.date.max, a.outlet or "", a.id))
    rep.map_png = render_map(rep)
    rep.timeline_png = render_timeline(rep)
    return rep


# ---------------------------------------------------------------- charts


def render_map(rep: Report) -> bytes:
    """Districts coloured by control at the end of the period, events as markers."""
    from sitrep.resolve.places import Gazetteer

    gaz = Gazetteer.default()
    sides = active_profile().sides  # colours and labels of the profile's sides and states
    colours, labels = sides.colours(), sides.labels()
    state_by_district: dict[str, str] = {}
    for s in sorted(rep.control_end, key=lambda s: s.date):
        place = gaz.get(s.unit_id)
        district = s.unit_id if s.unit_level == "district" else (place.admin2_id if place else None)
        if district:
            state_by_district[district] = s.controller
    fig, ax = plt.subplots(figsize=(8, 6), dpi=110)
    levels: tuple[tuple[Literal["district", "province"], float], ...] = (("district", 0.2), ("province", 0.8))
    for level, lw in levels:
        for feat in gaz.units_geojson(level)["features"]:
            held = state_by_district.get(feat["properties"]["unit_id"])
            colour = colours.get(held, NO_CHANGE_COLOUR) if held else NO_CHANGE_COLOUR
            for ring in _rings(feat["geometry"]):
                xs, ys = zip(*ring, strict=False)
                if level == "district":
                    ax.fill(xs, ys, color=colour, linewidth=0)
                ax.plot(xs, ys, color="#555555", linewidth=lw)
    for e in rep.events:
        if e.place and e.place.lat is not None and e.place.lon is not None:
            ax.scatter(e.place.lon, e.place.lat, s=20 + 25 * e.n_sources, alpha=0.8,
                       color=TYPE_COLOURS.get(e.event_type, "#333333"), edgecolors="black", linewidths=0.4)
    legend = [Patch(color=c, label=labels[k]) for k, c in colours.items()]
    legend += [Patch(color=c, label=k) for k, c in TYPE_COLOURS.items()
               if any(e.event_type == k for e in rep.events)]
    ax.legend(handles=legend, loc="lower left", fontsize=7, frameon=True)
    ax.set_title(f"Control as of {_d(rep.date_to)} and events", fontsize=10)
    ax.set_aspect("equal")
    ax.axis("off")
    return _png(fig)


def render_timeline(rep: Report) -> bytes:
    """Events per day, stacked by event type."""
    by_day: dict[dt.date, Counter[str]] = {}
    for e in rep.events:
        by_day.setdefault(e.date.start, Counter())[e.event_type] += 1
    fig, ax = plt.subplots(figsize=(8, 2.8), dpi=110)
    days = sorted(by_day)
    bottom = [0] * len(days)
    for etype, colour in TYPE_COLOURS.items():
        heights = [by_day[d][etype] for d in days]
        if any(heights):
            ax.bar(mdates.date2num(days), heights, bottom=bottom, color=colour, label=etype, width=0.9)
            bottom = [b + h for b, h in zip(bottom, heights, strict=True)]
    ax.xaxis_date()
    ax.set_ylabel("events")
    ax.set_title("Events per day", fontsize=10)
    if days:
        ax.legend(fontsize=7, loc="upper left")
    fig.autofmt_xdate()
    return _png(fig)


def _rings(geometry: dict) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"][0]]
    if geometry["type"] == "MultiPolygon":
        return [poly[0] for poly in geometry["coordinates"]]
    return []


def _png(fig: plt.Figure) -> bytes:
    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()


# ---------------------------------------------------------------- text


def _d(d: dt.date | None) -> str:
    return d.strftime("%-d %B %Y") if d else "…"


def _where(e: Event) -> str:
    if not e.place:
        return "unknown location"
    parts = [e.place.name] + ([e.place.admin1] if e.place.admin1 and e.place.admin1 != e.place.name else [])
    return ", ".join(parts)


def _event_line(rep: Report, e: Event) -> str:
    when = _d(e.date.start) if e.date.start == e.date.end else f"{_d(e.date.start)} – {_d(e.date.end)}"
    status = "" if e.status == "reported" else f" ({e.status}{' by ' + e.claimed_by if e.claimed_by else ''})"
    text = e.notes or f"{e.sub_event_type} in {_where(e)}"
    corroboration = f"{e.n_sources} independent source{'s' if e.n_sources != 1 else ''}"
    return f"**{when}**, {_where(e)} — {e.sub_event_type}{status}. {text} ({corroboration}) {rep.ref(e.article_ids)}"


def _sections(rep: Report) -> list[tuple[str, list[str]]]:
    dev = [_event_line(rep, e) for e in rep.developments] or ["No events in this period."]
    if rep.min_confidence:
        dev.append(f"(Events whose calibrated confidence is below {rep.min_confidence:.2f} "
                   "are left out.)")
    ctl = [
        f"**{_d(s.date)}** — {s.unit_name} ({s.unit_level.replace('_', ' ')}, {s.admin1 or '?'}): "
        f"{s.controller}{'' if s.confirmed else ' (unconfirmed: claim by a party only)'} "
        f"{rep.ref([ev.article_id for ev in s.evidence])}"
        for s in rep.control_changes
    ] or ["No change of control recorded in this period."]
    cas = []
    for e in rep.casualty_events:
        spread = ""
        if e.fatalities_low is not None and e.fatalities_high is not None and e.fatalities_low != e.fatalities_high:
            spread = f"; reports range from {e.fatalities_low} to {e.fatalities_high}"
        cas.append(f"{_d(e.date.start)}, {_where(e)}: at least {e.fatalities} killed "
                   f"(conservative figure{spread}) {rep.ref(e.article_ids)}")
    for c in rep.claims:
        if c.unit and ("displac" in c.unit or "fled" in c.unit) and c.quantity:
            cas.append(f"Displacement: {c.claimant} reports {c.quantity:,.0f} {c.unit.replace('_', ' ')} "
                       f"(as of {_d(c.as_of)}) {rep.ref([c.article_id])}")
    cas = cas or ["No casualty or displacement figures reported in this period."]
    clm = [
        f"{c.claimant} claims: “{c.quote.text.strip()}”"
        f"{' — disputed by ' + ', '.join(c.disputed_by) if c.disputed_by else ''}"
        f" ({_d(c.as_of)}) {rep.ref([c.article_id])}"
        for c in rep.claims
    ] or ["No claims recorded in this period."]
    src = [
        f"{i}. {a.outlet or 'unknown outlet'}{' (' + a.wire + ')' if a.wire else ''}, "
        f"{_d(a.published)}: {a.title or '(untitled)'} {a.url or a.source} — article {a.id}"
        for i, a in enumerate(rep.sources, 1)
    ]
    return [("Key developments", dev), ("Control changes", ctl),
            ("Casualties and displacement", cas), ("Claims and disputes", clm), ("Sources", src)]


def render_markdown(rep: Report, image_dir: Path | None = None, stem: str = "report") -> str:
    """Markdown; images are written beside the file when ``image_dir`` is given, else inlined."""
    def img(name: str, data: bytes) -> str:
        if image_dir is not None:
            (image_dir / f"{stem}_{name}.png").write_bytes(data)
            return f"![{name}]({stem}_{name}.png)"
        return f"![{name}](data:image/png;base64,{base64.b64encode(data).decode()})"

    lines = [f"# {rep.title}", "",
             f"{len(rep.events)} events, {len(rep.control_changes)} control changes, "
             f"{len(rep.claims)} claims from {len(rep.sources)} cited sources.", "",
             img("map", rep.map_png), "", img("timeline", rep.timeline_png), ""]
    for title, items in _sections(rep):
        lines += [f"## {title}", ""]
        lines += items if title == "Sources" else [f"- {i}" for i in items]
        lines.append("")
    return "\n".join(lines)


def render_html(rep: Report) -> str:
    """One self-contained HTML file (images inlined, no external resources)."""
    def md_inline(s: str) -> str:
        s = html.escape(s)
        while "**" in s:
            s = s.replace("**", "<strong>", 1).replace("**", "</strong>", 1)
        return s

    body = [f"<h1>{html.escape(rep.title)}</h1>",
            f"<p>{len(rep.events)} events, {len(rep.control_changes)} control changes, "
            f"{len(rep.claims)} claims from {len(rep.sources)} cited sources.</p>",
            f'<img alt="map" src="data:image/png;base64,{base64.b64encode(rep.map_png).decode()}">',
            f'<img alt="timeline" src="data:image/png;base64,{base64.b64encode(rep.timeline_png).decode()}">']
    for title, items in _sections(rep):
        tag = "ol" if title == "Sources" else "ul"
        if title == "Sources":
            items = [i.split(". ", 1)[1] for i in items]
        anchor = title.lower().replace(" ", "-")
        body.append(f'<h2 id="{anchor}">{html.escape(title)}</h2><{tag}>'
                    + "".join(f"<li>{md_inline(i)}</li>" for i in items) + f"</{tag}>")
    style = ("body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.4}"
             "img{max-width:100%;display:block;margin:1em 0}li{margin:.3em 0}")
    return (f'<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(rep.title)}'
            f"</title><style>{style}</style></head><body>{''.join(body)}</body></html>")


def write_report(rep: Report, out: Path) -> Path:
    """Write ``out`` (.md with PNGs beside it, or a self-contained .html)."""
    if out.suffix.lower() in (".html", ".htm"):
        out.write_text(render_html(rep), encoding="utf-8")
    else:
        out.write_text(render_markdown(rep, image_dir=out.parent, stem=out.stem), encoding="utf-8")
    return out
