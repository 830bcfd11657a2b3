"""The occurrence pass of fusion: ACLED codes one event per occurrence.

After the linker of :mod:`sitrep.fuse` has weighed report against report, the clusters
of one block that report one occurrence under different types (or one change of hands
twice) merge here (:func:`collapse`), strongest evidence first. The clusters of one
article that report one occurrence under different types merge at the evidence scope
``occurrence.yaml`` gives the pair (one article: a blast and the gunfight after it; one
sentence: civilians killed in a capture, a protest label read off a rocket attack; a
report that only counts victims — "dozens of people have been killed" — beside the
blast, strike or battle of its article, place and day; never a sentence recalling an
earlier occurrence with the article's news), typed by its ACLED precedence; a change of
the same unit to the same side twice in one article, or a recap (``Mention.recap``), is
one change whatever its territorial type unless another change of the unit lies between (the
control state machine) and
the two went to the same side (the resistance taking a district and the Taliban taking it
back are two); a recap dated by its own words joins only a change inside that date; one
article's report of a blast or strike at its province's level beside its report of one in
a town of that province, the same or the next day, is that occurrence told less precisely
(a toll or a province-level report a day apart joins only when a day is not written by
both: 'on Monday ...' and 'on Tuesday ...' are two days). A change of
a whole province ('took control of Panjshir province') never links with a change of a
district or town in it other than its capital: two control units. Two clusters one of
whose articles tells the later report as another occurrence ('Separately, ...') never
merge (:func:`sitrep.clusters.told_apart`).

Event-level typing: clusters of one article the learned typing reads as one type
(:func:`sitrep.clusters.model_agrees`) merge as a pair ``occurrence.yaml`` allows at
article scope.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from collections.abc import Mapping, Sequence

from sitrep.clusters import (
    SAME_CHANGE_DAYS,
    Cluster,
    all_recaps,
    all_undated_recaps,
    days_between,
    model_agrees,
    norm_name,
    place_relation,
    same_unit,
    span_days,
    summed_up,
    told_apart,
)
from sitrep.event_values import gainer, main_type, means_named, place_rank, takes_the_place
from sitrep.ontology import (
    ATTACK,
    CLASH,
    PEACEFUL_PROTEST,
    TERRITORIAL,
    UNARMED_INTERS,
    load_occurrence,
)

__all__ = ["collapse"]

#: place agreement two clusters need to be one occurrence (same unit, or a town in its
#: district; not a province and something in it)
_SAME_PLACE = 0.8
#: words that say an attack's sentence hits a crowd ('opened fire on the crowd'): with them
#: it may be the force a protest of its article met (``occurrence.yaml`` cue ``crowd``)
_CROWD = load_occurrence().cue("crowd")
_VIOLENT = frozenset(load_occurrence().groups["violent"])
_AGAINST_CIVILIANS = frozenset(load_occurrence().groups["against_civilians"])
#: a trigger that only counts victims (``occurrence.yaml`` cue ``casualty``)
_CASUALTY = load_occurrence().cue("casualty")
_ACT = load_occurrence().cue("violent_act")


def _sentences(c: Cluster) -> set[tuple[str, int]]:
    return {(ev.article_id, ev.start) for o in c.obs for ev in o.evidence}


def _actors(c: Cluster, sub: str) -> set[str]:
    """The armed actors of a cluster's main reports (civilians and protesters are victims
    of any type: the civilians of an attack are not a second pair of actors beside a
    clash's, nor the crowd of a protest beside the shooting at it)."""
    return {a.id for o in c.obs if o.sub_event_type == sub or sub in TERRITORIAL
            and o.sub_event_type in TERRITORIAL for a in (o.actor1, o.actor2)
            if a is not None and a.inter not in UNARMED_INTERS}


def _same_unit(a: Cluster, b: Cluster) -> bool:
    """Both clusters are about the same control unit (not merely nested places)."""
    return a.place is not None and b.place is not None and same_unit(a.place, b.place)


def _change_between(a: Cluster, b: Cluster, clusters: Sequence[Cluster],
                    types: Mapping[int, str]) -> bool:
    """Whether another territorial change of the unit lies between ``a`` and ``b``
    (a recapture between two captures makes them two captures). A change known only from
    recaps whose day is an upper bound cannot be placed between two others; nor can a
    change told in the sentence of an undated recap among ``a`` and ``b``: 'reclaimed
    the district after it briefly fell to the Taliban' puts the fall before the
    reclaiming, whatever day the report bears."""
    assert a.date is not None and b.date is not None
    lo, hi = min(a.date.start, b.date.start), max(a.date.end, b.date.end)
    recalled = set().union(*(_sentences(x) for x in (a, b) if all_undated_recaps(x)))
    for c in clusters:
        t = types[id(c)]
        if c is a or c is b or t not in TERRITORIAL or t == types[id(a)] or c.date is None \
                or not lo <= c.date.start <= hi or all_undated_recaps(c) \
                or recalled and recalled & _sentences(c):
            continue
        if _same_unit(a, c):
            return True
    return False


