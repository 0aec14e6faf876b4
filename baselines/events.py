"""Event baselines: a trigger lexicon per ACE 2005 subtype, with or without arguments.

Resources: our own trigger lexicon (:data:`khabar.baselines.lexicons.EVENT_TRIGGERS`): for each ACE 2005
subtype, verbs (inflected for person, gender, number and the future س) and verbal nouns (with ال,
possessive suffixes and plurals), from general knowledge of Arabic and of ACE's event definitions, e.g.
لقاء، اجتماع، التقى، مباحثات، محادثات → Contact:Meet; زيارة، زار، سافر، وصل، توجه → Movement:Transport;
هجوم، قصف، اعتداء → Conflict:Attack. Proclitics (و ف ب ل ك) are split off by the lookup and left out of
the trigger span. The roles each subtype allows come from ``schema/labels.json``; which entity types may
fill a role (:data:`ROLE_FILLERS`) follows ACE 2005's argument definitions, simplified to Khabar's types.

The **trivial** baseline reports every lexicon hit as an event without arguments. The **rules** baseline
fills, for each role the subtype allows, in ``labels.json`` order, the nearest not yet used entity of a
compatible type in the same sentence (by character distance to the trigger; Contact's Entity role takes
the two nearest, the two sides of a meeting or call).
"""

from __future__ import annotations

import functools

from khabar.baselines import lexicons
from khabar.baselines.arabic import PhraseLexicon, Tokens
from khabar.corpus.format import labels

_AGENTS = ("PERS", "ORG", "GPE")
_PLACES = ("GPE", "LOC", "FAC")
ROLE_FILLERS: dict[str, tuple[str, ...]] = {
    "Person": ("PERS",),
    "Victim": ("PERS",),
    "Artifact": ("PERS",),
    "Defendant": ("PERS", "ORG"),
    "Agent": _AGENTS,
    "Attacker": _AGENTS,
    "Entity": _AGENTS,
    "Giver": _AGENTS,
    "Recipient": _AGENTS,
    "Beneficiary": _AGENTS,
    "Buyer": _AGENTS,
    "Seller": _AGENTS,
    "Plaintiff": _AGENTS,
    "Prosecutor": _AGENTS,
    "Adjudicator": _AGENTS,
    "Target": (*_AGENTS, "FAC"),
    "Org": ("ORG",),
    "Place": _PLACES,
    "Destination": _PLACES,
    "Position": ("OCC",),
    "Money": ("MONEY",),
    "Price": ("MONEY",),
    "Time-Within": ("DATE", "TIME"),
}
"""Entity types that may fill each role. Roles absent here (Origin, Instrument, Vehicle, Crime,
Sentence, the other Time-* roles) are left empty: nothing in a sentence tells them apart by type."""
SUBTYPE_ROLE_FILLERS: dict[str, dict[str, tuple[str, ...]]] = {
    "Movement:Transport": {"Agent": ()},
}
"""In ACE, whoever travels is the Artifact of a Transport; its Agent is who sends them, rarely named."""
ROLE_CAPACITY = {("Contact:Meet", "Entity"): 2, ("Contact:Phone-Write", "Entity"): 2}


@functools.cache
def triggers() -> PhraseLexicon[str]:
    known = set(labels()["event_roles"])
    forms = lexicons.trigger_forms()
    unknown = sorted({subtype for _, subtype in forms} - known)
    if unknown:
        raise ValueError(f"trigger lexicon names subtypes missing from labels.json: {unknown}")
    return PhraseLexicon(forms)


ARTICLE = "ال"


def trigger_span(tokens: Tokens, start: int, end: int) -> dict:
    """The trigger as the guidelines define it (docs/guidelines.md, 0 and 4.2): the word without the
    article ال (اللقاء gives لقاء), which the lexicon's noun forms carry."""
    if tokens.text.startswith(ARTICLE, start) and end - start > len(ARTICLE) + 2:
        start += len(ARTICLE)
    return {"start": start, "end": end}


def extract_trivial(tokens: Tokens) -> list[dict]:
    return [
        {"type": found.value, "trigger": trigger_span(tokens, found.start, found.end), "arguments": []}
        for found in triggers().find_all(tokens)
    ]


def extract_rules(tokens: Tokens, entities: list[dict]) -> list[dict]:
    roles = labels()["event_roles"]
    events = []
    for found in triggers().find_all(tokens):
        sentence_start, sentence_end = tokens.sentence_of(found.start)
        nearby = [
            e
            for e in entities
            if sentence_start <= e["start"] and e["end"] <= sentence_end and (e["end"] <= found.start or e["start"] >= found.end)
        ]
        nearby.sort(key=lambda e: (_distance(e, found.start, found.end), e["start"], e["end"]))
        arguments, used = [], set()
        overrides = SUBTYPE_ROLE_FILLERS.get(found.value, {})
        for role in roles[found.value]:
            fillers = overrides.get(role, ROLE_FILLERS.get(role, ()))
            capacity = ROLE_CAPACITY.get((found.value, role), 1)
            for entity in nearby:
                if capacity == 0:
                    break
                span = (entity["start"], entity["end"])
                if entity["type"] in fillers and span not in used:
                    arguments.append({"role": role, "start": span[0], "end": span[1]})
                    used.add(span)
                    capacity -= 1
        events.append({"type": found.value, "trigger": trigger_span(tokens, found.start, found.end), "arguments": arguments})
    return events


def _distance(entity: dict, start: int, end: int) -> int:
    return start - entity["end"] if entity["end"] <= start else entity["start"] - end
