"""Stage `entities` (source `actors`): the curated actor dictionary and its matcher.

The dictionary is data: every YAML file in `marsad/resources/actors/` plus the user's
own files in the same format (see that folder's README.md), given to
`ActorDictionary.load(extra_paths=...)` or named in the environment variable
`MARSAD_ACTORS_PATH` (files or folders, separated by `os.pathsep`).

Matching runs on the shadow text with one Aho-Corasick automaton over the normalised
names and aliases.  A match may carry Arabic proclitics (و ف ب ل ك and their sequences,
read from `resources/text/clitics.yaml`; ل + ال written لل as in للمرصد), which stay
outside the returned span, and must otherwise sit on word boundaries.  Where matches
overlap the longest wins.  Nationality adjectives after a military noun ("قصف روسي",
"المجموعة العسكرية الروسية") name a country's state forces; `find_nationalities`
returns the adjective alone as the span.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import ahocorasick
import numpy as np
import yaml

from marsad.context import active
from marsad.document import CandidateSpan, Document, ShadowText
from marsad.errors import MissingResourceError, ResourceFileError
from marsad.resources import load_yaml, resource_path
from marsad.text.normalize import build_shadow, normalize_key

ACLED_CATEGORIES: tuple[str, ...] = (
    "State forces", "Rebel groups", "Political militias", "Identity militias",
    "Rioters", "Protesters", "Civilians", "External/Other forces",
)
ACTOR_TYPES: tuple[str, ...] = ("ORG", "PERSON")
ENV_VAR = "MARSAD_ACTORS_PATH"
SHIPPED_DIR = "actors"

_ID = re.compile(r"^[a-z0-9][a-z0-9_]*$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")
_PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufeff]")
_ARABIC_WORD = re.compile(r"[\u0621-\u064A\u0671-\u06D3]+")
_SPACES = re.compile(r"\s+")
_LINE_BREAK_RUN = re.compile(r"\s*\n\s*")
_LONG_RUN = re.compile(r"\s{2,}")
_BLANKS = re.compile(r"[^\S\n]+")
_ACTOR_FIELDS = frozenset(
    {"id", "name", "name_en", "type", "category", "country", "kind", "aliases", "short_forms"})
_REQUIRED_FIELDS = ("id", "name", "type", "category")
_DOCUMENT_KEYS = frozenset(
    {"defaults", "actors", "nationalities", "military_nouns", "modifiers", "blockers"})
_MIN_KEY = 2
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: 10x faster
_MAX_SKIPPED = 3  # modifier words allowed between a military noun and a nationality


@dataclass(frozen=True, slots=True)
class Actor:
    """One actor of the dictionary."""

    id: str
    name: str
    name_en: str | None
    type: str
    category: str
    country: str | None
    kind: str | None = None
    aliases: tuple[str, ...] = ()
    short_forms: tuple[str, ...] = ()
    source: str = ""  # the file it came from

    @property
    def surface_forms(self) -> tuple[str, ...]:
        """The name and every alias, in order, without repeats."""
        return tuple(dict.fromkeys((self.name, *self.aliases)))


@dataclass(frozen=True, slots=True)
class Nationality:
    """The adjectives of one country and the state-forces actor they denote."""

    country: str
    actor: str
    forms: tuple[str, ...]
    source: str = ""


@dataclass(slots=True)
class _Hit:
    start: int  # compact-text offsets, proclitics excluded
    end: int
    payload: Any


@dataclass(slots=True)
class _Compact:
    """The shadow text with each whitespace run made one space (or one line break when it
    holds one), and the way back to shadow offsets."""

    text: str
    to_shadow: list[int]  # compact index → shadow index (one extra entry for the end)

    @classmethod
    def of(cls, shadow: ShadowText) -> _Compact:
        text = shadow.text
        # each whitespace run becomes its first character's slot: "\n" if it holds one
        compact = _BLANKS.sub(" ", _LINE_BREAK_RUN.sub("\n", text))
        inside_run = np.zeros(len(text) + 1, dtype=np.int64)
        for match in _LONG_RUN.finditer(text):
            inside_run[match.start() + 1] += 1
            inside_run[match.end()] -= 1
        kept = np.flatnonzero(np.cumsum(inside_run[:len(text)]) == 0).tolist()
        return cls(compact, [*kept, len(text)])

    def original(self, shadow: ShadowText, start: int, end: int) -> tuple[int, int]:
        s = self.to_shadow[start]
        e = self.to_shadow[end - 1] + 1 if end > start else s
        return shadow.to_original(s, e)


class _Matcher:
    """Clitic-aware, longest-match-first search for normalised keys."""

    def __init__(self, keys: dict[str, Any], plain: frozenset[str], lam_al: frozenset[str]):
        self._plain = plain
        self._lam_al = lam_al
        self._automaton: ahocorasick.Automaton | None = None
        table: dict[str, list[tuple[int, Any, bool]]] = {}
        for key, payload in keys.items():
            table.setdefault(key, []).append((len(key), payload, False))
            if key.startswith("ال") and len(key) > 3:
                # ل + ال is written لل: "للمرصد" holds "لمرصد" after the proclitic ل
                table.setdefault(key[1:], []).append((len(key) - 1, payload, True))
        if table:
            automaton = ahocorasick.Automaton()
            for key, values in table.items():
                automaton.add_word(key, tuple(values))
            automaton.make_automaton()
            self._automaton = automaton

    def search(self, text: str) -> list[_Hit]:
        if self._automaton is None:
            return []
        hits: list[_Hit] = []
        for last, values in self._automaton.iter(text):
            end = last + 1
            if end < len(text) and text[end].isalnum():
                continue
            for length, payload, lam_al in values:
                start = end - length
                if self._left_ok(text, start, lam_al):
                    hits.append(_Hit(start, end, payload))
                    break
        return _longest(hits)

    def _left_ok(self, text: str, start: int, lam_al: bool) -> bool:
        i = start
        while i > 0 and text[i - 1].isalnum() and start - i < 4:
            i -= 1
        if i > 0 and text[i - 1].isalnum():
            return False
        prefix = text[i:start]
        if lam_al:
            return prefix in self._lam_al
        return prefix == "" or prefix in self._plain


def _longest(hits: list[_Hit]) -> list[_Hit]:
    """Keep non-overlapping hits: longer first, then earlier."""
    hits.sort(key=lambda h: (-(h.end - h.start), h.start))
    kept: list[_Hit] = []
    taken: set[int] = set()
    for hit in hits:
        if any(k in taken for k in range(hit.start, hit.end)):
            continue
        taken.update(range(hit.start, hit.end))
        kept.append(hit)
    kept.sort(key=lambda h: h.start)
    return kept


@dataclass
class _Raw:
    """What the files held, before the dictionary is built."""

    actors: dict[str, Actor] = field(default_factory=dict)
    nationalities: list[Nationality] = field(default_factory=list)
    military_nouns: list[str] = field(default_factory=list)
    modifiers: list[str] = field(default_factory=list)
    blockers: list[str] = field(default_factory=list)


class ActorDictionary:
    """Actors by id, with matchers for their names, short forms and nationality adjectives."""

    def __init__(self, actors: Iterable[Actor], nationalities: Iterable[Nationality] = (),
                 military_nouns: Iterable[str] = (), modifiers: Iterable[str] = (),
                 blockers: Iterable[str] = ()):
        self._actors: dict[str, Actor] = {}
        for actor in actors:
            self._actors[actor.id] = actor
        self._nationalities = tuple(nationalities)
        self._military_nouns = tuple(military_nouns)
        self._modifiers = tuple(modifiers)
        self._blockers = tuple(blockers)
        self._alias_index = self._build_alias_index()
        self._nationality_index = self._build_nationality_index()
        self._matcher: _Matcher | None = None
        self._short_matcher: _Matcher | None = None
        self._nouns: dict[str, list[tuple[str, ...]]] | None = None
        self._single_nouns: frozenset[str] | None = None
        self._modifier_keys: frozenset[str] | None = None
        self._last: tuple[ShadowText, str, _Compact, tuple[CandidateSpan, ...]] | None = None

    # ------------------------------------------------------------ loading

    @classmethod
    def load(cls, extra_paths: list[Path] | None = None, *,
             include_shipped: bool = True, environment: bool = True) -> ActorDictionary:
        """Every shipped YAML file, then `MARSAD_ACTORS_PATH` (unless `environment` is
        False, as for an `Analyzer`, which takes its paths as options), then `extra_paths`.

        A later entry with an id already loaded replaces the earlier one, so a user file
        can correct a shipped actor.  Malformed data raises `ResourceFileError` (a
        ValueError) naming the file and line; a missing path `MissingResourceError`.
        """
        files: list[Path] = []
        if include_shipped:
            files += _yaml_files(resource_path(SHIPPED_DIR))
        env = os.environ.get(ENV_VAR, "") if environment else ""
        for part in env.split(os.pathsep):
            if part.strip():
                files += _expand(Path(part.strip()), f"{ENV_VAR} entry")
        for path in extra_paths or []:
            files += _expand(Path(path), "extra path")
        raw = _Raw()
        for path in files:
            _read_file(path, raw)
        return cls(raw.actors.values(), raw.nationalities, raw.military_nouns,
                   raw.modifiers, raw.blockers)

    def _build_alias_index(self) -> dict[str, str]:
        index: dict[str, str] = {}
        for actor in self._actors.values():
            for form in actor.surface_forms:
                key = _key(form)
                other = index.get(key)
                if other is not None and other != actor.id:
                    first = self._actors[other]
                    raise ResourceFileError(
                        actor.source, _line_containing(actor.source, form),
                        f"actor {actor.id!r}: alias {form!r} is already an alias "
                        f"of actor {other!r} ({first.source}); an alias may name one actor only")
                index[key] = actor.id
        return index

    def _build_nationality_index(self) -> dict[str, Nationality]:
        index: dict[str, Nationality] = {}
        for nat in self._nationalities:
            if nat.actor not in self._actors:
                raise ResourceFileError(nat.source, _line_containing(nat.source, nat.actor),
                                        f"nationality {nat.country}: unknown actor {nat.actor!r}")
            for form in nat.forms:
                key = _key(form)
                other = index.get(key)
                if other is not None and other.country != nat.country:
                    raise ResourceFileError(nat.source, _line_containing(nat.source, form),
                                            f"nationality {nat.country}: form {form!r} "
                                            f"already belongs to {other.country}")
                index[key] = nat
        return index

    # ------------------------------------------------------------ lookups

    def get(self, actor_id: str) -> Actor:
        try:
            return self._actors[actor_id]
        except KeyError:
            raise KeyError(f"no actor with id {actor_id!r}") from None

    def __contains__(self, actor_id: object) -> bool:
        return actor_id in self._actors

    def __len__(self) -> int:
        return len(self._actors)

    def __iter__(self) -> Iterator[Actor]:
        return iter(self._actors.values())

    @property
    def nationalities(self) -> tuple[Nationality, ...]:
        return self._nationalities

    @property
    def military_nouns(self) -> tuple[str, ...]:
        return self._military_nouns

    def lookup(self, surface: str) -> Actor | None:
        """The actor whose name or alias is `surface` (any spelling the shadow unifies)."""
        actor_id = self._alias_index.get(_key(surface))
        return self._actors[actor_id] if actor_id else None

    def alias_index(self) -> dict[str, str]:
        """Normalised name or alias → actor id."""
        return dict(self._alias_index)

    def short_form_index(self) -> dict[str, tuple[str, ...]]:
        """Normalised short form → the ids of every actor that has it, in load order."""
        index: dict[str, list[str]] = {}
        for actor in self._actors.values():
            for form in actor.short_forms:
                ids = index.setdefault(_key(form), [])
                if actor.id not in ids:
                    ids.append(actor.id)
        return {form: tuple(ids) for form, ids in index.items()}

    def nationality_of(self, adjective: str) -> Nationality | None:
        """The country whose adjective `adjective` is ("الروسية" → RU)."""
        return self._nationality_index.get(_key(adjective))

    # ------------------------------------------------------------ matching

    def find(self, doc: Document) -> list[CandidateSpan]:
        """Names and aliases of actors in `doc`, proclitics outside the spans."""
        _, _, found = self._prepare(doc)
        return [replace(c) for c in found]  # copies: the cached ones stay as found

    def _prepare(self, doc: Document) -> tuple[ShadowText, _Compact, tuple[CandidateSpan, ...]]:
        """The shadow, its compact form and the name matches; the last document's are kept."""
        shadow = _shadow(doc)
        cached = self._last
        if cached is not None and cached[0] is shadow and cached[1] == shadow.text:
            return cached[0], cached[2], cached[3]
        compact = _Compact.of(shadow)
        found = tuple(self._find(shadow, compact))
        self._last = (shadow, shadow.text, compact, found)
        return shadow, compact, found

    def _find(self, shadow: ShadowText, compact: _Compact) -> list[CandidateSpan]:
        found = []
        for hit in self._name_matcher().search(compact.text):
            if hit.payload is None:
                continue  # a blocker phrase: longer than any alias inside it
            actor = self._actors[hit.payload]
            start, end = compact.original(shadow, hit.start, hit.end)
            found.append(CandidateSpan(start, end, actor.type, "dictionary",  # type: ignore[arg-type]
                                       key=actor.id))
        return found

    def find_short_forms(self, doc: Document,
                         actor_ids: Iterable[str] | None = None) -> list[CandidateSpan]:
        """Every short form ("التنظيم", "المرصد") outside a full name, one span per actor.

        The caller decides which apply (only after the full actor was named); `actor_ids`
        limits the search to those actors.
        """
        wanted = set(actor_ids) if actor_ids is not None else None
        shadow, compact, names_found = self._prepare(doc)
        names = [(c.start, c.end) for c in names_found]
        found = []
        for hit in self._short_form_matcher().search(compact.text):
            start, end = compact.original(shadow, hit.start, hit.end)
            if any(s < end and start < e for s, e in names):
                continue
            for actor_id in hit.payload:
                if wanted is None or actor_id in wanted:
                    actor = self._actors[actor_id]
                    found.append(CandidateSpan(start, end, actor.type,  # type: ignore[arg-type]
                                               "short_form", key=actor_id, score=0.7))
        return found

    def find_nationalities(self, doc: Document) -> list[CandidateSpan]:
        """Nationality adjectives after a military noun, as the country's state forces.

        The span is the adjective alone ("الروسية" in "المجموعة العسكرية الروسية").  Up to
        three listed modifier words may stand between noun and adjective ("طائرات يعتقد
        أنها روسية").  An adjective inside a dictionary name ("الجيش السوري الحر") is
        left to that name.
        """
        if not self._nationality_index:
            return []
        shadow, compact, names_found = self._prepare(doc)
        names = [(c.start, c.end) for c in names_found]
        words = [(m.start(), m.end(), m.group()) for m in _ARABIC_WORD.finditer(compact.text)]
        found = []
        for i, (w_start, w_end, word) in enumerate(words):
            nat = self._nationality_index.get(word)
            if nat is None or not self._after_military_noun(compact.text, words, i):
                continue
            start, end = compact.original(shadow, w_start, w_end)
            if any(s < end and start < e for s, e in names):
                continue
            actor = self._actors[nat.actor]
            found.append(CandidateSpan(start, end, actor.type, "nationality",  # type: ignore[arg-type]
                                       key=actor.id, score=0.9))
        return found

    def _after_military_noun(self, text: str, words: list[tuple[int, int, str]], i: int) -> bool:
        nouns = self._noun_table()
        modifiers = self._modifier_set()
        j = i - 1
        skipped = 0
        while j >= 0 and text[words[j][1]:words[j + 1][0]] == " ":
            if self._noun_ends_at(text, words, j, nouns):
                return True
            word = words[j][2]
            skippable = word in modifiers or word in self._nationality_index
            if not skippable or skipped >= _MAX_SKIPPED:
                return False
            skipped += 1
            j -= 1
        return False

    def _noun_ends_at(self, text: str, words: list[tuple[int, int, str]], j: int,
                      nouns: dict[str, list[tuple[str, ...]]]) -> bool:
        if _has_clitic_form(words[j][2], self._one_word_nouns()):
            return True
        for noun in nouns.get(words[j][2], []):
            n = len(noun)
            first = j - n + 1
            if first < 0:
                continue
            if any(text[words[k][1]:words[k + 1][0]] != " " for k in range(first, j)):
                continue
            if any(words[first + k][2] != noun[k] for k in range(1, n)):
                continue
            if _has_clitic_form(words[first][2], frozenset(noun[:1])):
                return True
        return False

    def _one_word_nouns(self) -> frozenset[str]:
        if self._single_nouns is None:
            self._single_nouns = frozenset(parts[0] for parts in self._noun_table().get("", []))
        return self._single_nouns

    def _modifier_set(self) -> frozenset[str]:
        if self._modifier_keys is None:
            self._modifier_keys = frozenset(_key(m) for m in self._modifiers)
        return self._modifier_keys

    def _noun_table(self) -> dict[str, list[tuple[str, ...]]]:
        """Military nouns by their last word; a one-word noun may carry a proclitic."""
        if self._nouns is None:
            table: dict[str, list[tuple[str, ...]]] = {}
            for noun in self._military_nouns:
                parts = tuple(_key(noun).split(" "))
                # the last word of a one-word noun may carry proclitics: index it under ""
                last = parts[-1] if len(parts) > 1 else ""
                table.setdefault(last, []).append(parts)
            self._nouns = table
        return self._nouns

    def _name_matcher(self) -> _Matcher:
        if self._matcher is None:
            keys: dict[str, Any] = {_key(b): None for b in self._blockers}
            keys.update(self._alias_index)
            plain, lam_al = _proclitics()
            self._matcher = _Matcher(keys, plain, lam_al)
        return self._matcher

    def _short_form_matcher(self) -> _Matcher:
        if self._short_matcher is None:
            plain, lam_al = _proclitics()
            self._short_matcher = _Matcher(self.short_form_index(), plain, lam_al)
        return self._short_matcher