#: how strongly two clusters are one occurrence, and whether at sentence scope; None: two
_Verdict = tuple[tuple[int, int, int], bool] | None


def _same_occurrence(a: Cluster, b: Cluster, clusters: Sequence[Cluster],
                     types: Mapping[int, str]) -> _Verdict:
    """How strongly two clusters are one occurrence seen differently, or None; and
    whether only the reports of their shared sentences are (sentence scope).

    Same-type clusters stay apart (the linker already weighed them: two clashes in one
    city on one day can be two events), except two changes of the same unit to the same
    side with no change between: the unit cannot be taken twice (the control state
    machine), so the later one is the same capture reported again, or a recap; two
    territorial types on different days are weighed the same way (:func:`_one_change`).
    Other different types merge at the scope ``occurrence.yaml`` allows for the pair: any
    reports, reports of one article, or one sentence; never a pair listed as distinct
    (a protest and an attack only when the attack's sentence names a crowd).
    Only clusters that share an article (or a recap) are compared: the linker already
    weighed reports of different articles against each other.
    """
    if a.date is None or b.date is None or a.place is None or b.place is None:
        return None
    ta, tb = types[id(a)], types[id(b)]
    rel = place_relation(a.place, b.place,
                         sites_in_towns=ta not in TERRITORIAL and tb not in TERRITORIAL)
    shared = len(_sentences(a) & _sentences(b))
    same_article = bool(a.articles & b.articles)
    gap = days_between(a.date, b.date)
    # a toll or a province-level report, joined by no type evidence, gets a day of slack for a
    # day some report only inherited (the publication's 'today or yesterday'); two reports
    # each dated by its own words to two days are two days
    close = gap == 0 or gap == 1 and not _days_apart(a, b)
    recap = all_recaps(a) or all_recaps(b)
    if same_article and any(told_apart(x, y) for x in a.obs for y in b.obs):
        return None  # 'Separately, ...': the article itself tells them apart
    if rel is not None and _province_echo(a, b, ta, tb, same_article and close and not recap):
        return (shared, 1, -gap), False
    if rel is None or rel < _SAME_PLACE or max(place_rank(a.place), place_rank(b.place)) >= 3:
        return None  # a province is too big to say two reports are one occurrence
    if same_article and close and not recap and (_toll(a, tb) or _toll(b, ta)):
        # the victims counted next to the blast, strike or battle of their article, place
        # and day are its toll (their actors, read off a sentence naming no cause, no gate)
        return (shared, 1, -gap), False
    mine, theirs = _actors(a, ta), _actors(b, tb)
    if mine and theirs and not mine & theirs:
        return None  # two different pairs of actors: two occurrences
    if shared and gap <= 1 and _same_words(a, b):
        # one report read twice ('re-captured' and 'captured the district'): one
        # occurrence whatever the two readings' types
        return (shared, 1, -gap), True
    if not (same_article or recap):
        return None  # reports of different articles are the linker's to weigh
    if ta == tb and ta not in TERRITORIAL:
        # a recap ('48 hours after the suicide bombing at the airport') joins the known
        # event of its place and type rather than open a new one
        if not recap or not _same_unit(a, b) or gap > SAME_CHANGE_DAYS:
            return None
        return (shared, int(same_article), -gap), False
    scope = load_occurrence().scope(ta, tb)
    if ta == tb or ta in TERRITORIAL and tb in TERRITORIAL and gap and scope:
        # one change of hands, also told as two types on two days (a capture recalled as
        # 'seized control of Kabul last month' beside the day's peaceful handover); on one
        # day two types are for the scope rules below
        return _one_change(a, b, clusters, types, gap, recap, shared, same_article)
    if scope is None and model_agrees(a.obs, b.obs):
        scope = "article"  # one article's reports the learned typing reads as one type
    if scope is None and means_named(a.obs, b.obs):
        scope = "any"  # 'the attack on the port' beside the missiles that hit it, same day
    if scope is None or _folds_a_change(a, tb) or _folds_a_change(b, ta):
        return None
    if ta == CLASH and tb in TERRITORIAL and summed_up(a.date, all_recaps(a), b.date) \
            or tb == CLASH and ta in TERRITORIAL and summed_up(b.date, all_recaps(b), a.date):
        return None  # a fight summed up over weeks is not the fighting of the day's change
    if scope == "sentence" and not shared or scope == "article" and not same_article:
        return None
    if {ta, tb} == {PEACEFUL_PROTEST, ATTACK} and not shared and not any(
            _CROWD.search(o.sentence) for c in (a, b) for o in c.obs if o.sub_event_type == ATTACK):
        return None  # a killing in town the day of a protest is not the force it met
    if scope == "article" and recap and not shared:
        return None  # the earlier occurrence a sentence recalls is not the article's news
    slack = 1 if scope != "any" and same_article else 0
    if gap > slack:
        return None
    return (shared, int(same_article), -gap), scope == "sentence"


