"""Which of a mention's candidate places a coder would code: a learned arbiter over the
rules' pick (:mod:`sitrep.extract.location`).

The rules pick one place per trigger from the parse; on real news about half of their
errors are *rankable*: the right place was in reach — another place of the sentence (a
clause of its own, 'a bomb attack in Jalalabad ... as well as a suicide attack outside
the gates of Kabul airport'), the story's place (a speaker's province, 'Kunduz police
spokesman ... said his forces had killed'), or the district the article names inside
the province the sentence gives. The arbiter scores every candidate with a small
logistic model over general signals (how the rules chose, the candidate's gazetteer
kind, whether it is the trigger's own clause, the tree distance and the preposition
linking it, speaker / destination / reference-point roles, how often and how close to
the article's other places it is named) and replaces the rules' pick only when another
candidate is more likely right by the model's margin.

No name, word or article is a feature: the model is trained by ``bench/train_places.py``
on the gold geocodes of every tuning set, chosen by article-grouped cross-validation,
and shipped as JSON coefficients (:mod:`sitrep.linear_model`). Without the model file
the rules' pick stands.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sitrep.linear_model import LinearModel, load_binary, sigmoid
from sitrep.model import Place, PlaceRef, Span

__all__ = ["MODEL_PATH", "Candidate", "PlaceChooser", "candidate_features", "load_chooser"]

MODEL_PATH = Path(__file__).resolve().parents[1] / "data" / "place_model.json"
TRAINER = "bench/train_places.py"
#: the closed sets one-hot features read (anything else is 'other')
_KINDS = ("city", "district", "province", "village", "base", "border_crossing", "prison")
_PREPS = ("in", "at", "near", "of", "on", "to", "from", "into", "outside", "around", "across", "for")


@dataclass(slots=True)
class Candidate:
    """One place a mention might be coded at, with how the text offers it."""

    ref: PlaceRef
    sources: set[str] = field(default_factory=set)  # rule | sentence | narrative | focus | article
    flags: set[str] = field(default_factory=set)  # in_clause, speaker, told, destination, ...
    prep: str | None = None  # the preposition whose object the name is
    tree_distance: int | None = None  # dependency path length to the trigger
    token_distance: int | None = None  # signed: the name's position after the trigger
    chars_away: int | None = None  # characters between the sentence and the nearest naming


def _km(a: Place, b: Place) -> float | None:
    if None in (a.lat, a.lon, b.lat, b.lon):
        return None
    la1, lo1, la2, lo2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))  # type: ignore[arg-type]
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


def candidate_features(c: Candidate, pick: Candidate, article_places: Sequence[Place],
                       foreign: bool) -> dict[str, float]:
    """The named features of one candidate (see the module docstring); ``pick`` is the
    rules' candidate, whose roles an alternative is read against ('the story's place when
    the rules took a speaker's province')."""
    place, chosen = c.ref.place, pick.ref.place
    assert place is not None and chosen is not None
    f: dict[str, float] = {f"src={s}": 1.0 for s in c.sources}
    f.update({f: 1.0 for f in c.flags})
    f[f"kind={_kind(place)}"] = 1.0
    if c is not pick:
        f["alternative"] = 1.0
        f.update({f"alt_when_pick_{flag}": 1.0 for flag in pick.flags})
        if "in_clause" not in pick.flags:
            f["alt_when_pick_outside_clause"] = 1.0
        if "sentence" not in pick.sources:
            f["alt_when_pick_not_in_sentence"] = 1.0
        f[f"alt_{_kind(place)}_for_{_kind(chosen)}"] = 1.0
        if chosen.kind == "province" and place.admin1_id == (chosen.admin1_id or chosen.id):
            f["finer_than_pick"] = 1.0
        elif place.kind == "province" and chosen.admin1_id == (place.admin1_id or place.id):
            f["coarser_than_pick"] = 1.0
        elif place.admin1_id and place.admin1_id == chosen.admin1_id:
            f["same_province_as_pick"] = 1.0
    if "sentence" in c.sources:
        f[f"prep={c.prep if c.prep in _PREPS else ('none' if c.prep is None else 'other')}"] = 1.0
        if c.tree_distance is not None:
            f["tree_distance"] = min(c.tree_distance, 10) / 10
        if c.token_distance is not None:
            f["before_trigger"] = float(c.token_distance < 0)
            f["token_distance"] = min(abs(c.token_distance), 30) / 30
    elif c.chars_away is not None:
        f["log_chars_away"] = math.log1p(c.chars_away) / 8
    named = sum(p.id == place.id for p in article_places)
    f["log_article_count"] = math.log1p(named) / 2
    others = [d for p in article_places if p.id != place.id and (d := _km(place, p)) is not None]
    if others:
        f["log_km_to_article"] = math.log1p(sorted(others)[len(others) // 2]) / 8
    else:
        f["no_distance"] = 1.0
    if foreign:
        f["foreign"] = 1.0
    return f


def _kind(place: Place) -> str:
    return place.kind if place.kind in _KINDS else "other"


class PlaceChooser:
    """The learned arbiter: the candidate to code, given the rules' pick."""

    def __init__(self, model: LinearModel | None, margin: float) -> None:
        self.model = model
        self.margin = margin  # 1.0: never overrule the rules

    @property
    def active(self) -> bool:
        """Whether candidates are worth gathering (a model to score them)."""
        return self.model is not None

    def choose(self, rows: Sequence[dict[str, float]], pick: int, sentence: Span,
               candidates: Sequence[Candidate]) -> int:
        """The index of the candidate to code (``rows`` are the candidates' features,
        ``pick`` the rules' choice): the best-scored one when the model's odds that it is
        right where the pick is wrong, sigmoid(z_best - z_pick), exceed 1/2 by the margin;
        else the pick. (``sentence`` and ``candidates`` serve a trainer's record.)"""
        if self.model is None or len(rows) < 2:
            return pick
        z = [self.model.score(r) for r in rows]
        best = max(range(len(z)), key=z.__getitem__)
        return best if sigmoid(z[best] - z[pick]) - 0.5 > self.margin else pick


@functools.cache
def load_chooser(path: Path = MODEL_PATH) -> PlaceChooser:
    """The shipped arbiter (inert when its file is absent: the rules' pick stands)."""
    if not path.is_file():
        return PlaceChooser(None, 0.0)
    model = load_binary(path, TRAINER, threshold_key="margin")
    return PlaceChooser(model, model.threshold)
