"""Presenting an evaluation: the flat headline metrics and the rich table.

The headline keys ("events.strict.f1", "claims.recall", ...) are the contract the
evaluation gate (tests/eval_baseline.json) pins floors on: rename one and the gate
says which key disappeared.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.table import Table

__all__ = ["TARGETS", "headline", "render", "render_errors"]

#: issue #4 targets (README table); None = reported, no target
TARGETS: dict[str, float | None] = {
    "events.strict.f1": 0.85,
    "events.lenient.f1": 0.90,
    "events.strict.precision": None,
    "events.strict.recall": None,
    "events.lenient.precision": None,
    "events.lenient.recall": None,
    "mentions.geocoding": None,
    "mentions.dates": None,
    "place_mentions": 0.90,
    "date_expressions": 0.90,
    "control": None,
    "claims.recall": 0.80,
    "claims.precision": None,
    "claims.claimant": None,
    "claims.as_of": None,
    "boilerplate.precision": None,
    "boilerplate.recall": None,
    "published": None,
}


def headline(result: Mapping[str, Any]) -> dict[str, float]:
    """Flat metric name -> value in [0, 1] (higher is better) for the gate and README."""
    ev = result["events"]
    out = {
        "events.strict.precision": ev["strict"]["precision"],
        "events.strict.recall": ev["strict"]["recall"],
        "events.strict.f1": ev["strict"]["f1"],
        "events.lenient.precision": ev["lenient"]["precision"],
        "events.lenient.recall": ev["lenient"]["recall"],
        "events.lenient.f1": ev["lenient"]["f1"],
        "mentions.geocoding": result["mentions"]["geocoding"]["accuracy"],
        "mentions.dates": result["mentions"]["dates"]["accuracy"],
        "place_mentions": result["place_mentions"]["accuracy"],
        "date_expressions": result["date_expressions"]["accuracy"],
        "control": result["control"]["accuracy"],
        "claims.recall": result["claims"]["recall"],
        "claims.precision": result["claims"]["precision"],
        "claims.claimant": result["claims"]["claimant_accuracy"],
        "claims.as_of": result["claims"]["as_of_accuracy"],
        "boilerplate.precision": result["boilerplate"]["precision"],
        "boilerplate.recall": result["boilerplate"]["recall"],
        "published": result["published"]["accuracy"],
    }
    # a gold file without a section (the real-news set codes events only) has
    # nothing to say about it: its metrics are left out rather than shown as 0
    absent = {"place_mentions": result["place_mentions"]["n"] == 0,
              "date_expressions": result["date_expressions"]["n"] == 0,
              "claims.": result["claims"]["n_gold"] == 0,
              "boilerplate.": result["boilerplate"]["tp"] + result["boilerplate"]["fn"] == 0,
              "published": result["published"]["n"] == 0}
    return {k: float(v) for k, v in out.items()
            if not any(k.startswith(prefix) and gone for prefix, gone in absent.items())}


def _count(result: Mapping[str, Any], key: str) -> str:
    ev = result["events"]
    mentions = result["mentions"]
    counts = {
        "events.strict": f"{ev['strict']['tp']} of {ev['n_gold']} gold, {ev['n_pred']} pred",
        "events.lenient": f"{ev['lenient']['tp']} of {ev['n_gold']} gold, {ev['n_pred']} pred",
        "mentions": f"{mentions['n']} aligned mentions",
        "place_mentions": f"{result['place_mentions']['correct']}/{result['place_mentions']['n']}",
        "date_expressions":
            f"{result['date_expressions']['correct']}/{result['date_expressions']['n']}",
        "control": f"{result['control']['correct']}/{result['control']['n']}"
                   f" (+{result['control'].get('not_scorable', 0)} unnamed)",
        "claims": f"{result['claims']['found']}/{result['claims']['n_gold']} found, "
                  f"{result['claims']['n_pred']} pred",
        "boilerplate": f"{result['boilerplate']['tp']} lines ok",
        "published": f"{result['published']['correct']}/{result['published']['n']}",
    }
    for prefix, text in counts.items():
        if key.startswith(prefix):
            return text
    return ""


def render(result: Mapping[str, Any]) -> Table:
    """One row per headline metric, with its target and the counts behind it."""
    shown = result.get("min_confidence") or 0.0
    table = Table(title=f"sitrep eval — {result.get('gold', '')}" + (
        f" — events at confidence ≥ {shown:.2f}" if shown else " — every stored event"))
    for col in ("metric", "value", "target", "counts"):
        table.add_column(col, overflow="fold")
    for key, value in headline(result).items():
        target = TARGETS.get(key)
        mark = "" if target is None else (" ✓" if value >= target else " ✗")
        table.add_row(key, f"{value:.3f}{mark}", "" if target is None else f"≥ {target:.2f}",
                      _count(result, key))
    ev = result["events"]
    split = ev["oversplit"]
    table.add_row("events.oversplit", str(split["gold_events"]), "0",
                  f"{split['extra_events']} extra predicted events")
    multi = ev.get("multi_article", {})
    dups = sum(v["duplicates"] for v in multi.values())
    table.add_row("events.multi_article_duplicates", str(dups), "0",
                  ", ".join(f"{k}:{'✓' if v['matched'] else '✗'}{v['duplicates']}"
                            for k, v in multi.items()))
    cal = ev.get("calibration")
    if cal and cal["n"]:  # lower is better, so not a headline metric (the gate pins floors)
        table.add_row("events.ece", f"{cal['ece']:.3f}", "≤ 0.10",
                      "; ".join(f"{b['bin']}: {b['n']} at {b['correct']:.2f}"
                                for b in cal["bins"]))
    missed = ev.get("missed")
    if missed:
        table.add_row("events.missed_why", str(sum(missed["kinds"].values())), "0",
                      "; ".join(f"{k}: {n}" for k, n in missed["kinds"].items() if n))
        table.add_row("events.unmatched_pred", str(sum(ev["unmatched"].values())), "0",
                      "; ".join(f"{k}: {n}" for k, n in ev["unmatched"].items()))
    for pair in ev.get("same_place_pairs", []):
        table.add_row("events.same_place_separate", pair["status"], "separate",
                      " / ".join(pair["gold"]))
    for row in result["control"].get("rows", []):
        if row.get("status", "").startswith("not scorable"):
            continue
        table.add_row(f"control {row['unit']}", row["status"],
                      f"{row['expected']} {row['date']}", str(row.get("found") or ""))
    return table


def render_errors(result: Mapping[str, Any]) -> Table:
    """What went wrong, one row per miss: unmatched gold events, missed claims,
    resolver errors, control changes not found (``sitrep eval --errors``)."""
    table = Table(title="errors")
    for col in ("section", "gold", "detail"):
        table.add_column(col, overflow="fold")
    why = result["events"].get("missed", {}).get("ids", {})
    for gid, m in result["events"]["matches"].items():
        if m["lenient"] is None:
            table.add_row("events", gid, "no predicted event matches (even lenient)"
                          + (f"; {why[gid]}" if gid in why else ""))
        elif m["strict"] is None:
            table.add_row("events", gid, f"lenient only (sub-type differs): {m['lenient']}")
    for gid, extra in result["events"]["oversplit"]["ids"].items():
        table.add_row("over-split", gid, "extra: " + ", ".join(extra))
    for miss in result["claims"].get("missed", []):
        table.add_row("claims", str(miss["gold"]), miss["quote"])
    for section in ("place_mentions", "date_expressions"):
        for err in result[section].get("errors", []):
            table.add_row(section, str(err.get("text")),
                          f"want {err.get('want')}, got {err.get('got', err.get('error'))}")
    for row in result["control"].get("rows", []):
        if row["status"] not in ("ok",) and not row["status"].startswith("not scorable"):
            table.add_row("control", str(row["gold"]),
                          f"{row['unit']}: want {row['expected']} {row['date']}, "
                          f"{row['status']} {row.get('found') or ''}")
    for err in result["published"].get("errors", []):
        table.add_row("published", err["file"], f"want {err['want']}, got {err['got']}")
    return table