def _one_change(a: Cluster, b: Cluster, clusters: Sequence[Cluster], types: Mapping[int, str],
                gap: int, recap: bool, shared: int, same_article: bool) -> _Verdict:
    """Two territorial clusters as reports of one change of their unit: the same unit
    taken whole by the same side, a recap reaching the other's day or one article's two
    days, and no other change of the unit between (the control state machine)."""
    if not _same_unit(a, b) or not (takes_the_place(a.obs) and takes_the_place(b.obs)):
        return None  # seizing the jail on Wednesday is not the fall of the city on Friday
    sides = gainer(a.obs), gainer(b.obs)
    if None not in sides and sides[0] != sides[1]:
        return None  # the resistance taking a district and the Taliban taking it back
    # two reports of the change that disagree on the day: a rewrite resolved 'on Sunday'
    # against another publication day, or one article giving it twice; a recap joins at
    # any distance
    if not (recap and _recap_reaches(a, b, gap) or same_article and gap <= SAME_CHANGE_DAYS) \
            or _change_between(a, b, clusters, types):
        return None
    return (shared, int(same_article), -gap), False


def _own_days(c: Cluster) -> set[dt.date]:
    """The days the cluster's reports date to the day by their own words (not a recap's)."""
    return {o.date.start for o in c.obs if o.explicit_date and not o.recap and o.date is not None
            and span_days(o.date) == 1}


def _days_apart(a: Cluster, b: Cluster) -> bool:
    """Each cluster has reports dated to the day by their own words ('on Monday, mortars hit
    homes in the town, wounding nine', 'on Tuesday, jets bombed positions near the town'),
    and no day is common to both: an article telling two days, not one occurrence
    whose day two readings put a day apart. It holds apart what only place and day join (a
    toll, a report at the province's level); a pair of types ``occurrence.yaml`` lists is
    evidence of its own and keeps its day of slack."""
    mine, theirs = _own_days(a), _own_days(b)
    return bool(mine) and bool(theirs) and not mine & theirs


def _folds_a_change(c: Cluster, other: str) -> bool:
    """``c`` tells a change of hands of its place (the district abandoned after the
    fighting the cluster is typed by) that reports typed ``other`` never share an
    occurrence with (a car bomb at the gate the day before): merged, the change would be
    typed away and drop off the control map."""
    occurrence = load_occurrence()
    return any(o.sub_event_type in TERRITORIAL and takes_the_place([o])
               and o.place is not None and place_rank(o.place) < 3  # a unit, not a region
               and occurrence.scope(o.sub_event_type, other) is None for o in c.obs)


def _province_echo(a: Cluster, b: Cluster, ta: str, tb: str, close: bool) -> bool:
    """One article's report of an occurrence at the level of its province ('a heavy blast
    in Kunduz province'), beside its report of the same kind of occurrence in a town or
    district of that province, on the same day or the next (``close``: a 'there has been'
    dated by the publication day): the same occurrence, told less precisely. Not a change
    of hands (a province's change is its own unit on the map), nor one of two reports
    with different pairs of actors."""
    if not close or ta in TERRITORIAL or tb in TERRITORIAL \
            or ta != tb and load_occurrence().scope(ta, tb) != "any":
        return False
    assert a.place is not None and b.place is not None
    ranks = sorted((place_rank(a.place), place_rank(b.place)))
    if ranks[1] != 3 or ranks[0] >= 3:
        return False
    mine, theirs = _actors(a, ta), _actors(b, tb)
    return not (mine and theirs and not mine & theirs)


