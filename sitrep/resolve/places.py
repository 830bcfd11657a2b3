"""Geocoding: a place name as written, in its sentence, -> one gazetteer Place (or None).

Steps, cheapest first:

1. regions written as compass points of a country ("northern Afghanistan") or a
   world region ("Central Asia") become ``kind="region"`` places without coordinates;
2. kind words in or around the span ("Kandahar province", "the city of Kandahar",
   "Panjwai District Governor", "two districts of Herat", "Bagram air base") become
   hints;
3. exact lookup of the transliteration-aware name key (:mod:`sitrep.resolve.names`)
   over primary spellings, then GeoNames alternates, then villages; a rapidfuzz
   fallback (score >= 90) restricted to the focus country;
4. context: weak candidates (villages, close spellings) only in the provinces the sentence
   or article names (the article's own reading of the same name does not count), a
   building's name ('the Sayed Abad mosque') only there, a curated site not where the
   sentence names another province;
5. ranking: hinted kind, then the focus country, then provinces named in the sentence
   or article (Fayzabad of Badakhshan vs Jowzjan vs Faryab; a town many times larger than
   the article province's homonym still wins), then the default order
   site > town > district > province. A provincial-capital name on its own therefore
   resolves to the town (ACLED codes "the Taliban took Kandahar" on the city, geo_precision
   1); a district resolves to the district (geo_precision 2, on its centre town when
   GeoNames has one, else inside the polygon) because the sources have no town for most
   districts (Panjwayi) and a district capture is a claim about the district.

An unknown name returns None: the caller keeps the raw span, no coordinates are invented.
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from sitrep.model import Place
from sitrep.profile import active_profile
from sitrep.resolve.gazetteer import Entry, Gazetteer, newer_district_seat
from sitrep.resolve.names import WORDS as _WORDS
from sitrep.resolve.names import fold, name_key, strip_kind_words

__all__ = ["Gazetteer", "PlaceContext", "infer_context", "resolve_place"]

FUZZY_MIN = 90.0
MAJOR_CITY = 1_000_000
# Default preference when nothing in the text says which kind is meant.
_PRIMARY = 2  # the ranking tier of a primary spelling (alternates 1, villages and fuzzy 0)
_KIND_ORDER = {"base": 6, "border_crossing": 6, "prison": 6, "city": 5, "district": 4,
               "province": 3, "country": 2, "village": 1}  # fmt: skip
_SITE_KINDS = {"base", "border_crossing", "prison"}
#: a town this large and this many times larger than a homonym of the article's province
#: beats it unless the sentence names that province
_NOTABLE_TOWN = 15_000
_NOTABLE_RATIO = 4
_IN_SENTENCE = 2  # the weight of a province the sentence names (the article's: 1)
_SHADOWED = ("city", "district")  # units a province's bare name does not mean unless its capital
_MILITARY = re.compile(r"\b(air ?base|airfield|base|troops|forces|coalition|NATO|military|evacuat\w*|withdr\w*)\b", re.I)
_BORDER = re.compile(r"\b(border|crossing|customs|port|trade|transit)\b", re.I)

_DIRS = r"(?:north|south|east|west|central|north-?east|north-?west|south-?east|south-?west)"
_DIR_ADJ = {
    "north": "northern", "south": "southern", "east": "eastern", "west": "western",
    "northeast": "northeastern", "northwest": "northwestern", "southeast": "southeastern",
    "southwest": "southwestern", "central": "central",
}  # fmt: skip
_REGION_RE = re.compile(
    rf"^(?:the\s+)?((?:{_DIRS}(?:ern)?)(?:\s*(?:,|and|&)\s*(?:{_DIRS}(?:ern)?))*)\s+(?:of\s+)?(.+)$", re.I
)
_BUILDING_AFTER = re.compile(r"\s+(?:" + "|".join(_WORDS.list("building_nouns")) + r")\b", re.I)
_SOFT_WORDS = "|".join(_WORDS.list("soft_kind_words"))
_SOFT_KIND = re.compile(rf"^(?:the\s+)?(?:{_SOFT_WORDS})\b|\b(?:{_SOFT_WORDS})$", re.I)
_NISBA = frozenset(_WORDS.list("nisba_endings"))
_WORLD_REGIONS = {name_key(n): n for n in _WORDS.names("world_regions")}

# Hints read from the words right before / after the span.
_AFTER = [
    (re.compile(r"^\s*district\b", re.I), "district"),
    (re.compile(r"^\s*districts\b", re.I), "province"),
    (re.compile(r"^\s*(province|provincial)", re.I), "province"),
    (re.compile(r"^\s*(city|town)\b", re.I), "city"),
    (re.compile(r"^\s*(air ?base|airfield|air field|base)\b", re.I), "base"),
    (re.compile(r"^(\s*'s)?\s*governor", re.I), "province"),
    # 'Zaranj, the capital of Nimruz', 'Zaranc, the provincial center in Nimruz'
    (re.compile(r"^\s*,\s*(the\s+)?(provincial\s+)?(capital|cent(er|re))\s+(of|in)\b", re.I), "city"),
    (re.compile(r"^\s*,\s*(a|the)\s+(\w+\s+){0,3}(city|town)\b", re.I), "city"),
    (re.compile(r"^\s*(region|oblast)\b", re.I), "province"),  # 'the Sumy region': the oblast
]
_BEFORE = [
    (re.compile(r"\bdistrict\s+governor\s+of\s+$", re.I), "district"),
    (re.compile(r"\bdistricts,?\s+including\s+$", re.I), "district"),  # 'three districts including X'
    (re.compile(r"\b(?:a|one|another|\w+(?:st|nd|rd|th))\s+district\s+(?:in|of)\s+$", re.I), "province"),
    (re.compile(r"\bdistricts\s+(?:in|of)\s+$", re.I), "province"),
    (re.compile(r"\bdistrict\s+(?:of\s+)?$", re.I), "district"),
    (re.compile(r"\bprovinces?\s+of\s+$", re.I), "province"),
    (re.compile(r"\bgovernor\s+of\s+$", re.I), "province"),
    (re.compile(r"\b(city|town|outskirts|streets|gates|centre|center)\s+of\s+(the\s+)?$", re.I), "city"),
    # ('the settlement of Krasnyi Lyman': a settlement may be a town or a city, no hint)
    (re.compile(r"\b(?:village|hamlet)s?\s+of\s+$", re.I), "village"),  # 'the village of Peremoga',
    (re.compile(r"\bcapital\s+of\s+(the\s+)?$", re.I), "province"),
]


@dataclass(frozen=True, slots=True)
class PlaceContext:
    """What the article tells us beyond the sentence.

    ``focus_country`` biases candidates and limits fuzzy matching (settable by the user;
    default: the active conflict profile's; :func:`infer_context` infers it);
    ``article_places`` are names or Places mentioned elsewhere in the article (their
    provinces disambiguate homonyms).
    """

    focus_country: str | None = field(default_factory=lambda: active_profile().focus_country)
    article_places: tuple[str | Place, ...] = ()
    admin1_hints: frozenset[str] = field(default_factory=frozenset)  # province pcodes


def infer_context(names: Iterable[str], focus_country: str | None = None) -> PlaceContext:
    """A context for one article: its place names, and the most frequent country among them."""
    names = tuple(names)
    places = [p for p in (resolve_place(n, context=PlaceContext(focus_country=None)) for n in names) if p]
    countries = Counter(p.country for p in places if p.country)
    focus = focus_country or (countries.most_common(1)[0][0] if countries
                              else active_profile().focus_country)
    hints = frozenset(p.admin1_id for p in places if p.kind == "province" and p.admin1_id)
    return PlaceContext(focus_country=focus, article_places=tuple(places), admin1_hints=hints)


_RUSSIAN_ENDINGS = sorted(_WORDS.map("russian_endings").items(), key=lambda kv: -len(kv[0]))


def _villages_spelled(gaz: Gazetteer, key: str) -> list[Entry]:
    """The villages of this name key, or of its Ukrainian form when the key ends the Russian
    way ('Pavlovka in the Donetsk region': the codifier's Pavlivka)."""
    found = gaz.villages(key)
    if found:
        return found
    for russian, ukrainian in _RUSSIAN_ENDINGS:
        if key.endswith(russian):
            return gaz.villages(key[: -len(russian)] + ukrainian)
    return []


def resolve_place(text: str, *, sentence: str = "", context: PlaceContext | None = None) -> Place | None:
    """The Place ``text`` names in ``sentence``, or None when the gazetteer does not know it."""
    ctx = context or PlaceContext()
    gaz = Gazetteer.default()
    raw = re.sub(r"[’']s$", "", " ".join(text.split())).strip(" ,.;:()\"“”")
    if not raw:
        return None
    region = _region(raw, gaz)
    if region is not None:
        return region
    hints, strict = _context_hints(raw, sentence)
    primary, alternate = gaz.lookup(name_key(raw))  # whole span first: "Bagram air base"
    key = name_key(raw)
    if not primary:
        bare, kinds = strip_kind_words(raw)
        if not bare:
            return None
        if kinds:  # the span's own kind word ('Kabul province') outweighs the words around it
            hints, strict = set(kinds), set()
        if not _SOFT_KIND.search(raw):
            strict |= kinds & {"district", "province", "city"}
        key = name_key(bare)
        primary, alternate = gaz.lookup(key)
    ranked = [(e, _PRIMARY) for e in primary] + [(e, 1) for e in alternate]
    if ("village" in hints or not ranked) and ctx.focus_country == active_profile().focus_country:
        ranked += [(e, 0) for e in gaz.villages(key)]  # the focus country's only, and noisy
    if not ranked:
        ranked = [(e, 0) for e in _fuzzy(gaz, key, ctx.focus_country)]
    named = _sentence_admin1s(gaz, sentence) if sentence else ()
    if not named and not ranked and strict & {"district", "city"}:
        # 'Dawalabad district fell' in a story about Faryab: a unit named with its kind word
        # that the gazetteer does not spell so is a variant of one in the article's provinces
        named = _article_admin1s(gaz, ctx, frozenset())
    if named and (ranked or hints & {"district", "city"}) and not any(
            e.place.admin1_id in named for e, _t in ranked):
        # 'the Doab district in the eastern province of Nuristan': a unit named with its
        # province lies in that province; a spelling variant there beats a homonym elsewhere
        # (only for a name the gazetteer places elsewhere or a named unit: 'Taliban' is no
        # variant of 'Taloqan')
        # ('seized Bilogorivka' in a sentence about the Donetsk area: the village of that
        # name there, before a close spelling of another unit there)
        inside = [e for e in _villages_spelled(gaz, key) if e.place.admin1_id in named] \
            if ctx.focus_country == active_profile().focus_country else []
        ranked = [(e, 1) for e in inside or _in_province_variants(gaz, key, named)] + ranked
    placed = _placed_in_province(gaz, raw, sentence) if named and ctx.focus_country else None
    if placed in named:
        # 'clashing in Sanjan in Kapisa province': a name the sentence places in a province
        # of the story's country is no foreign city of that spelling (an alternate of Xianyang);
        # 'Novovoskresenske, Novohryhorivka and Petropavlivka in the Kherson region': nor a
        # namesake in another province, when one lies in that province
        ranked = [(e, t) for e, t in ranked if e.place.country == ctx.focus_country]
        ranked = [(e, t) for e, t in ranked if e.place.admin1_id == placed] or ranked
    if not ranked:
        return None
    if "district" in strict and not any(e.place.kind in ("district", "province") for e, _t in ranked):
        # 'the Banu district': news name a district after its centre town (Banu of Andarab;
        # not a province's name: 'two districts in Ghazni and Parwan' are no Parwan district);
        # 'the Shevchenkivskyi District in Kyiv': a city district (a section GeoNames files
        # under its city) in a province the sentence names is that city
        # ('Enjil district of Herat': Injil's town by an alternate spelling, in the named
        # province, is the seat of Injil district; an alternate elsewhere may be a section of
        # a far city)
        seats = [(d, t) for e, t in ranked if (t == _PRIMARY or e.place.admin1_id in named)
                 and (d := _seat_of(gaz, e)) is not None]
        quarters = [(e, t) for e, t in ranked if e.place.kind == "city" and t < _PRIMARY
                    and e.place.admin1_id in named and _seat_of(gaz, e) is None]
        # a reviewed town (sites_curated.csv) named as a district is the seat of a district
        # newer than the boundaries ('the TakhtaPul, Mianshen and Zherai districts')
        newer = [(e, t) for e, t in ranked if newer_district_seat(e.place)
                 and (not named or e.place.admin1_id in named)]
        if seats or quarters or newer:
            ranked, strict = seats or quarters or newer, strict | ({"city"} if not seats else set())
    if strict and not any(e.place.kind in strict for e, _t in ranked):
        return None  # "the Badghis district": no district of that name -> unknown, not the province
    admin1s = _admin1_context(gaz, sentence, ctx, frozenset(e.place.id for e, _t in ranked), raw)
    if admin1s and not any(e.place.admin1_id in admin1s for e, _t in ranked) \
            and ctx.focus_country == active_profile().focus_country:
        # every town of the name lies outside the story's provinces: a village of the name
        # inside one ('seized the small settlement of Vodiane' in a story about the Donetsk
        # region, whose Vodiane GeoNames lacks) is meant, not a namesake far away
        ranked += [(e, 0) for e in _villages_spelled(gaz, key) if e.place.admin1_id in admin1s]
    ranked = _weak_in_context(_far_homonyms_out(ranked, admin1s), admin1s)
    if admin1s and _names_a_building(raw, sentence):
        # 'the Gozar-e-Sayed Abad mosque' in a story about Kunduz: not Wardak's Saydabad
        ranked = [(e, t) for e, t in ranked if e.place.kind == "country" or e.place.admin1_id in admin1s]
    if not ranked:
        return None
    shadow = {e.place.id for e, tier in ranked if e.place.kind in _SHADOWED and not e.capital_of
              and e.place.kind not in hints and any(o.place.kind == "province" and t >= tier for o, t in ranked)}
    local = _local_weights(ranked, admin1s)
    # 'the village of X' means a listed village of the name: the only one, or one in the
    # story's provinces (of a dozen namesakes across the country none is more likely)
    listed = {e.place.id for e, _t in ranked if e.listed_village}
    fits = {v for v in listed if len(listed) == 1 or local.get(v, 0) > 0}
    # among namesakes in the story's provinces, the province the article names most often
    votes = _article_votes(gaz, ctx, frozenset(e.place.id for e, _t in ranked))
    support = {e.place.id: votes.get(e.place.admin1_id or "", 0) for e, _t in ranked if local.get(e.place.id, 0)}
    best, _tier = max(ranked, key=lambda et: _score(et[0], et[1], hints, sentence, ctx, local.get(et[0].place.id, 0),
                                                     et[0].place.id in shadow, et[0].place.id in fits,
                                                     support.get(et[0].place.id, 0)))
    return _district_for_town(best, ranked, hints).place


@functools.lru_cache(maxsize=4096)
def _span_pattern(span: str) -> re.Pattern[str]:
    """The span as a whole word sequence (compiled once per span: every place of every
    sentence asks for it twice)."""
    return re.compile(rf"(?<!\w){re.escape(span)}(?!\w)")


def _names_a_building(span: str, sentence: str) -> bool:
    """The span is the name of a building ('Sayed Abad mosque', 'Spin Boldak hospital')."""
    m = _span_pattern(span).search(sentence)
    return m is not None and _BUILDING_AFTER.match(sentence, m.end()) is not None


def _seat_of(gaz: Gazetteer, e: Entry) -> Entry | None:
    """The district whose centre town ``e`` is (the district row sits on its centre's point;
    a village placed approximately, on its community's centre, is no centre)."""
    p = e.place
    if p.kind != "city" or p.admin2_id is None or p.lat is None or p.geo_precision != 1:
        return None
    d = gaz.entry(p.admin2_id)
    return d if d is not None and d.place.kind == "district" and (d.place.lat, d.place.lon) == (p.lat, p.lon) else None


def _far_homonyms_out(ranked: list[tuple[Entry, int]], admin1s: dict[str, int]) -> list[tuple[Entry, int]]:
    """A village name borne by several small towns, none in a province the sentence or
    article names, is none of them: 'Pidlisne' in a story about Luhansk is neither the
    Kirovohrad nor the Mykolaiv village of that name (news name small places of the front
    they report on; the population of far homonyms says nothing); when one of them lies in
    such a province, the far ones are out. A notable town or a provincial capital keeps its
    place (:func:`_local_weights` weighs those)."""
    towns = [e for e, _t in ranked if e.place.kind == "city"]  # alternates too ('Yordaneshty')
    if not admin1s or len(towns) < 2 or any(e.population >= _NOTABLE_TOWN or e.capital_of for e in towns):
        return ranked
    near = [e for e in towns if e.place.admin1_id in admin1s]
    if near:
        # one of them lies in the story's provinces: that one, whichever spelling GeoNames
        # lists as primary ('Mykolayivka' is primary for an Odesa village only, an
        # alternate of the Luhansk one in a story about Luhansk)
        far = [e for e in towns if e not in near]
        return [(e, t) for e, t in ranked if e not in far]
    if any(e.place.admin1_id in admin1s for e, _t in ranked):
        return ranked
    return [(e, t) for e, t in ranked if e not in towns]


def _weak_in_context(ranked: list[tuple[Entry, int]], admin1s: dict[str, int]) -> list[tuple[Entry, int]]:
    """A weak candidate (a village, a fuzzy spelling: tier 0) only in a province the sentence
    or article names: the village list holds thousands of homonyms ('Charkhab' of Balkh in a
    story about Kunduz is another Charkhab) and a close spelling elsewhere is another place
    ('Ghani Khel' of Nangarhar is not 'Jani Khel' of Paktika). With no province in context
    any may do; a province or provincial capital always may. A named site (a hospital, a
    mosque) is a point inside one city: not when the sentence names other provinces only
    ('the Eid Gah mosque in Herat' is not Kabul's)."""
    named = {a for a, weight in admin1s.items() if weight == _IN_SENTENCE}
    return [(e, t) for e, t in ranked
            if (t > 0 or not admin1s or e.place.admin1_id in admin1s or _landmark(e))
            and (e.place.kind != "site" or not named or e.place.admin1_id in named)]


def _district_for_town(best: Entry, ranked: list[tuple[Entry, int]], hints: set[str]) -> Entry:
    """A bare district-centre name ("took Imam Sahib") means the district, not the town.

    Control is tracked per district, and ACLED codes such captures on the district; a
    provincial capital stays the town (it is a control unit of its own), and "the town
    of X" / "X city" keeps the town. Only a district whose bare name is one of its primary
    spellings: a gazetteer that lists it as an alternate only (the Ukrainian raions,
    "Izium Raion") says the bare name is the town, as ACLED codes Ukraine's settlements.
    """
    if best.place.kind != "city" or best.capital_of or "city" in hints:
        return best
    for e, tier in ranked:
        if e.place.kind == "district" and e.place.id == best.place.admin2_id and tier == _PRIMARY:
            return e
    return best


def _landmark(e: Entry) -> bool:
    """A province or a provincial capital: a close spelling of one ('Badakshan', 'Farrah') is
    that unit wherever the story is, not one of the thousands of village homonyms."""
    return e.place.kind == "province" or e.capital_of is not None


def _local_weights(ranked: list[tuple[Entry, int]], admin1s: dict[str, int]) -> dict[str, int]:
    """How strongly the context points to each candidate: 2 its province is named in the
    sentence, 1 in the article. A town of the article's province does not outweigh a
    homonym many times its size ('Lyman' in a story about the Kharkiv offensive is the
    Donetsk railway town of 20,000, not the Kharkiv village of 4,000): news name small
    places with their region. Only where both sizes are known (Afghan districts and many
    towns have none)."""
    out = {e.place.id: admin1s.get(e.place.admin1_id or "", 0) for e, _t in ranked if e.place.kind != "province"}
    towns = [e for e, t in ranked if e.place.kind == "city" and t == _PRIMARY]  # not an alternate's size
    big = max((e.population for e in towns), default=0)
    if big < _NOTABLE_TOWN:
        return out
    for e in towns:
        if out.get(e.place.id) == 1 and 0 < e.population * _NOTABLE_RATIO <= big:
            out[e.place.id] = 0
    return out


def _score(e: Entry, tier: int, hints: set[str], sentence: str, ctx: PlaceContext,
           local: int, shadowed: bool = False, village_fit: bool = False,
           support: int = 0) -> tuple[int | str, ...]:  # fmt: skip
    """Ranking key. ``shadowed``: a town or district that is not its province's capital but
    bears the province's name ('Baghlan', 'Balkh', 'Uruzgan'): news mean the province by the
    bare name, so the unit ranks below it unless a kind word names it ('Balkh district');
    a capital of the same name ('Kandahar') stays first. ``village_fit``: a village of the
    village list (whatever its kind) that a 'village' hint may mean. ``support``: how many
    of the article's places lie in the candidate's province (after ``local``)."""
    p = e.place
    kind_hit = p.kind in hints or ("base" in hints and p.kind in _SITE_KINDS) or ("village" in hints and village_fit)
    site_fit = 0
    if p.kind in _SITE_KINDS:
        fits = _MILITARY if p.kind in {"base", "prison"} else _BORDER
        site_fit = 1 if fits.search(sentence) or not sentence else -1
    focus = ctx.focus_country is not None and p.country == ctx.focus_country
    order = _KIND_ORDER.get(p.kind, 0)
    if site_fit < 0:
        order = 0  # "Bagram district" / "Bagram" without a military word: not the base
    # A world city of a million people beats a homonymous hamlet of the focus country
    # ("Mashhad" is the Iranian city, not the Badakhshan village).
    major = int(e.population >= MAJOR_CITY)
    return (int(kind_hit), tier, major, int(focus), -int(shadowed), local, support, order,
            int(e.capital_of is not None), e.population, p.id)  # fmt: skip


def _context_hints(span: str, sentence: str) -> tuple[set[str], set[str]]:
    """Kinds suggested by the words around the span, and those a noun attaches to it."""
    hints, strict = _context_kinds(span, sentence)
    return set(hints), set(strict)


@functools.lru_cache(maxsize=4096)
def _context_kinds(span: str, sentence: str) -> tuple[frozenset[str], frozenset[str]]:
    """:func:`_context_hints`, memoised (a sentence's places are resolved for the article's
    focus and again for each trigger: about two calls per distinct span and sentence)."""
    if not sentence:
        return frozenset(), frozenset()
    m = _span_pattern(span).search(sentence)
    if m is None:
        return frozenset(), frozenset()
    before, after = sentence[: m.start()], sentence[m.end() :]
    hints = {kind for rx, kind in _AFTER if rx.search(after)}
    strict = {kind for rx, kind in _AFTER[:4] if rx.search(after)}
    if _AFTER[1][0].search(after):
        strict.add("district")  # 'the Mianshen and Zherai districts', 'Malistan districts in Ghazni'
    for rx, kind in _BEFORE:
        if rx.search(before):
            hints.add(kind)
            break
    return frozenset(hints), frozenset(strict)


def _admin1_context(gaz: Gazetteer, sentence: str, ctx: PlaceContext,
                    candidates: frozenset[str] = frozenset(), span: str = "") -> dict[str, int]:
    """Province pcodes that the sentence (weight 2) or the article (weight 1) points to,
    and the province of the place an apposition locates the span by (weight 3: 'Mykolaivka,
    a village south-west of Lysychansk' lies in Lysychansk's oblast, whatever other
    provinces the sentence and article name).

    "Faizabad, the capital of Badakhshan province" names the province in the sentence; an
    article about Sheberghan and Jowzjan points any bare Fayzabad to Jowzjan's. The article's
    places that are ``candidates`` of the name being resolved do not count: the article's
    list holds every name read without context, so Wardak's Saydabad would vouch for itself
    in a story about Kunduz. Both parts are cached: every place in a sentence and every
    sentence of an article repeat them.
    """
    out = dict.fromkeys(_article_admin1s(gaz, ctx, candidates), 1)
    out.update(dict.fromkeys(_sentence_admin1s(gaz, sentence), _IN_SENTENCE))
    if span and sentence:
        out.update(dict.fromkeys(_apposed_admin1s(span, sentence, ctx.focus_country), _APPOSED))
    return out


_APPOSED = 3  # the weight of the province of the place an apposition locates the span by
#: 'X, a (small) village (20 km) south-west of Y', 'X, a town near Y', 'X, a settlement in
#: the Y district': the apposition's own reference place (a capitalised name after the
#: locating word, before any verb); compass words and a distance may come between
_APPOSITION = re.compile(
    r"\s*,\s*(?:a|an|the)\s+(?:[a-z-]+\s+){0,2}(?:village|town|settlement|city|hamlet|suburb)\s+"
    r"(?:(?:some\s+|about\s+)?\d+\s*(?:km|kilometres|kilometers|miles)\s+)?(?:(?:north|south|east|west)"
    r"[a-z-]*\s+)?(?:of|near|outside|from|in|close\s+to)\s+(?:the\s+)?([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)")


@functools.lru_cache(maxsize=4096)
def _apposed_admin1s(span: str, sentence: str, focus_country: str | None) -> tuple[str, ...]:
    """The province of the place an apposition after ``span`` locates it by (empty when
    there is none or it is no unit of the focus country)."""
    m = _span_pattern(span).search(sentence)
    hit = _APPOSITION.match(sentence, m.end()) if m is not None else None
    if hit is None or name_key(hit.group(1)) == name_key(span):
        return ()
    ref = resolve_place(hit.group(1), context=PlaceContext(focus_country=focus_country))
    if ref is None or ref.admin1_id is None or ref.kind in ("country", "region") or (
            focus_country is not None and ref.country != focus_country):
        return ()
    return (ref.admin1_id,)


#: 'X in (the northern) Kapisa province', 'X, in Kunduz province', 'X of Herat province',
#: 'X, Y and Z in the Kherson region' (a list placed as a whole): the name of the province
#: the span is said to lie in
_IN_PROVINCE = re.compile(r"(?:\s*(?:,|,?\s*and)\s+[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)*"
                          r"\s*,?\s*(?:in|of)\s+(?:the\s+)?(?:[a-z-]+\s+){0,2}"
                          r"([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)?)\s+(?:province|oblast|region)\b")


def _placed_in_province(gaz: Gazetteer, span: str, sentence: str) -> str | None:
    """The admin1 id of the province the words right after the span place it in (None
    when they place it nowhere)."""
    m = _span_pattern(span).search(sentence)
    hit = _IN_PROVINCE.match(sentence, m.end()) if m is not None else None
    if hit is None:
        return None
    return next((e.place.admin1_id for e in gaz.lookup(name_key(hit.group(1)))[0]
                 if e.place.kind == "province"), None)


@functools.lru_cache(maxsize=1024)
def _article_admin1s(gaz: Gazetteer, ctx: PlaceContext, candidates: frozenset[str]) -> tuple[str, ...]:
    return tuple(_article_votes(gaz, ctx, candidates))


@functools.lru_cache(maxsize=1024)
def _article_votes(gaz: Gazetteer, ctx: PlaceContext, candidates: frozenset[str]) -> dict[str, int]:
    """The provinces the article's places lie in, each with how many of its places name it
    (a story about Bakhmut names Donetsk oblast's towns five times, Zaporizhia once through
    an ambiguous village name)."""
    out = Counter(dict.fromkeys(ctx.admin1_hints, 1))
    for p in ctx.article_places:
        if isinstance(p, Place):
            if p.id in candidates:
                continue
            # a village is no clue to the article's provinces: it was itself read from the
            # village list's homonyms without one ('Charkhab' of Balkh would vouch for itself)
            if p.admin1_id and p.kind != "village" and p.country in active_profile().country_names:
                out[p.admin1_id] += 1
            continue
        for e in gaz.lookup(name_key(p))[0]:
            if e.place.kind == "province" and e.place.admin1_id:
                out[e.place.admin1_id] += 1
    return dict(out)


#: the kinds of place whose name in a sentence says which province it speaks of: a
#: province, and a region inside one ('the Donetsk People's Republic')
_NAMES_A_PROVINCE = ("province", "region")


@functools.lru_cache(maxsize=4096)
def _sentence_admin1s(gaz: Gazetteer, sentence: str) -> tuple[str, ...]:
    out: dict[str, int] = {}
    words = re.findall(r"[A-Z][\w'’-]+", sentence)
    for n in (1, 2):
        for i in range(len(words) - n + 1):
            for e in gaz.lookup(name_key(" ".join(words[i : i + n])))[0]:
                if e.place.kind in _NAMES_A_PROVINCE and e.place.admin1_id:
                    out[e.place.admin1_id] = 2
    return tuple(out)


def _fuzzy(gaz: Gazetteer, key: str, focus_country: str | None) -> list[Entry]:
    """Close spellings in the focus country only (a typo must not jump continents)."""
    return list(_fuzzy_cached(gaz, key, focus_country))


@functools.lru_cache(maxsize=8192)
def _fuzzy_cached(gaz: Gazetteer, key: str, focus_country: str | None) -> tuple[Entry, ...]:
    """:func:`_fuzzy`, memoised: rapidfuzz over every name of a country costs ~0.6 ms a call."""
    if len(key) < 5:
        return ()
    code = _country_code(gaz, focus_country)
    if code is None:
        return ()
    keys = _fuzzy_keys(gaz, code)
    hit = process.extractOne(key, keys, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN)
    if hit is None or hit[0] in key:
        # a country-wide close spelling that holds the known name ('Kandahari', 'Kunduzs') is
        # a word made from it, not a misspelling: without a province in the sentence that is
        # too weak a clue
        return ()
    return tuple(gaz.keys(country_code=code)[hit[0]])


def _extends(key: str, known: str) -> bool:
    """``key`` is a known name with a demonym ending: a nisba surname ('Kandahari',
    'Panjshiri', 'Uruzgani' of a police chief's name), not a spelling of the place ('Kaldara'
    is one of Kaldar)."""
    return key.startswith(known) and key[len(known):] in _NISBA


#: a spelling variant inside a province the sentence names may be this far off ('Doab' for
#: 'Duab', 'Moqor' for 'Muqur'): the province narrows the choice to a few dozen units
_IN_PROVINCE_MIN = 75.0
_UNIT_KINDS = ("district", "city")


@functools.lru_cache(maxsize=4096)
def _in_province_variants(gaz: Gazetteer, key: str, admin1s: tuple[str, ...]) -> tuple[Entry, ...]:
    """Districts and towns of the named provinces whose name is a close spelling of ``key``
    (same first letter; the closest spelling only)."""
    if len(key) < 4:
        return ()
    index = _unit_keys_by_admin1(gaz)
    names = sorted({pk for a in admin1s for pk in index.get(a, ()) if pk[1][:1] == key[:1]})
    units: dict[str, list[Entry]] = {}
    for _pos, k in names:  # in the order of gaz.keys(), as a scan of it gives them
        inside = [e for e in gaz.keys()[k] if e.place.admin1_id in admin1s and e.place.kind in _UNIT_KINDS]
        if inside:
            units[k] = inside
    hit = process.extractOne(key, list(units), scorer=fuzz.ratio, score_cutoff=_IN_PROVINCE_MIN)
    return tuple(units[hit[0]]) if hit is not None and not _extends(key, hit[0]) else ()


@functools.cache
def _unit_keys_by_admin1(gaz: Gazetteer) -> dict[str, list[tuple[int, str]]]:
    """Province pcode -> the (position in ``gaz.keys()``, key) of the names of its districts
    and towns: :func:`_in_province_variants` reads a few dozen keys instead of scanning all."""
    out: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for pos, (k, es) in enumerate(gaz.keys().items()):
        for a in {e.place.admin1_id for e in es if e.place.kind in _UNIT_KINDS and e.place.admin1_id}:
            out[a].append((pos, k))
    return dict(out)


_FUZZY_CACHE: dict[tuple[int, str], list[str]] = {}


def _fuzzy_keys(gaz: Gazetteer, code: str) -> list[str]:
    k = (id(gaz), code)
    if k not in _FUZZY_CACHE:
        _FUZZY_CACHE[k] = sorted(gaz.keys(country_code=code))
    return _FUZZY_CACHE[k]


def _country_code(gaz: Gazetteer, country: str | None) -> str | None:
    if country is None:
        return None
    theatre = active_profile().country(country)
    if theatre is not None:
        return theatre.iso2
    for e in gaz.lookup(name_key(country))[0]:
        if e.place.kind == "country":
            return e.country_code
    return None


def _region(raw: str, gaz: Gazetteer) -> Place | None:
    """'northern Afghanistan', 'North, South and East Afghanistan', 'Central Asia'."""
    key = name_key(raw)
    if key in _WORLD_REGIONS:
        name = _WORLD_REGIONS[key]
        return Place(id=f"region:{key.replace(' ', '-')}", name=name, kind="region", country=None)
    m = _REGION_RE.match(fold(raw))
    if m is None:
        return None
    country = next((e.place for e in gaz.lookup(name_key(m.group(2)))[0] if e.place.kind == "country"), None)
    if country is None:
        return None
    dirs = [d.lower().replace("-", "") for d in re.split(r"\s*(?:,|\band\b|&)\s*", m.group(1)) if d.strip()]
    adjs = [_DIR_ADJ.get(d.removesuffix("ern"), d) for d in dirs]
    label = adjs[0] if len(adjs) == 1 else ", ".join(adjs[:-1]) + " and " + adjs[-1]
    slug = "-".join(a.removesuffix("ern") for a in adjs)
    return Place(id=f"region:{country.id.split(':')[1].lower()}-{slug}", name=f"{label} {country.name}",
                 kind="region", country=country.name)  # fmt: skip