def _has_clitic_form(word: str, nouns: frozenset[str]) -> bool:
    """Whether `word` is one of `nouns`, alone or with proclitics ("بقصف" for "قصف",
    "للقوات" for "القوات"), found by splitting off the few possible proclitics."""
    if word in nouns:
        return True
    plain, lam_al = _proclitics()
    for cut in range(1, min(len(word), _longest_proclitic() + 1)):
        prefix, rest = word[:cut], word[cut:]
        if prefix in plain and rest in nouns:
            return True
        if prefix in lam_al and rest.startswith("ل") and "ا" + rest in nouns:
            return True
    return False


@lru_cache(maxsize=1)
def _longest_proclitic() -> int:
    return max(map(len, frozenset().union(*_proclitics())))


@lru_cache(maxsize=1)
def _proclitics() -> tuple[frozenset[str], frozenset[str]]:
    """Proclitic sequences that may precede a name, and those that end in the ل of لل."""
    clitics = load_yaml("text/clitics.yaml")
    plain = frozenset(p for p in clitics["proclitics"] if "س" not in p)  # س precedes verbs
    lam_al = frozenset(p[:-1] for p in clitics["lam_al"])
    return plain, lam_al


def _shadow(doc: Document) -> ShadowText:
    return doc.shadow if doc.shadow is not None else build_shadow(doc.text)