def _toll(c: Cluster, other: str) -> bool:
    """Whether ``c`` only counts victims of violence against civilians ("killed 10
    civilians", "five ANDSF members ... were killed": the trigger names no act, no "shot"
    nor "executed") while the other cluster is a violent event that can have caused them."""
    return other in _VIOLENT and all(o.sub_event_type in _AGAINST_CIVILIANS
                                     and _CASUALTY.search(o.trigger)
                                     and not _ACT.search(o.trigger) for o in c.obs)


def _same_words(a: Cluster, b: Cluster) -> bool:
    """A report of each cluster reads overlapping words of one sentence as its trigger."""
    spans = {(o.article_ids, o.trigger_span) for o in a.obs if o.trigger_span is not None}
    return any(o.trigger_span is not None and art == o.article_ids
               and o.trigger_span[0] < span[1] and span[0] < o.trigger_span[1]
               for o in b.obs for art, span in spans if span is not None)


def _recap_reaches(a: Cluster, b: Cluster, gap: int) -> bool:
    """Whether the recap among ``a`` and ``b`` may be the other's change: an undated one
    at any distance, one with its own date ('last week', 'eight days ago') only inside
    that date (one day of slack for a day resolved against another publication day):
    a capture 'last week' is not the capture of six weeks later."""
    dated = any(o.explicit_date for c in (a, b) if all_recaps(c) for o in c.obs)
    return not dated or gap <= 1


def _pairs(clusters: Sequence[Cluster], types: Mapping[int, str]) -> list[tuple[int, int]]:
    """The cluster pairs worth comparing (:func:`_same_occurrence` gives None for any
    other): those sharing an article and at most :data:`SAME_CHANGE_DAYS` apart, and a
    recap with every cluster that close, or with any cluster of its own territorial type
    (a change of hands recalled at any distance). Indexed by date and type, so a block of
    years of reports costs what its neighbourhoods cost, not recaps x clusters."""
    by_article: dict[str, list[tuple[dt.date, dt.date, int]]] = {}
    for i, c in enumerate(clusters):
        if c.date is not None:
            for a in c.articles:
                by_article.setdefault(a, []).append((c.date.start, c.date.end, i))
    pairs: set[tuple[int, int]] = set()
    for spans in by_article.values():
        spans.sort()
        for k, (_start, end, i) in enumerate(spans):
            for start, _end, j in spans[k + 1:]:
                if (start - end).days > SAME_CHANGE_DAYS:
                    break
                pairs.add((min(i, j), max(i, j)))
    recaps = [i for i, c in enumerate(clusters) if c.date is not None and all_recaps(c)]
    if not recaps:
        return sorted(pairs)
    dated = sorted((c.date.start, i) for i, c in enumerate(clusters) if c.date is not None)
    starts = [d for d, _i in dated]
    longest = max(span_days(clusters[i].date) for _d, i in dated)  # type: ignore[arg-type]
    # a change recalled at any distance is one of the same unit: same type, same name
    territorial: dict[tuple[str, str], list[int]] = {}
    for _d, i in dated:
        if types[id(clusters[i])] in TERRITORIAL:
            territorial.setdefault(_unit_key(clusters[i], types), []).append(i)
    reach = dt.timedelta(days=SAME_CHANGE_DAYS)
    for i in recaps:
        di = clusters[i].date
        assert di is not None
        lo = bisect.bisect_left(starts, di.start - reach - dt.timedelta(days=longest))
        hi = bisect.bisect_right(starts, di.end + reach)
        near = (j for _d, j in dated[lo:hi]
                if days_between(di, clusters[j].date) <= SAME_CHANGE_DAYS)  # type: ignore[arg-type]
        same = territorial.get(_unit_key(clusters[i], types), []) \
            if types[id(clusters[i])] in TERRITORIAL else []
        pairs.update((min(i, j), max(i, j)) for group in (near, same) for j in group if j != i)
    return sorted(pairs)


def _unit_key(c: Cluster, types: Mapping[int, str]) -> tuple[str, str]:
    """Type and place name of a change: :func:`_same_unit` holds only between clusters of
    one name (one gazetteer id, or one town under two ids)."""
    return types[id(c)], norm_name(c.place.name if c.place is not None else None)


