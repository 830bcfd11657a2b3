"""Scoring of the other outputs: control timeline, claims, boilerplate, publication dates.

- **control**: each gold event with a ``control_change`` expects a state (unit,
  controller, date). A predicted ControlState satisfies it when the unit agrees (name
  key, or the place id the gazetteer gives the gold unit name) at a compatible level
  and, when both name one, in the same province (Takhar's Baharak is not Badakhshan's),
  the controller agrees, and its date agrees with the gold event date (± 1 day, any
  overlap for ranges). Unnamed aggregates ('8 unnamed districts of Badakhshan
  province') name no unit and are reported as not scorable. ``early`` lists the gold
  changes the timeline shows more than one day ahead of time (the unit already held by
  the new controller two days before the gold date).
- **claims**: a gold claim is found when a predicted claim of the same article has a
  quote overlapping the gold quote; precision counts predicted claims overlapping any
  gold quote; claimant and as-of accuracy are over found claims (best-overlapping
  prediction).
- **boilerplate**: line multiset precision/recall of ``Article.boilerplate``.
- **published**: exact ``Article.published`` against the gold date.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any

from sitrep.evaluate.agreement import (
    controller_key,
    date_agrees,
    gold_interval,
    level_family,
    place_key,
)
from sitrep.evaluate.events import prf
from sitrep.evaluate.gold import Gold, locate, parse_day
from sitrep.model import Claim, ControlState, DateInterval
from sitrep.resolve.actors import resolve_actor
from sitrep.resolve.places import resolve_place

__all__ = ["claimant_agrees", "score_boilerplate", "score_claims", "score_control",
           "score_published", "unit_states"]

_UNNAMED = re.compile(r"\bunnamed\b|^\d+\s", re.I)


def _unit_ids(name: str, family: str | None = None) -> set[str]:
    """Place ids the gazetteer gives a gold unit name (empty when it cannot say), only
    of the level ``family`` when given (a crossing's name is not its district)."""
    place = resolve_place(name)
    if place is None or family is not None and level_family(
            "district" if place.kind == "district" else place.kind) != family:
        return set()
    return {i for i in (place.id, place.admin2_id if place.kind == "district" else None) if i}


def score_control(gold: Gold, states: Sequence[ControlState]) -> dict[str, Any]:
    rows: list[dict[str, Any]] = []
    early_rows: list[dict[str, Any]] = []
    n = ok = skipped = 0
    back = {"n": 0, "correct": 0}  # recaptures: the government regaining a unit
    for g in gold.section("events"):
        change = g.get("control_change")
        if not isinstance(change, Mapping) or not gold.in_store(g):
            continue
        unit = str(change.get("unit") or "")
        want = controller_key(change.get("new_controller"))
        row: dict[str, Any] = {"gold": g.get("id"), "unit": unit, "level": change.get("unit_level"),
                               "date": g.get("event_date"), "expected": want}
        if not unit or _UNNAMED.search(unit):
            skipped += 1
            rows.append({**row, "status": "not scorable (unnamed unit)"})
            continue
        n += 1
        interval = gold_interval(g)
        candidates = unit_states(g, states)
        hit = [s for s in candidates if controller_key(s.controller) == want
               and date_agrees(interval, _day(s))]
        ok += bool(hit)
        if g.get("sub_event_type") == "Government regains territory":
            back["n"] += 1
            back["correct"] += bool(hit)
        # the timeline shows the new controller more than a day before the gold change
        # (Kabul "falling" on 9 August): the state as of two days before is already it
        before = [s for s in candidates if interval is not None
                  and s.date <= interval.start - dt.timedelta(days=2)]
        early = bool(before) and controller_key(max(before, key=lambda s: s.date).controller) == want
        if early:
            early_rows.append({"gold": g.get("id"), "unit": unit, "level": change.get("unit_level"),
                               "date": g.get("event_date"),
                               "found": str(max(before, key=lambda s: s.date).date)})
        found = hit[0] if hit else None
        if found is None and candidates and interval is not None:
            found = min(candidates, key=lambda s: abs((s.date - interval.start).days))
        rows.append({**row, "status": "ok" if hit else ("wrong" if candidates else "missing"),
                     "found": (f"{found.controller} {found.date} ({found.unit_name})"
                               if found else None)})
    return {"n": n, "correct": ok, "accuracy": round(ok / n, 4) if n else 0.0,
            "not_scorable": skipped, "recaptures": back, "rows": rows, "early": early_rows}


def unit_states(g: Mapping[str, Any], states: Sequence[ControlState]) -> list[ControlState]:
    """The states of the unit a gold event's ``control_change`` names (see the module
    docstring), in the order given."""
    change = g.get("control_change")
    unit = str(change.get("unit") or "") if isinstance(change, Mapping) else ""
    if not unit:
        return []
    assert isinstance(change, Mapping)
    # 'Spin Boldak district and Wesh-Chaman border crossing': either part will do,
    # each at the level its own words name
    parts = [(place_key(name), _part_level(part, change.get("unit_level")))
             for part in re.split(r"\s+and\s+", unit) for name in _part_names(part)]
    ids = _unit_ids(unit) | {
        i for part in re.split(r"\s+and\s+", unit) for name in _part_names(part)
        for i in _unit_ids(name, _part_level(part, change.get("unit_level")))}
    province = place_key(str(g.get("admin1") or ""))
    return [s for s in states
            if _same_province(s, province) and (s.unit_id in ids or any(
                place_key(s.unit_name) == key and level_family(s.unit_level) == fam
                for key, fam in parts))]


def _same_province(state: ControlState, province: str) -> bool:
    """A matched unit lies in the gold's province, when both name one (a homonym does not)."""
    return not province or not state.admin1 or place_key(state.admin1) == province


_PART_LEVELS = (("border crossing", "site"), ("airport", "site"), ("airfield", "site"),
                ("base", "site"), ("prison", "site"), ("headquarters", "site"),
                ("district", "district"), ("province", "province"), ("city", "settlement"))


_SITE_WORDS = re.compile(r"\b(?:border\s+(?:crossing|port)|crossing|site)\b", re.I)
# a share of the unit that hands the unit over: 'most of Rubizhne city' is Rubizhne's change
# (a part, 'the eastern part of Bakhmut', is not the whole town's)
_MAJORITY = re.compile(r"^(?:most|the\s+bulk|(?:nearly|almost)\s+(?:all|the\s+entirety))"
                       r"\s+of\s+(?:the\s+)?", re.I)


def _part_names(part: str) -> list[str]:
    """The names a gold unit part stands for, site words dropped: 'Torghundi border
    crossing' -> ['Torghundi']; 'Spin Boldak (Wesh-Chaman) border crossing' ->
    ['Spin Boldak', 'Wesh-Chaman']; 'Zaporizhzhia nuclear power plant site (Enerhodar)' ->
    ['Zaporizhzhia nuclear power plant', 'Enerhodar'] (the gazetteer knows the place, not
    the phrase); 'most of Rubizhne city' -> ['Rubizhne city']."""
    bare = " ".join(_SITE_WORDS.sub(" ", _MAJORITY.sub("", part.strip())).split())
    inner = [" ".join(i.split()) for i in _PAREN.findall(bare)]
    outer = " ".join(_PAREN.sub(" ", bare).split())
    return [n for n in dict.fromkeys([outer, *inner]) if n] or [part]


def _part_level(part: str, level: Any) -> str:
    low = part.lower()
    for word, family in _PART_LEVELS:
        if word in low:
            return family
    return level_family(level)


def _day(state: ControlState) -> DateInterval:
    return DateInterval(state.date, state.date, "day")


_PAREN = re.compile(r"\(([^)]*)\)")
_STOP = {"the", "a", "an", "of", "and", "spokesman", "spokesperson", "official", "officials"}


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOP}