def _key(text: str) -> str:
    return _SPACES.sub(" ", normalize_key(text))


# ---------------------------------------------------------------- reading files

def _yaml_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def _expand(path: Path, what: str) -> list[Path]:
    if path.is_dir():
        return _yaml_files(path)
    if path.is_file():
        return [path]
    raise MissingResourceError(f"actor dictionary {what} {str(path)!r} does not exist",
                               subject=str(path))


def _read_file(path: Path, raw: _Raw) -> None:
    """Add one YAML file's actors to `raw`; a malformed file raises `ResourceFileError`
    naming the file and the line of the offending entry."""
    try:
        with open(path, encoding="utf-8") as handle:
            documents = list(yaml.load_all(handle, Loader=_LOADER))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        problem = " ".join(str(getattr(exc, "problem", None) or exc).split())
        raise ResourceFileError(path, mark.line + 1 if mark else None,
                                f"not a readable YAML file: {problem}") from None
    except (UnicodeDecodeError, OSError) as exc:
        raise ResourceFileError(path, None, f"not a readable YAML file: {exc}") from None
    cursor: list = [1, None, None]  # document number, top-level key, entry number
    try:
        _read_documents(path, documents, raw, cursor)
    except ResourceFileError:
        raise
    except ValueError as exc:
        message = str(exc).removeprefix(f"{path}: ").removeprefix(f"{path} ")
        raise ResourceFileError(path, _line_of(path, *cursor), message) from None


