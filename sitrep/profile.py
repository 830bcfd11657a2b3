"""Conflict profiles: everything theatre-specific, as data (issue 11; ``docs/profiles.md``).

A profile is a folder ``sitrep/data/profiles/<name>/`` (or any folder a user writes) with a
``profile.yaml`` and its data files; paths inside ``profile.yaml`` are relative to the
folder. It names the conflict's countries, the sides that hold ground and how a capture
hands a unit from one to another, the gazetteer, the actor book, the administrative
levels the control map tracks and the default dates. This module is the one place that
reads and checks a profile: every defect is a :class:`~sitrep.errors.ConfigError` naming
the file and the key.

Which profile a process uses (:func:`active_profile`): the one set by :func:`use_profile`
(the CLI's ``--profile``, ``sitrep.open(profile=...)``), else the ``SITREP_PROFILE``
environment variable, else :data:`DEFAULT_PROFILE`. A database records the profile it
was built with (:func:`bind_profile`), so later commands on it default to that profile and
a different one is a clear error.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from sitrep.errors import ConfigError
from sitrep.model import Actor
from sitrep.ontology import Sides, parse_sides
from sitrep.wordfile import DATA_DIR, read_yaml

__all__ = ["DEFAULT_PROFILE", "ENV_VAR", "PROFILES_DIR", "Country", "LevelName", "Profile",
           "active_profile", "available_profiles", "bind_profile", "load_profile",
           "requested_profile", "restoring_profile", "use_profile"]

PROFILES_DIR = DATA_DIR / "profiles"
#: the profile used when none is named (the 2021 Taliban offensive, sitrep's first theatre)
DEFAULT_PROFILE = "afghanistan-2021"
ENV_VAR = "SITREP_PROFILE"
FILE_NAME = "profile.yaml"

#: the control-unit levels of sitrep.model.UnitLevel a profile may name
UNIT_LEVELS = ("province", "district", "provincial_capital", "city", "border_crossing", "base")
#: the keys profile.yaml may have (anything else is a typo and an error)
_KEYS = {"name", "title", "description", "countries", "focus_country", "dates", "sides",
         "states", "captures", "gazetteer", "actors", "unit_levels", "map", "date_anchors",
         "news_anchors"}
_REQUIRED = ("name", "title", "countries", "focus_country", "sides", "gazetteer", "actors")
#: the gazetteer files a profile must ship (villages.csv and ruler_stoplist.txt are optional)
GAZETTEER_FILES = ("places.csv", "provinces.geojson", "districts.geojson")
_NAME = re.compile(r"[a-z0-9][a-z0-9_-]*")


@dataclass(frozen=True, slots=True)
class Country:
    """A country of the theatre: its name as the gazetteer writes it and its codes."""

    name: str
    iso2: str
    iso3: str = ""
    iso: int | None = None  # ISO 3166 numeric (ACLED's ``iso`` column)
    region: str = ""  # ACLED's region ("South Asia", "Europe")
    demonym: str = ""  # its adjective, "Afghan" as in "the Afghan government"


@dataclass(frozen=True, slots=True)
class LevelName:
    """How a profile names one control-unit level ('province' / 'oblast')."""

    label: str
    plural: str
    tracked: bool  # whether the control timeline tracks units of this level


@dataclass(frozen=True, eq=False)
class Profile:
    """One conflict theatre, checked (see ``docs/profiles.md`` for every key)."""

    name: str
    title: str
    folder: Path
    countries: tuple[Country, ...]
    focus_country: str
    date_start: dt.date | None
    date_end: dt.date | None
    sides: Sides
    default_loser: str | None
    default_rebel: str | None
    gazetteer: Path  # the folder of places.csv, provinces.geojson, districts.geojson...
    actors: tuple[Path, ...]  # actor books, merged in order
    unit_levels: Mapping[str, LevelName]
    map_center: tuple[float, float] | None = None  # (lat, lon)
    map_zoom: int | None = None
    description: str = ""
    #: historical reference dates the news names without a date ("since the invasion")
    date_anchors: tuple[Path, ...] = ()
    #: landmark events of the theatre that date undated copy at ingest ("the fall of Ghazni")
    news_anchors: tuple[Path, ...] = ()

    @property
    def path(self) -> Path:
        return self.folder / FILE_NAME

    @property
    def country_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.countries)

    @property
    def focus(self) -> Country:
        return next(c for c in self.countries if c.name == self.focus_country)

    def country(self, name: str | None) -> Country | None:
        """The theatre country of this name (None when it is not one)."""
        return next((c for c in self.countries if c.name == name), None)

    def side_of(self, actor: Actor | None) -> str | None:
        """The side key of an actor (``sides``), 'foreign' for a force of no theatre
        country (ACLED inter 8 too), or None (unknown, or a party that holds no ground:
        civilians). Name words first (the Taliban are an inter-2 group like any rebel
        group), then a foreign force, then the ACLED inter code. The one definition the
        control timeline and the extractor's withdrawal reading share."""
        if actor is None:
            return None
        side = self.sides.of_actor(actor.name, None)
        if side is not None:
            return side
        if actor.country not in (None, *self.country_names) or actor.inter == 8:
            return "foreign"
        return self.sides.of_actor("", actor.inter)

    @property
    def controllers(self) -> frozenset[str]:
        """Every value a control state's controller may take: side ids and states."""
        return frozenset({s.key for s in self.sides.sides} | set(self.sides.states))

    def check_controller(self, value: str) -> str:
        """``value`` when it is a side or state of this profile, else a ConfigError."""
        if value not in self.controllers:
            raise ConfigError(f"{self.path}: {value!r} is not a side or state of profile "
                              f"{self.name!r} (one of {sorted(self.controllers)})")
        return value

    def level_label(self, level: str, *, plural: bool = False) -> str:
        """The profile's word for a unit level ('district' -> 'raion')."""
        names = self.unit_levels.get(level)
        if names is None:
            return level.replace("_", " ")
        return names.plural if plural else names.label

    @property
    def tracked_levels(self) -> frozenset[str]:
        return frozenset(k for k, v in self.unit_levels.items() if v.tracked)

    def describe(self) -> dict[str, Any]:
        """A JSON-safe summary (the API's ``/profile``, the dashboard's legend)."""
        colours, labels = self.sides.colours(), self.sides.labels()
        return {
            "name": self.name, "title": self.title, "description": self.description,
            "focus_country": self.focus_country,
            "countries": [{"name": c.name, "iso2": c.iso2, "iso3": c.iso3, "iso": c.iso,
                           "region": c.region, "demonym": c.demonym} for c in self.countries],
            "dates": {"start": self.date_start.isoformat() if self.date_start else None,
                      "end": self.date_end.isoformat() if self.date_end else None},
            "controllers": [{"key": k, "label": labels[k], "colour": colours[k]}
                            for k in labels],
            "unit_levels": {k: {"label": v.label, "plural": v.plural, "tracked": v.tracked}
                            for k, v in self.unit_levels.items()},
            "map": {"center": list(self.map_center) if self.map_center else None,
                    "zoom": self.map_zoom},
        }