def _actor_id(name: str, on: dt.date | None) -> str | None:
    actor = resolve_actor(name, on)
    return actor.id if actor is not None else None


def claimant_agrees(gold: str, pred: str, on: dt.date | None = None) -> bool:
    """Same speaker: narrative ↔ narrative, same canonical actor (as of the day ``on``,
    the claim's: 'officials' after the fall of Kabul are the Taliban's, as the extractor
    reads them), or shared name words.

    Gold claimants read 'Jan Khakriwal (Kandahar Provincial Council chairman)'; a
    prediction agrees when it names the same person or body ('Khakriwal',
    'Kandahar Provincial Council Chairman Jan Khakriwal') or resolves to the same actor.
    """
    g, p = gold.strip(), pred.strip()
    if not g or not p:
        return False
    if "narrative" in g.lower() or "narrative" in p.lower():
        return "narrative" in g.lower() and "narrative" in p.lower()
    main = _PAREN.sub(" ", g)
    gw, pw = _words(main), _words(_PAREN.sub(" ", p))
    if gw and (gw <= pw or pw <= gw):
        return True
    # a named person: the surname is enough ('Rahman' for 'Mohib-ul Rahman')
    names = [w for w in re.findall(r"[A-Z][a-z]+", main)]
    if names and names[-1].lower() in pw and len(names) >= 2:
        return True
    initials = "".join(w[0] for w in re.findall(r"[A-Za-z]+", main) if w[0].isupper())
    if p.isupper() and len(p) >= 2 and p == initials:  # 'UN' for 'United Nations'
        return True
    ga, pa = _actor_id(main, on), _actor_id(p, on)
    if ga is not None and ga == pa:
        return True
    inner = _PAREN.findall(g)  # 'Pentagon (US Department of Defense)'
    return any(_words(i) and _words(i) <= pw for i in inner)