def _line_of(path: Path, document: int, key: str | None, entry: int | None) -> int | None:
    """The 1-based line of document `document`'s `key`, or of its `entry`-th item."""
    try:
        with open(path, encoding="utf-8") as handle:
            nodes = [node for node in yaml.compose_all(handle, Loader=_LOADER)]
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return None
    if not 0 < document <= len(nodes) or nodes[document - 1] is None:
        return None
    node = nodes[document - 1]
    if key is not None and isinstance(node, yaml.MappingNode):
        for key_node, value in node.value:
            if key_node.value == key:
                if entry is None:
                    return key_node.start_mark.line + 1
                node = value
                break
    if entry is not None and isinstance(node, yaml.SequenceNode) and entry <= len(node.value):
        node = node.value[entry - 1]
    return node.start_mark.line + 1


def _line_containing(path: str, needle: str) -> int | None:
    """The first line of `path` that holds `needle` (for errors found across files)."""
    try:
        with open(path, encoding="utf-8") as handle:
            return next((n for n, line in enumerate(handle, 1) if needle in line), None)
    except OSError:
        return None


def _read_documents(path: Path, documents: list, raw: _Raw, cursor: list) -> None:
    seen: set[str] = set()
    for number, document in enumerate(documents, 1):
        cursor[:] = [number, None, None]
        if document is None:
            continue
        where = f"{path}" if len(documents) == 1 else f"{path} (document {number})"
        if not isinstance(document, dict):
            raise ValueError(f"{where}: expected a mapping with the keys 'actors', "
                             f"'nationalities', ...; found {type(document).__name__}")
        unknown = set(document) - _DOCUMENT_KEYS
        if unknown:
            cursor[1] = sorted(unknown)[0]
            raise ValueError(f"{where}: unknown top-level keys {sorted(unknown)}; allowed: "
                             f"{sorted(_DOCUMENT_KEYS)}")
        defaults = document.get("defaults") or {}
        cursor[1] = "defaults"
        if not isinstance(defaults, dict) or set(defaults) - (_ACTOR_FIELDS - {"id", "name"}):
            raise ValueError(f"{where}: 'defaults' must map actor fields other than id and "
                             f"name to values")
        cursor[1:] = ["actors", None]
        for index, entry in enumerate(_list(document, "actors", where), 1):
            cursor[2] = index
            actor = _parse_actor(entry, defaults, f"{where}: actor #{index}", str(path))
            if actor.id in seen:
                raise ValueError(f"{where}: actor #{index}: id {actor.id!r} appears twice in "
                                 f"this file")
            seen.add(actor.id)
            raw.actors.pop(actor.id, None)  # a later file overrides, and moves it to the end
            raw.actors[actor.id] = actor
        cursor[1:] = ["nationalities", None]
        for index, entry in enumerate(_list(document, "nationalities", where), 1):
            cursor[2] = index
            raw.nationalities.append(
                _parse_nationality(entry, f"{where}: nationality #{index}", str(path)))
        for name in ("military_nouns", "modifiers", "blockers"):
            cursor[1:] = [name, None]
            values = _strings(document.get(name), f"{where}: {name}")
            getattr(raw, name).extend(values)


