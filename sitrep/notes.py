"""One-line ACLED-style event summaries generated from an event's facts.

ACLED coders write ``On 9 May 2020, medical interns protested in Haifa ... [size=no
report]``; sitrep writes the same shape from the fused values only (never from a
quote), so a note cannot say more than the event record supports:
``On 4 July 2021, Taliban took control of Panjwayi district (Kandahar) from Military
Forces of Afghanistan (2014-2021) after clashes. [n_sources=2]``.
"""

from __future__ import annotations

import datetime as dt

from sitrep.model import DateInterval, Event, Place
from sitrep.ontology import TRANSFER
from sitrep.profile import active_profile

__all__ = ["date_phrase", "event_notes", "place_phrase"]

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")

# {a1} actor1, {a2} actor2 (or "unidentified actors"), {p} place phrase
_TEMPLATES: dict[str, str] = {
    "Non-state actor overtakes territory": "{a1} took control of {p}{from_a2}",
    "Government regains territory": "{a1} regained control of {p}{from_a2}",
    "Non-violent transfer of territory": "{a1} took over {p}{from_a2} without fighting",
    "Armed clash": "{a1} clashed with {a2} in {p}",
    "Attack": "{a1} attacked {a2} in {p}",
    "Remote explosive/landmine/IED": "an explosive device attributed to {a1} went off in {p}, "
                                     "targeting {a2}",
    "Shelling/artillery/missile attack": "{a1} shelled or fired missiles at {p}",
    "Air/drone strike": "{a1} carried out an air or drone strike in {p}",
    "Suicide bomb": "a suicide bombing attributed to {a1} took place in {p}",
    "Grenade": "{a1} threw a grenade in {p}",
    "Abduction/forced disappearance": "{a1} abducted {a2} in {p}",
    "Looting/property destruction": "{a1} looted or destroyed property of {a2} in {p}",
    "Arrests": "{a1} arrested {a2} in {p}",
    "Agreement": "{a1} and {a2} reached or negotiated an agreement in {p}",
    "Headquarters or base established": "{a1} established a base in {p}",
    "Change to group/activity": "{a1} changed its posture or activity in {p}",
    "Peaceful protest": "{a1} protested in {p}",
    "Protest with intervention": "{a1} protested in {p} and {a2} intervened",
    "Violent demonstration": "{a1} demonstrated violently in {p}",
    "Mob violence": "{a1} engaged in mob violence in {p}",
}


def date_phrase(d: DateInterval) -> str:
    """'On 4 July 2021', 'Between 2 and 4 July 2021', 'In June 2021'..."""
    if d.precision == "year":
        return f"In {d.start.year}"
    if d.precision == "month" and d.start.month == d.end.month:
        return f"In {_MONTHS[d.start.month - 1]} {d.start.year}"
    if d.start == d.end:
        return f"On {_day(d.start)}"
    if d.precision == "week":
        return f"In the week of {_day(d.start)}"
    if d.start.year != d.end.year:
        return f"Between {_day(d.start)} and {_day(d.end)}"
    if d.start.month != d.end.month:
        return (f"Between {d.start.day} {_MONTHS[d.start.month - 1]} and {_day(d.end)}")
    return f"Between {d.start.day} and {_day(d.end)}"


def _day(x: dt.date) -> str:
    return f"{x.day} {_MONTHS[x.month - 1]} {x.year}"


def place_phrase(p: Place | None) -> str:
    """'Panjwayi district (Kandahar)', 'Badakhshan province', 'Tehran (Iran)'."""
    if p is None:
        return "an unidentified location"
    if p.kind == "country":
        return p.name
    if p.kind == "province":
        return f"{p.name} province"
    name = f"{p.name} district" if p.kind == "district" else p.name
    where = p.country if p.country and p.country != active_profile().focus_country else p.admin1
    if where and (where != p.name or p.kind == "district"):
        return f"{name} ({where})"
    return name


def event_notes(e: Event, *, after_clashes: bool = False) -> str:
    """The summary line of ``e`` (``after_clashes``: a capture that followed fighting)."""
    a1 = e.actor1.name if e.actor1 else "unidentified actors"
    a2 = e.actor2.name if e.actor2 else "unidentified actors"
    template = _TEMPLATES.get(e.sub_event_type)
    if e.sub_event_type == TRANSFER and e.actor1 \
            and e.actor1.inter == 8:  # an external force leaving hands the place over
        template = "{a1} withdrew from {p} and handed it over{to_a2}"
    values = {"a1": a1, "a2": a2, "p": place_phrase(e.place),
              "from_a2": f" from {e.actor2.name}" if e.actor2 else "",
              "to_a2": f" to {e.actor2.name}" if e.actor2 else ""}
    if template is None:
        with_a2 = f" and {a2}" if e.actor2 else ""
        body = f"{e.sub_event_type.lower()} involving {a1}{with_a2} in {values['p']}"
    else:
        body = template.format(**values)
    if after_clashes:
        body += " after clashes"
    parts = [f"{date_phrase(e.date)}, {body}."]
    if e.fatalities:
        span = ""
        if e.fatalities_high and e.fatalities_high != e.fatalities:
            span = f" (reports range {e.fatalities_low or e.fatalities}-{e.fatalities_high})"
        parts.append(f"{e.fatalities} fatalities{span}.")
    if e.status == "claimed":
        parts.append(f"Claimed by {e.claimed_by or a1}; not independently confirmed.")
    elif e.status == "disputed":
        parts.append("Disputed" + (f" (claim by {e.claimed_by})" if e.claimed_by else "") + ".")
    elif e.status == "denied":
        parts.append("Denied.")
    parts.append(f"[n_sources={e.n_sources}]")
    return " ".join(parts)
