"""The cue lexicon of the claims stage: resources/claims/cues.yaml in shadow form."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from marsad.resources import load_yaml
from marsad.text.clitics import PROCLITICS
from marsad.text.normalize import normalize_key

ARABIC = "\u0621-\u064A\u0671-\u06D3"


@dataclass(frozen=True, slots=True)
class CueForm:
    """One surface form of a reporting verb, with what it tells about its subject."""

    key: str
    kind: str  # report | deny | doubt | relay
    takes_object: bool
    gn: str  # m | f | p: the subject it agrees with
    adverbial: bool  # "مؤكدا أن": the subject of the main clause
    object_after: frozenset[str] = frozenset()  # a noun object only after these ("تحدث عن")
    strict: bool = False  # a cue only with its object ("عبر X عن"); never stops a phrase


@dataclass(frozen=True)
class CueLexicon:
    verbs: dict[str, CueForm]
    relayed_saying: frozenset[str]
    prepositions: frozenset[str]
    prep_needs_verb: frozenset[str]
    prep_then: frozenset[str]
    prep_trailing: frozenset[str]
    prep_leading: frozenset[str]
    statement_nouns: frozenset[str]
    impersonal: frozenset[str]
    complementizers: frozenset[str]
    not_complement_after: frozenset[str]
    negations: frozenset[str]
    contrast_connectors: frozenset[str]
    time_words: frozenset[str]
    speaker_stops: frozenset[str]
    object_nouns: frozenset[str]
    speaker_prepositions: frozenset[str]
    venue_nouns: frozenset[str]
    not_sources: frozenset[str]
    generic_places: frozenset[str]
    name_links: frozenset[str]
    adjectives: frozenset[str]
    vague_quantifiers: tuple[tuple[str, ...], ...]
    plural_heads: frozenset[str]
    feminine_heads: frozenset[str]
    clause_openers: frozenset[str]
    discourse: frozenset[str]
    dismissals: re.Pattern[str]
    hedges: re.Pattern[str]
    cue_proclitics: tuple[str, ...]
    pre_verb_particles: frozenset[str]
    relay_from: frozenset[str]
    object_leads: frozenset[str]
    impersonal_then: frozenset[str]
    prep_needs_from: frozenset[str]
    prep_continues: frozenset[str]
    named_prepositions: frozenset[str]
    contrast_lead: frozenset[str]
    addressee_heads: frozenset[str]
    sacred_speakers: frozenset[str]
    sacred_formulas: re.Pattern[str]
    continuations: frozenset[str]
    noun_cues: dict[str, tuple[str, str | None]]  # form -> (kind, gn of a possessive)
    apposition_titles: frozenset[str]
    venue_preps: frozenset[str]
    venue_heads: frozenset[str]
    denial_negations: frozenset[str]
    not_denials: frozenset[str]
    relayed_denial: frozenset[str]
    apposition_openers: frozenset[str]
    writer_markers: re.Pattern[str]
    byline_cues: frozenset[str]
    relatives: frozenset[str]
    addressee_pronouns: frozenset[str]
    frame_discourse: frozenset[str]
    frame_after_min: frozenset[str]

    def verb(self, norm: str) -> tuple[CueForm, str] | None:
        """The cue a token's shadow form spells, with the proclitic before it."""
        cue = self.verbs.get(norm)
        if cue is not None:
            return cue, ""
        for prefix in self.cue_proclitics:
            if norm.startswith(prefix) and len(norm) - len(prefix) >= 3:
                cue = self.verbs.get(norm[len(prefix):])
                if cue is None:
                    continue
                rest = norm[len(prefix):]
                if prefix.endswith("ل") and (cue.adverbial or not (
                        rest[0] == "ي" or (rest[0] == "ت" and "ي" + rest[1:] in self.verbs))):
                    continue  # ل only precedes an imperfect: لتؤكد، ليؤكد (not لتبني)
                return cue, prefix
        return None


def _norm_set(items) -> frozenset[str]:
    return frozenset(normalize_key(str(item)) for item in items or ())


def _phrase_pattern(phrases) -> re.Pattern[str]:
    keys = sorted({normalize_key(str(p)) for p in phrases}, key=len, reverse=True)
    body = "|".join(r"\s+".join(map(re.escape, key.split())) for key in keys)
    return re.compile(
        rf"(?<![{ARABIC}])(?:{PROCLITICS})(?:ال)?(?:{body})(?:ه|ها|هم)?(?![{ARABIC}])"
    )