def _list(document: dict, name: str, where: str) -> list:
    value = document.get(name)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError(f"{where}: {name!r} must be a list")
    return value


def _parse_actor(entry: Any, defaults: dict, where: str, source: str) -> Actor:
    if not isinstance(entry, dict):
        raise ValueError(f"{where}: an actor must be a mapping, found {entry!r}")
    if "id" in entry:
        where = f"{where} ({entry['id']!r})"
    unknown = set(entry) - _ACTOR_FIELDS
    if unknown:
        raise ValueError(f"{where}: unknown fields {sorted(unknown)}; allowed: "
                         f"{sorted(_ACTOR_FIELDS)}")
    data = {**defaults, **entry}
    missing = [name for name in _REQUIRED_FIELDS if not data.get(name)]
    if missing:
        raise ValueError(f"{where}: missing required fields {missing}")
    actor_id = data["id"]
    if not isinstance(actor_id, str) or not _ID.match(actor_id):
        raise ValueError(f"{where}: id must be a lowercase slug (a-z, 0-9, _), got {actor_id!r}")
    if data["type"] not in ACTOR_TYPES:
        raise ValueError(f"{where}: type must be one of {list(ACTOR_TYPES)}, got {data['type']!r}")
    if data["category"] not in ACLED_CATEGORIES:
        raise ValueError(f"{where}: category must be one of the ACLED actor categories "
                         f"{list(ACLED_CATEGORIES)}, got {data['category']!r}")
    country = data.get("country")
    if country is not None and (not isinstance(country, str) or not _COUNTRY.match(country)):
        raise ValueError(f"{where}: country must be an ISO 3166 alpha-2 code such as 'SY' "
                         f"or null, got {country!r}")
    for name in ("name_en", "kind"):
        if data.get(name) is not None and not isinstance(data[name], str):
            raise ValueError(f"{where}: {name} must be a string")
    name = _arabic(data["name"], f"{where}: name")
    aliases = tuple(_arabic(a, f"{where}: alias") for a in _strings(data.get("aliases"),
                                                                     f"{where}: aliases"))
    short = tuple(_arabic(a, f"{where}: short form")
                  for a in _strings(data.get("short_forms"), f"{where}: short_forms"))
    return Actor(actor_id, name, data.get("name_en"), data["type"], data["category"], country,
                 data.get("kind"), aliases, short, source)