def score_claims(gold: Gold, claims: Sequence[Claim]) -> dict[str, Any]:
    ids = gold.mapped_ids
    preds = [c for c in claims if c.article_id in ids]
    spans: list[tuple[str, int, int, Mapping[str, Any]]] = []
    missing: list[str] = []
    for g in gold.section("claims"):
        article = gold.article(g)
        span = locate(article.text, str(g.get("quote") or "")) if article else None
        if article is None or span is None:
            missing.append(str(g.get("id")))
            spans.append(("", 0, 0, g))
        else:
            spans.append((article.id, span[0], span[1], g))

    def overlap(c: Claim, s: tuple[str, int, int, Mapping[str, Any]]) -> int:
        if c.article_id != s[0]:
            return 0
        return max(0, min(c.quote.end, s[2]) - max(c.quote.start, s[1]))

    found = claimant_ok = as_of_ok = 0
    misses: list[dict[str, Any]] = []
    for s in spans:
        best = max(preds, key=lambda c: overlap(c, s), default=None)
        if best is None or overlap(best, s) == 0:
            misses.append({"gold": s[3].get("id"), "quote": str(s[3].get("quote"))[:80]})
            continue
        found += 1
        claimant_ok += claimant_agrees(str(s[3].get("claimant") or ""), best.claimant, best.as_of)
        as_of_ok += best.as_of is not None and best.as_of == parse_day(s[3].get("as_of"))
    correct_preds = sum(1 for c in preds if any(overlap(c, s) for s in spans))
    n_gold = len(spans)
    return {
        "n_gold": n_gold, "n_pred": len(preds), "found": found,
        "recall": round(found / n_gold, 4) if n_gold else 0.0,
        "precision": round(correct_preds / len(preds), 4) if preds else 0.0,
        "claimant_accuracy": round(claimant_ok / found, 4) if found else 0.0,
        "as_of_accuracy": round(as_of_ok / found, 4) if found else 0.0,
        "unlocated_gold": missing, "missed": misses,
    }


def _lines(lines: Sequence[str]) -> Counter[str]:
    return Counter(" ".join(str(x).split()) for x in lines if str(x).strip())


def score_boilerplate(gold: Gold) -> dict[str, Any]:
    tp = n_pred = n_gold = 0
    for ga in gold.articles.values():
        if ga.article is None:
            continue
        want = _lines(ga.data.get("boilerplate_lines") or [])
        got = _lines(ga.article.boilerplate)
        tp += sum((want & got).values())
        n_pred += sum(got.values())
        n_gold += sum(want.values())
    return prf(tp, n_pred, n_gold)


def score_published(gold: Gold) -> dict[str, Any]:
    n = ok = 0
    errors = []
    for key, ga in gold.articles.items():
        want = parse_day(ga.data.get("published"))
        if want is None or ga.article is None:  # unmapped: listed in articles.unmapped
            continue
        n += 1
        got = ga.article.published if ga.article else None
        if got == want:
            ok += 1
        else:
            errors.append({"file": key, "want": str(want), "got": str(got)})
    return {"n": n, "correct": ok, "accuracy": round(ok / n, 4) if n else 0.0, "errors": errors}