# ------------------------------------------------------------------ loading

def available_profiles() -> list[str]:
    """The names of the shipped profiles."""
    return sorted(p.parent.name for p in PROFILES_DIR.glob(f"*/{FILE_NAME}"))


def _locate(name_or_path: str | Path) -> Path:
    """The ``profile.yaml`` a name ('ukraine-2022') or a path (folder or file) stands for."""
    text = str(name_or_path).strip()
    if not text:
        raise ConfigError("profile: an empty name")
    path = Path(text).expanduser()
    looks_like_path = os.sep in text or "/" in text or text.endswith((".yaml", ".yml")) \
        or path.is_dir()
    if looks_like_path:
        file = path / FILE_NAME if path.is_dir() else path
        if not file.is_file():
            raise ConfigError(f"{file}: no such profile file (a profile is a folder holding "
                              f"{FILE_NAME})")
        return file.resolve()
    file = PROFILES_DIR / text / FILE_NAME
    if not file.is_file():
        raise ConfigError(f"unknown profile {text!r}; shipped profiles: "
                          f"{', '.join(available_profiles()) or 'none'} (or give a folder path)")
    return file.resolve()


def load_profile(name_or_path: str | Path | None = None) -> Profile:
    """The profile of this name (a folder under ``sitrep/data/profiles/``) or path (a
    folder holding ``profile.yaml``, or the file itself); None: :data:`DEFAULT_PROFILE`.
    Checked on load and cached per file."""
    return _load(_locate(name_or_path if name_or_path is not None else DEFAULT_PROFILE))


@functools.cache
def _load(file: Path) -> Profile:
    return parse_profile(read_yaml(file, "profile"), file)