def collapse(clusters: list[Cluster], *, every_pair: bool = False) -> list[Cluster]:
    """Occurrence-level coding: merge the clusters of one block that report one
    occurrence under different types (or one change of hands twice), strongest
    evidence first; the merged event's type follows ACLED precedence.

    A merge on sentence evidence moves only the reports of the shared sentences (a
    sentence's second label is the first's occurrence; the same type reported in other
    sentences may be an occurrence of its own: the shooting at a fleeing car the day a
    district fell), from the lower-precedence cluster to the other.

    After a merge only the pairs of the clusters it changed are found and weighed again
    (:func:`_pairs` is a property of each pair alone); ``every_pair`` finds and weighs
    every pair at every step instead (the reference the bookkeeping is tested against).
    """
    rank = load_occurrence().rank
    types = {id(c): main_type(c.obs) for c in clusters}
    # clusters by position: list order, a merged cluster keeps its place, the reports a
    # merge leaves behind go last under a new position (never reused, unlike an id)
    alive = dict(enumerate(clusters))
    fresh = itertools.count(len(clusters))
    holders: dict[str, set[int]] = {}  # article -> positions of the clusters holding it
    recaps: set[int] = set()  # positions of the dated recaps (paired with any cluster near)
    pairs: set[tuple[int, int]] = set()
    partners: dict[int, set[int]] = {}
    # a pair's verdict depends on the two clusters alone, except between two changes of
    # hands of one type (another change may come between): those are kept until any
    # change of hands changes
    verdicts: dict[tuple[int, int], _Verdict] = {}
    change_verdicts: dict[tuple[int, int], _Verdict] = {}

    def enter(p: int) -> None:
        c = alive[p]
        for a in c.articles:
            holders.setdefault(a, set()).add(p)
        if c.date is not None and all_recaps(c):
            recaps.add(p)

    def leave(p: int) -> None:
        for a in alive[p].articles:
            holders[a].discard(p)
        recaps.discard(p)
        for q in partners.pop(p, set()):
            key = (min(p, q), max(p, q))
            pairs.discard(key)
            verdicts.pop(key, None)
            change_verdicts.pop(key, None)
            partners[q].discard(p)

    def pair_up(new: Sequence[int]) -> None:
        """Add the pairs of the clusters at ``new``: :func:`_pairs` over every cluster
        that can pair with one of them (a shared article, a recap, or any if one is a
        recap), kept where they hold one of them."""
        near = set(recaps).union(*(holders[a] for p in new for a in alive[p].articles))
        if any(p in recaps for p in new):
            near = set(alive)
        near.update(new)
        where = sorted(near)
        for i, j in _pairs([alive[p] for p in where], types):
            p, q = where[i], where[j]
            if p in new or q in new:
                pairs.add((p, q))
                partners.setdefault(p, set()).add(q)
                partners.setdefault(q, set()).add(p)

    def verdict(p: int, q: int, listed: Sequence[Cluster]) -> _Verdict:
        a, b = alive[p], alive[q]
        changes = types[id(a)] == types[id(b)] and types[id(a)] in TERRITORIAL
        known = change_verdicts if changes else verdicts
        if (p, q) not in known:
            known[p, q] = _same_occurrence(a, b, listed, types)
        return known[p, q]

    for p in alive:
        enter(p)
    pair_up(list(alive))
    for _ in range(4 * sum(len(c.obs) for c in clusters)):  # each step merges or moves up
        if every_pair:
            for p in list(alive):
                leave(p)
                enter(p)
            pair_up(list(alive))
        best: tuple[tuple[int, int, int], bool, int, int] | None = None
        listed = list(alive.values())
        for p, q in pairs:  # the strongest; of equals, the first in list order
            s = verdict(p, q, listed)
            if s is not None and (best is None or s[0] > best[0]
                                  or s[0] == best[0] and (p, q) < best[2:]):
                best = (*s, p, q)
        if best is None:
            break
        _s, by_sentence, i, j = best
        if rank(types[id(alive[i])]) > rank(types[id(alive[j])]):
            i, j = j, i  # j gives, i receives
        giver, taker = alive[j], alive[i]
        touched = {types[id(giver)], types[id(taker)]}
        leave(i)
        leave(j)
        here = _sentences(taker)
        moved = [o for o in giver.obs if not by_sentence
                 or any((ev.article_id, ev.start) in here for ev in o.evidence)]
        for o in moved:
            taker.add(o)
        types[id(taker)] = main_type(taker.obs)
        touched.add(types[id(taker)])
        rest = [o for o in giver.obs if not any(o is m for m in moved)]
        del alive[j]
        new = [i]
        if rest:
            left = Cluster()
            for o in rest:
                left.add(o)
            new.append(next(fresh))
            alive[new[-1]] = left
            types[id(left)] = main_type(left.obs)
            touched.add(types[id(left)])
        if touched & TERRITORIAL:
            change_verdicts.clear()  # a change of hands between two others may have changed
        for p in new:
            enter(p)
        pair_up(new)
    return list(alive.values())