def _noun_forms(nouns: dict, suffixes) -> dict[str, tuple[str, str | None]]:
    """Statement nouns bare (speaker after them) and with a possessive (its gender-number)."""
    forms: dict[str, tuple[str, str | None]] = {}
    for noun, kind in nouns.items():
        key = normalize_key(noun)
        forms[key] = (kind, None)
        for suffix in suffixes:
            forms.setdefault(key + normalize_key(suffix),
                             (kind, {"ه": "m", "ها": "f"}.get(suffix, "p")))
    return forms


@lru_cache(maxsize=1)
def cue_lexicon() -> CueLexicon:
    """The cue lists of resources/claims/cues.yaml, in shadow form."""
    data = load_yaml("claims/cues.yaml")
    verbs: dict[str, CueForm] = {}
    for key, spec in data["verbs"].items():
        after = _norm_set(spec.get("object_after"))
        takes, strict = bool(spec.get("object")) or bool(after), bool(spec.get("strict"))
        for gn in ("m", "f", "p"):
            for form in spec.get(gn) or ():
                verbs.setdefault(normalize_key(form),
                                 CueForm(key, spec["kind"], takes, gn, False, after, strict))
            for form in (spec.get("adv") or {}).get(gn) or ():
                verbs.setdefault(normalize_key(form),
                                 CueForm(key, spec["kind"], takes, gn, True, after, strict))
    prep = data["prepositional"]
    return CueLexicon(
        verbs=verbs,
        relayed_saying=_norm_set(data["relayed_saying"]),
        prepositions=_norm_set(prep["forms"]),
        prep_needs_verb=_norm_set(prep["needs_verb"]),
        prep_then=_norm_set(prep["then"]),
        prep_trailing=_norm_set(prep["trailing"]),
        prep_leading=_norm_set(prep["leading"]),
        statement_nouns=_norm_set(data["statement_nouns"]),
        impersonal=_norm_set(data["impersonal"]),
        complementizers=_norm_set(data["complementizers"]),
        not_complement_after=_norm_set(data["not_complement_after"]),
        negations=_norm_set(data["negations"]),
        contrast_connectors=_norm_set(data["contrast_connectors"]),
        time_words=_norm_set(data["time_words"]),
        speaker_stops=_norm_set(data["speaker_stops"]),
        object_nouns=_norm_set(data["object_nouns"]),
        speaker_prepositions=_norm_set(data["speaker_prepositions"]),
        venue_nouns=_norm_set(data["venue_nouns"]),
        not_sources=_norm_set(data["not_sources"]),
        generic_places=_norm_set(data["generic_places"]),
        name_links=_norm_set(data["name_links"]),
        adjectives=_norm_set(data["adjectives"]),
        vague_quantifiers=tuple(
            tuple(normalize_key(q).split()) for q in data["vague_quantifiers"]
        ),
        plural_heads=_norm_set(data["plural_heads"]),
        feminine_heads=_norm_set(data["feminine_heads"]),
        clause_openers=_norm_set(data["clause_openers"]),
        discourse=_norm_set(data["discourse"]),
        dismissals=_phrase_pattern(data["dismissals"]),
        hedges=_phrase_pattern(data["hedges"]),
        cue_proclitics=tuple(normalize_key(p) for p in data["cue_proclitics"]),
        pre_verb_particles=_norm_set(data["pre_verb_particles"]),
        relay_from=_norm_set(data["relay_from"]),
        object_leads=_norm_set(data["object_leads"]),
        impersonal_then=_norm_set(data["impersonal_then"]),
        prep_needs_from=_norm_set(prep["needs_from"]),
        prep_continues=_norm_set(prep["continues"]),
        named_prepositions=_norm_set(data["named_prepositions"]),
        contrast_lead=_norm_set(data["contrast_lead"]),
        addressee_heads=_norm_set(data["addressee_heads"]),
        sacred_speakers=_norm_set(data["sacred_speakers"]),
        sacred_formulas=_phrase_pattern(data["sacred_formulas"]),
        continuations=_norm_set(data["continuations"]),
        noun_cues=_noun_forms(data["noun_cues"], data["noun_cue_suffixes"]),
        apposition_titles=_norm_set(data["apposition_titles"]),
        venue_preps=_norm_set(data["venue_preps"]),
        venue_heads=_norm_set(data["venue_heads"]),
        denial_negations=_norm_set(data["denial_negations"]),
        not_denials=_norm_set(data["not_denials"]),
        relayed_denial=_norm_set(data["relayed_denial"]),
        apposition_openers=_norm_set(data["apposition_openers"]),
        writer_markers=_phrase_pattern(data["writer_markers"]),
        byline_cues=_norm_set(data["byline_cues"]),
        relatives=_norm_set(data["relatives"]),
        addressee_pronouns=_norm_set(data["addressee_pronouns"]),
        frame_discourse=_norm_set(data["frame_discourse"]),
        frame_after_min=_norm_set(data["frame_after_min"]),
    )