def parse_profile(raw: Mapping[str, Any], file: Path) -> Profile:
    """Check and build a profile from the parsed ``profile.yaml`` at ``file``."""
    folder = file.parent

    def err(key: str, problem: str) -> ConfigError:
        return ConfigError(f"{file}: {key}: {problem}")

    unknown = sorted(set(raw) - _KEYS)
    if unknown:
        raise err(unknown[0], f"unknown key (known: {', '.join(sorted(_KEYS))})")
    for key in _REQUIRED:
        if raw.get(key) in (None, "", [], {}):
            raise err(key, "missing (required keys: " + ", ".join(_REQUIRED) + ")")
    name = _text(raw, "name", err)
    if not _NAME.fullmatch(name):
        raise err("name", f"{name!r}: lower-case letters, digits, '-' and '_' only")
    if folder.parent.resolve() == PROFILES_DIR.resolve() and folder.name != name:
        raise err("name", f"{name!r} differs from its folder name {folder.name!r}")
    countries = _countries(raw["countries"], err)
    focus = _text(raw, "focus_country", err)
    if focus not in {c.name for c in countries}:
        raise err("focus_country", f"{focus!r} is not one of the countries "
                                   f"{[c.name for c in countries]}")
    start, end = _dates(raw.get("dates"), err)
    sides = _sides(raw, folder, file, err)
    captures = raw.get("captures") or {}
    if not isinstance(captures, dict) or set(captures) - _CAPTURE_KEYS:
        raise err("captures", "a mapping of " + ", ".join(sorted(_CAPTURE_KEYS)))
    for key in ("default_loser", "default_rebel"):
        if captures.get(key) is not None and not isinstance(captures[key], str):
            raise err(f"captures.{key}", "an actor name or alias (text) or null")
    gazetteer = _folder_key(raw, "gazetteer", folder, err)
    for needed in GAZETTEER_FILES:
        if not (gazetteer / needed).is_file():
            raise err("gazetteer", f"{gazetteer / needed}: missing (a gazetteer folder holds "
                                   f"{', '.join(GAZETTEER_FILES)}; villages.csv optional)")
    actors = _files(raw["actors"], "actors", folder, err)
    date_anchors = _files(raw.get("date_anchors") or [], "date_anchors", folder, err)
    news_anchors = _files(raw.get("news_anchors") or [], "news_anchors", folder, err)
    center, zoom = _map(raw.get("map"), err)
    return Profile(
        name=name, title=_text(raw, "title", err), folder=folder, countries=countries,
        focus_country=focus, date_start=start, date_end=end, sides=sides,
        default_loser=captures.get("default_loser"), default_rebel=captures.get("default_rebel"),
        gazetteer=gazetteer, actors=actors, unit_levels=_levels(raw.get("unit_levels"), err),
        map_center=center, map_zoom=zoom, description=str(raw.get("description") or ""),
        date_anchors=date_anchors, news_anchors=news_anchors)


class _Err(Protocol):
    def __call__(self, key: str, problem: str) -> ConfigError: ...


def _text(raw: Mapping[str, Any], key: str, err: _Err) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise err(key, "a non-empty text")
    return value.strip()


_CAPTURE_KEYS = {"default_loser", "default_rebel", "foreign_hands_to", "regains", "disputed"}
_COUNTRY_KEYS = {"name", "iso2", "iso3", "iso", "region", "demonym"}


def _countries(raw: Any, err: _Err) -> tuple[Country, ...]:
    if not isinstance(raw, list) or not raw:
        raise err("countries", "a non-empty list of {name, iso2, iso3, iso, region, demonym}")
    out = []
    for i, c in enumerate(raw):
        where = f"countries[{i}]"
        if not isinstance(c, dict) or set(c) - _COUNTRY_KEYS:
            raise err(where, "a mapping of " + ", ".join(sorted(_COUNTRY_KEYS)))
        if not isinstance(c.get("name"), str) or not c["name"].strip():
            raise err(f"{where}.name", "the country's name as the gazetteer writes it")
        iso2, iso3 = str(c.get("iso2") or ""), str(c.get("iso3") or "")
        if not re.fullmatch(r"[A-Z]{2}", iso2):
            raise err(f"{where}.iso2", f"{iso2!r}: two capital letters (ISO 3166-1 alpha-2)")
        if iso3 and not re.fullmatch(r"[A-Z]{3}", iso3):
            raise err(f"{where}.iso3", f"{iso3!r}: three capital letters (ISO 3166-1 alpha-3)")
        iso = c.get("iso")
        if iso is not None and (not isinstance(iso, int) or isinstance(iso, bool)
                                or not 0 < iso < 1000):
            raise err(f"{where}.iso", f"{iso!r}: the ISO 3166-1 numeric code (1..999)")
        out.append(Country(c["name"].strip(), iso2, iso3, iso, str(c.get("region") or ""),
                           str(c.get("demonym") or "")))
    if len({c.name for c in out}) != len(out):
        raise err("countries", "a country is listed twice")
    return tuple(out)