def _parse_nationality(entry: Any, where: str, source: str) -> Nationality:
    if not isinstance(entry, dict) or set(entry) - {"country", "actor", "forms"}:
        raise ValueError(f"{where}: a nationality is a mapping of country, actor and forms")
    country, actor = entry.get("country"), entry.get("actor")
    if not isinstance(country, str) or not _COUNTRY.match(country):
        raise ValueError(f"{where}: country must be an ISO 3166 alpha-2 code, got {country!r}")
    if not isinstance(actor, str) or not _ID.match(actor):
        raise ValueError(f"{where} ({country}): actor must be an actor id, got {actor!r}")
    forms = tuple(_arabic(f, f"{where} ({country}): form")
                  for f in _strings(entry.get("forms"), f"{where} ({country}): forms"))
    if not forms:
        raise ValueError(f"{where} ({country}): forms must list at least one adjective")
    return Nationality(country, actor, forms, source)


def _strings(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{where}: must be a list of strings")
    return value


def _arabic(text: Any, where: str) -> str:
    if not isinstance(text, str) or not text.strip():
        raise ValueError(f"{where}: must be a non-empty string, got {text!r}")
    if _PRESENTATION_FORMS.search(text):
        raise ValueError(f"{where} {text!r}: contains Arabic presentation forms "
                         f"(U+FB50–U+FDFF, U+FE70–U+FEFF); write the plain letters")
    text = unicodedata.normalize("NFC", text.strip())
    if len(_key(text)) < _MIN_KEY:
        raise ValueError(f"{where} {text!r}: too short to match safely")
    return text


def default_actor_dictionary() -> ActorDictionary:
    """The running `Analyzer`'s dictionary; outside one, the shipped dictionary plus the
    files named in `MARSAD_ACTORS_PATH`, built once."""
    own = active("actors")  # None outside an Analyzer
    return own if own is not None else _process_actor_dictionary()


@lru_cache(maxsize=1)
def _process_actor_dictionary() -> ActorDictionary:
    return ActorDictionary.load()