def _date(value: Any, key: str, err: _Err) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise err(key, f"{value!r} is not a date (YYYY-MM-DD)") from None


def _dates(raw: Any, err: _Err) -> tuple[dt.date | None, dt.date | None]:
    if raw is None:
        return None, None
    if not isinstance(raw, dict) or set(raw) - {"start", "end"}:
        raise err("dates", "a mapping {start: YYYY-MM-DD, end: YYYY-MM-DD}")
    start, end = _date(raw.get("start"), "dates.start", err), _date(raw.get("end"), "dates.end", err)
    if start and end and end < start:
        raise err("dates", f"end {end} is before start {start}")
    return start, end


def _sides(raw: Mapping[str, Any], folder: Path, file: Path, err: _Err) -> Sides:
    """``sides``: a file in the sides.yaml schema (sides, states, foreign_hands_to), or
    the side mapping itself, with ``states`` and ``captures.foreign_hands_to`` beside it."""
    spec = raw["sides"]
    captures: dict[str, Any] = raw["captures"] if isinstance(raw.get("captures"), dict) else {}
    if isinstance(spec, str):
        if raw.get("states") is not None \
                or set(captures) & {"foreign_hands_to", "regains", "disputed"}:
            raise err("sides", "a sides file already holds states, foreign_hands_to, "
                               "regains and disputed; do not repeat them in profile.yaml")
        path = (folder / spec).resolve()
        data = read_yaml(path, "sides file")
        where = str(path)
    elif isinstance(spec, dict):
        data = {"sides": spec, "states": raw.get("states") or _DEFAULT_STATES,
                "foreign_hands_to": captures.get("foreign_hands_to"),
                "regains": captures.get("regains"), "disputed": captures.get("disputed")}
        where = f"{file}: sides"
    else:
        raise err("sides", "a sides file (path) or a mapping side id -> {label, colour, ...}")
    return parse_sides(data, where)


_DEFAULT_STATES = {"contested": {"label": "Contested", "colour": "#f39c12"},
                   "unconfirmed": {"label": "Unconfirmed", "colour": "#b9a3c9"}}


def _folder_key(raw: Mapping[str, Any], key: str, folder: Path, err: _Err) -> Path:
    value = raw.get(key)
    if not isinstance(value, str):
        raise err(key, "a folder path relative to the profile folder")
    path = (folder / value).resolve()
    if not path.is_dir():
        raise err(key, f"{path}: no such folder")
    return path


def _files(raw: Any, key: str, folder: Path, err: _Err) -> tuple[Path, ...]:
    """A file or a list of files (relative to the profile folder), each existing."""
    values = [raw] if isinstance(raw, str) else raw
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise err(key, "a file, or a list of files read in order")
    out = []
    for v in values:
        path = (folder / v).resolve()
        if not path.is_file():
            raise err(key, f"{path}: no such file")
        out.append(path)
    return tuple(out)


_LEVEL_DEFAULTS = {
    "province": ("province", "provinces", True), "district": ("district", "districts", True),
    "provincial_capital": ("provincial capital", "provincial capitals", True),
    "city": ("town", "towns", True), "border_crossing": ("border crossing", "border crossings", True),
    "base": ("base", "bases", True),
}


def _levels(raw: Any, err: _Err) -> dict[str, LevelName]:
    """``unit_levels``: per level of :data:`UNIT_LEVELS`, {label, plural, tracked}; a level
    left out keeps its default (every level tracked; a province changes hands only when a
    report names the province itself as what was taken, see :mod:`sitrep.control`)."""
    raw = raw or {}
    if not isinstance(raw, dict):
        raise err("unit_levels", "a mapping level -> {label, plural, tracked}")
    out = {k: LevelName(*v) for k, v in _LEVEL_DEFAULTS.items()}
    for level, spec in raw.items():
        where = f"unit_levels.{level}"
        if level not in UNIT_LEVELS:
            raise err(where, f"unknown level (one of {', '.join(UNIT_LEVELS)})")
        if not isinstance(spec, dict) or set(spec) - {"label", "plural", "tracked"}:
            raise err(where, "a mapping {label, plural, tracked}")
        label = spec.get("label", out[level].label)
        plural = spec.get("plural", label + "s" if "label" in spec else out[level].plural)
        tracked = spec.get("tracked", out[level].tracked)
        if not isinstance(label, str) or not isinstance(plural, str) or not isinstance(tracked, bool):
            raise err(where, "label and plural are text, tracked is true or false")
        out[level] = LevelName(label, plural, tracked)
    return out


def _map(raw: Any, err: _Err) -> tuple[tuple[float, float] | None, int | None]:
    if raw is None:
        return None, None
    if not isinstance(raw, dict) or set(raw) - {"center", "zoom"}:
        raise err("map", "a mapping {center: [lat, lon], zoom: N}")
    center = raw.get("center")
    if center is not None and not (isinstance(center, list) and len(center) == 2
                                   and all(isinstance(x, int | float) for x in center)
                                   and -90 <= center[0] <= 90 and -180 <= center[1] <= 180):
        raise err("map.center", f"{center!r}: [latitude, longitude]")
    zoom = raw.get("zoom")
    if zoom is not None and (not isinstance(zoom, int) or not 1 <= zoom <= 18):
        raise err("map.zoom", f"{zoom!r}: a zoom level 1..18")
    return (tuple(center) if center else None), zoom  # type: ignore[return-value]


# ------------------------------------------------------------------ the active profile

_ACTIVE: list[Profile] = []


def requested_profile() -> str | None:
    """The profile named by ``SITREP_PROFILE`` (None when unset)."""
    return os.environ.get(ENV_VAR, "").strip() or None


def active_profile() -> Profile:
    """The profile this process works with: :func:`use_profile`'s, else ``SITREP_PROFILE``'s,
    else :data:`DEFAULT_PROFILE`."""
    if _ACTIVE:
        return _ACTIVE[0]
    return _named(requested_profile())


@functools.lru_cache(maxsize=8)
def _named(name: str | None) -> Profile:
    """:func:`load_profile` without the file-system look-up on every call (the stages ask
    for the active profile per place and per event)."""
    return load_profile(name)


def use_profile(profile: str | Path | Profile | None) -> Profile:
    """Make ``profile`` (a Profile, name or path; None: the environment's or the default)
    the process's active profile and return it."""
    p = profile if isinstance(profile, Profile) else load_profile(
        profile if profile is not None else requested_profile())
    _ACTIVE[:] = [p]
    return p


@contextlib.contextmanager
def restoring_profile() -> Iterator[None]:
    """Whatever profile the body makes active (a bench set's, a test's), the process's
    active profile afterwards is the one it had before."""
    before = list(_ACTIVE)
    try:
        yield
    finally:
        _ACTIVE[:] = before


class _Settings(Protocol):
    """What :func:`bind_profile` needs of a store (``sitrep.store.Store``)."""

    def get_setting(self, key: str) -> str | None: ...
    def set_setting(self, key: str, value: str) -> None: ...


_SETTING, _SETTING_PATH = "profile", "profile_path"


def bind_profile(store: _Settings, requested: str | Path | None = None, *,
                 record: bool = True) -> Profile:
    """The profile to use with ``store``, made active.

    ``requested`` (``--profile``), else ``SITREP_PROFILE``, else the one the database
    records, else the default. A database built with another profile is an error (its
    events are of another theatre). With ``record``, a database that records none
    records the chosen one (a writing command: run, ingest)."""
    asked = requested if requested is not None else requested_profile()
    stored = store.get_setting(_SETTING)
    if asked is not None:
        profile = load_profile(asked)
        if stored is not None and stored != profile.name:
            raise ConfigError(
                f"the database was built with profile {stored!r}, not {profile.name!r}; "
                f"use --profile {stored} (or another --db for the {profile.name} theatre)")
    elif stored is not None:
        profile = _stored(stored, store.get_setting(_SETTING_PATH))
    else:
        profile = load_profile(None)
    if record and stored is None:
        store.set_setting(_SETTING, profile.name)
        store.set_setting(_SETTING_PATH, str(profile.folder))
    return use_profile(profile)


def _stored(name: str, folder: str | None) -> Profile:
    """The profile a database records: the shipped one of that name, else its folder."""
    if (PROFILES_DIR / name / FILE_NAME).is_file():
        return load_profile(name)
    if folder and (Path(folder) / FILE_NAME).is_file():
        return load_profile(Path(folder))
    raise ConfigError(f"the database was built with profile {name!r}, which is neither "
                      f"shipped nor at {folder}; pass --profile PATH to its folder")
