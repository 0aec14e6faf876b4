"""Entity baselines: a gazetteer lookup, and the same gazetteer with rules around it.

Resources. From CLDR through Babel (:mod:`khabar.baselines.cldr`): country and territory names (GPE),
time-zone exemplar cities (GPE), world regions (LOC), EU and UN (ORG), weekday and Gregorian month names
in their standard, Levantine and Maghrebi forms (DATE), language names (LANGUAGE) and currency names
(CURR). Our own lists, from general knowledge of Arabic and of the news domain
(:mod:`khabar.baselines.lexicons`): nationality adjectives in all their forms, peoples, common country
aliases, capitals and cities CLDR lacks, regions and waters, well-known organisations, titles and
positions, forms of address, organisation and place head nouns, Hijri and Iranian months, relative date
words, ordinals, currency nouns.

The **gazetteer** baseline tags every longest gazetteer match (a proclitic و ف ب ل ك may precede the
first word and stays outside the span).

The **rules** baseline adds, in the spirit of WojoodNER's guidelines:

* titles and positions (OCC): a title word, then its complement: definite words (الخارجية), portfolio
  nouns in a construct (خارجية), and gazetteer names and organisation phrases (المتحدث باسم وزارة
  الخارجية); then a person's name (PERS): up to four following words that are not function words,
  lexicon words or gazetteer names, a definite word only after the first (بشار الأسد، عبد الله);
* organisations (ORG) and GPE/LOC/FAC names from a head noun (وزارة، حركة، جمهورية، مطار …) with the
  same kind of complement, which must not be empty (a bare الحكومة is a common noun);
* dates (DATE): weekday, day, month (Gregorian, Levantine, Hijri, Iranian), year and era mark joined
  into one span (الخميس 5 تشرين الأول 2023 م), lead words (يوم، عام), numeric dates (5/10/2023),
  relative dates (أمس، الأسبوع الماضي); times (TIME): hh:mm and الساعة N with a part of the day;
* numbers: PERCENT (N %، N في المئة), MONEY (N [مليون] دولار, with the currency nested as CURR),
  CARDINAL otherwise; ORDINAL words; LANGUAGE after اللغة.

Candidates are then resolved: rule spans before gazetteer spans, longer before shorter; a span that
crosses a kept one, repeats its offsets, or lies inside a kept date, time or number span (except a
currency inside a sum of money) is dropped, so that the output nests but never crosses.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from khabar.baselines import cldr, lexicons
from khabar.baselines.arabic import Match, PhraseLexicon, Tokens, key
from khabar.corpus.format import labels

ATOMIC = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY"})
"""Types inside which no other mention is kept (a currency inside MONEY excepted)."""
NAME_TYPES = frozenset({"GPE", "NORP", "LOC", "ORG", "FAC"})
"""Gazetteer types a title or head-noun complement may contain."""
MAX_NAME_WORDS = 4
MAX_COMPLEMENT_WORDS = 5
RULE, LOOKUP = 0, 1
"""Ranks: rule spans are resolved before plain lookups."""


@dataclass(frozen=True, order=True)
class Candidate:
    rank: int
    start: int
    end: int
    type: str


# --------------------------------------------------------------------------------------------------
# Lexicons, built once


@functools.cache
def gazetteer() -> PhraseLexicon[str]:
    """Name -> entity type; on a name listed twice, the earlier type wins (ORG, GPE, LOC, NORP, DATE)."""
    cities = [city for city in cldr.cities() + lexicons.CITIES if city not in lexicons.CITY_EXCLUSIONS]
    nationalities = [form for nisba in lexicons.NATIONALITIES for form in lexicons.nisba_forms(nisba)]
    entries = [
        *((name, "ORG") for name in cldr.organisations() + lexicons.ORGANISATIONS),
        *((name, "GPE") for name in cldr.countries() + lexicons.COUNTRY_ALIASES + cities),
        *((name, "LOC") for name in cldr.regions() + lexicons.LOCATIONS),
        *((name, "NORP") for name in nationalities + lexicons.PEOPLES),
        *((name, "DATE") for name in date_words()),
    ]
    return PhraseLexicon(entries)


def date_words() -> list[str]:
    return cldr.weekdays() + cldr.months() + lexicons.HIJRI_MONTHS + lexicons.IRANIAN_MONTHS + lexicons.RELATIVE_DATES


@functools.cache
def _date_units() -> PhraseLexicon[str]:
    """Words that make up a date phrase, with their role: W weekday, M month, R relative date, L lead,
    K era mark (numbers are recognised by their digits)."""
    return PhraseLexicon(
        [
            *((name, "R") for name in lexicons.RELATIVE_DATES),
            *((name, "W") for name in cldr.weekdays()),
            *((name, "M") for name in cldr.months() + lexicons.HIJRI_MONTHS + lexicons.IRANIAN_MONTHS),
            *((name, "L") for name in lexicons.DATE_LEADS),
            *((name, "K") for name in lexicons.YEAR_MARKS),
        ]
    )


DATE_PHRASE = re.compile(r"R|L?(?:W?D?MY?K?|W|YK?)")
"""A date phrase over unit roles (D day number, Y year number); a bare day number is no date."""


@functools.cache
def _titles() -> PhraseLexicon[str]:
    return PhraseLexicon([*((t, "title") for t in lexicons.TITLES), *((h, "honorific") for h in lexicons.HONORIFICS)])


@functools.cache
def _heads() -> PhraseLexicon[str]:
    groups = (("ORG", lexicons.ORG_HEADS), ("GPE", lexicons.GPE_HEADS), ("LOC", lexicons.LOC_HEADS), ("FAC", lexicons.FAC_HEADS))
    return PhraseLexicon((form, kind) for kind, heads in groups for form in lexicons.with_article(heads))


@functools.cache
def _heads_taking_a_name() -> frozenset[str]:
    return frozenset(key(form) for form in lexicons.with_article(lexicons.ORG_HEADS_TAKING_A_NAME))


@functools.cache
def _currencies() -> PhraseLexicon[str]:
    names = [name for name in cldr.currencies() if not any(ch.isdigit() for ch in name)]
    return PhraseLexicon((name, "CURR") for name in lexicons.with_article(lexicons.CURRENCIES) + names)


@functools.cache
def _small_lexicons() -> dict[str, PhraseLexicon[str]]:
    return {
        "percent": PhraseLexicon((w, "PERCENT") for w in lexicons.PERCENT_WORDS),
        "scale": PhraseLexicon((w, "scale") for w in lexicons.SCALE_WORDS),
        "day_part": PhraseLexicon((w, "part") for w in lexicons.DAY_PARTS),
        "ordinal": PhraseLexicon((w, "ORDINAL") for w in lexicons.ORDINALS),
        "language": PhraseLexicon((w, "LANGUAGE") for w in cldr.languages()),
        "language_lead": PhraseLexicon((w, "lead") for w in lexicons.LANGUAGE_LEADS),
    }


def _first_word_keys(words) -> frozenset[str]:
    return frozenset(key(word.split()[0]) for word in words)


@functools.cache
def complement_blocked_keys() -> frozenset[str]:
    """Keys of words that end a title's or head noun's complement: function words, reporting cues,
    event triggers and date words."""
    return _first_word_keys(
        [
            *lexicons.STOPWORDS,
            *(form for form, _ in lexicons.cue_forms()),
            *(form for form, _ in lexicons.trigger_forms()),
            *date_words(),
            *lexicons.DATE_LEADS,
        ]
    )


@functools.cache
def name_blocked_keys() -> frozenset[str]:
    """Keys of words that are never part of a person's name: the above, and every word the rules give
    another role (titles, head nouns, number words, currencies, ordinals)."""
    heads = lexicons.ORG_HEADS + lexicons.GPE_HEADS + lexicons.LOC_HEADS + lexicons.FAC_HEADS
    return complement_blocked_keys() | _first_word_keys(
        [
            *lexicons.with_article(lexicons.TITLES + lexicons.HONORIFICS + heads + lexicons.CURRENCIES),
            *lexicons.SCALE_WORDS,
            *lexicons.ORDINALS,
            *lexicons.LANGUAGE_LEADS,
        ]
    )


@functools.cache
def _continuation_keys() -> frozenset[str]:
    return frozenset(key(word) for word in lexicons.PORTFOLIOS)


# --------------------------------------------------------------------------------------------------
# Taggers


def tag_gazetteer(tokens: Tokens) -> list[dict]:
    """The trivial reference: every longest gazetteer match."""
    return _resolve([Candidate(LOOKUP, m.start, m.end, m.value) for m in gazetteer().find_all(tokens)])


def tag_rules(tokens: Tokens) -> list[dict]:
    """Gazetteer and rules (module docstring)."""
    return _resolve(_RuleTagger(tokens).candidates())


class _RuleTagger:
    """The rules applied to one document; each method adds candidates and marks the tokens it used."""

    def __init__(self, tokens: Tokens):
        self.tokens = tokens
        self.keys = tokens.keys
        self.numbers = [int(k) if k.isdigit() and len(k) <= 9 else None for k in self.keys]
        self.digits = [i for i, n in enumerate(self.numbers) if n is not None]
        """Positions of number tokens: the date, time and number rules start only there."""
        self.found: list[Candidate] = []
        self.used = bytearray(len(tokens))
        self.names: dict[int, Match[str]] = {m.first: m for m in gazetteer().find_all(tokens) if m.value != "DATE"}
        self.phrases: dict[int, int] = {}
        """First token of a head-noun phrase -> its last token, for title complements."""

    def candidates(self) -> list[Candidate]:
        self._times()
        self._dates()
        self._numbers()
        self._head_phrases()
        self._titles_and_names()
        self._words()
        return self.found

    # -- helpers

    def add(self, start: int, end: int, type_: str, rank: int = RULE) -> None:
        self.found.append(Candidate(rank, start, end, type_))

    def span(self, first: int, last: int, type_: str) -> None:
        self.add(self.tokens.starts[first], self.tokens.ends[last], type_)
        self.used[first : last + 1] = b"\x01" * (last + 1 - first)

    def adjacent(self, i: int) -> bool:
        """Token ``i`` and ``i + 1`` touch (no white space between)."""
        return i + 1 < len(self.tokens) and self.tokens.ends[i] == self.tokens.starts[i + 1]

    def blocked(self, i: int, blocked: frozenset[str]) -> bool:
        """Token ``i``, read with or without proclitics, is one of ``blocked``."""
        return any(k in blocked for _, k in self.tokens.readings[i])

    def complement(self, j: int) -> int:
        """The last token of the complement starting at ``j`` (``j - 1`` when there is none).

        A name or an organisation phrase is taken only in construct position, right after the head or
        after an indefinite construct noun (وزير خارجية إيران، سفارة إيران، المتحدث باسم وزارة …);
        after a definite word only definite words and nationality adjectives follow."""
        last, words, construct = j - 1, 0, True
        continuation = _continuation_keys()
        while j < len(self.tokens) and words < MAX_COMPLEMENT_WORDS and not self.used[j]:
            name = self.names.get(j)
            k = self.keys[j]
            if name is not None and name.value in NAME_TYPES and name.start == self.tokens.starts[j]:
                if not (construct or name.value == "NORP"):
                    break
                last, construct = name.last, False
            elif j in self.phrases:
                if not construct:
                    break
                last, construct = self.phrases[j], False
            elif k in continuation:
                last, construct = j, True
            elif k.startswith("ال") and len(k) > 3 and k.isalpha() and not self.blocked(j, complement_blocked_keys()):
                last, construct = j, False
            else:
                break
            j, words = last + 1, words + 1
        return last

    def name_word(self, i: int, first: bool) -> bool:
        """Token ``i`` may be part of a person's name: letters only, no role elsewhere, no preposition
        before an article (للصحفيين), and definite only after the first word (بشار الأسد)."""
        k = self.keys[i]
        if not k.isalpha() or len(k) < 2 or self.used[i] or i in self.names or self.blocked(i, name_blocked_keys()):
            return False
        if any(prefix and rest.startswith("ال") for prefix, rest in self.tokens.readings[i]):
            return False
        return not (first and k.startswith("ال"))

    # -- rules

    def _times(self) -> None:
        keys, numbers, parts = self.keys, self.numbers, _small_lexicons()["day_part"]
        for i in self.digits:
            if i + 2 >= len(keys):
                break
            hours, minutes = numbers[i], numbers[i + 2]
            if hours is None or minutes is None or keys[i + 1] != ":" or not (self.adjacent(i) and self.adjacent(i + 1)):
                continue
            if hours > 24 or minutes > 59 or len(keys[i + 2]) != 2 or self.used[i]:
                continue
            first, last = i, i + 2
            if first > 0 and keys[first - 1] in ("الساعه", "ساعه"):
                first -= 1
            part = parts.match(self.tokens, last + 1) if last + 1 < len(keys) else None
            if part is not None:
                last = part.last
            self.span(first, last, "TIME")
        for i in (d - 1 for d in self.digits if d > 0):
            hours = numbers[i + 1]
            if keys[i] in ("الساعه", "ساعه") and hours <= 24 and not self.used[i + 1]:
                part = parts.match(self.tokens, i + 2) if i + 2 < len(keys) else None
                self.span(i, i + 1 if part is None else part.last, "TIME")

    def _dates(self) -> None:
        keys, numbers = self.keys, self.numbers
        for i in self.digits:
            if i + 4 >= len(keys):
                break
            parts = [numbers[i + d] for d in (0, 2, 4)]
            separator = keys[i + 1]
            if None in parts or separator not in ("/", "-", ".") or keys[i + 3] != separator or self.used[i]:
                continue
            if all(self.adjacent(i + d) for d in range(4)):
                self.span(i, i + 4, "DATE")
        for run in self._date_unit_runs():
            roles = "".join(role for role, _, _ in run)
            for found in DATE_PHRASE.finditer(roles):
                self.span(run[found.start()][1], run[found.end() - 1][2], "DATE")

    def _date_unit_runs(self) -> list[list[tuple[str, int, int]]]:
        """Runs of consecutive date units as (role, first token, last token)."""
        lexicon, keys = _date_units(), self.keys
        runs: list[list[tuple[str, int, int]]] = []
        resume = 0
        for i in sorted(set(lexicon.starts(self.tokens)).union(self.digits)):
            if i < resume:
                continue
            unit = None
            found = lexicon.match(self.tokens, i)
            if found is not None:
                unit = (found.value, i, found.last)
            elif (value := self.numbers[i]) is not None and not self.used[i]:
                if 1 <= value <= 31 and len(keys[i]) <= 2:
                    unit = ("D", i, i)
                elif 1000 <= value <= 2100 and len(keys[i]) == 4:
                    unit = ("Y", i, i)
            if unit is None:
                continue
            if runs and runs[-1][-1][2] == i - 1:
                runs[-1].append(unit)
            else:
                runs.append([unit])
            resume = unit[2] + 1
        return runs

    def _numbers(self) -> None:
        keys, numbers, small, currencies = self.keys, self.numbers, _small_lexicons(), _currencies()
        for i in self.digits:
            if self.used[i]:
                continue
            last = i
            while last + 2 < len(keys) and keys[last + 1] in (".", ",", "٫") and numbers[last + 2] is not None and self.adjacent(last) and self.adjacent(last + 1):
                last += 2
            after = last + 1
            percent = small["percent"].match(self.tokens, after) if after < len(keys) else None
            if percent is not None:
                self.span(i, percent.last, "PERCENT")
                continue
            scale = small["scale"].match(self.tokens, after) if after < len(keys) else None
            amount_last = scale.last if scale is not None else last
            currency = currencies.match(self.tokens, amount_last + 1) if amount_last + 1 < len(keys) else None
            if currency is not None:
                self.add(currency.start, currency.end, "CURR")
                self.span(i, currency.last, "MONEY")
                continue
            self.span(i, amount_last, "CARDINAL")

    def _head_phrases(self) -> None:
        tokens, taking_a_name = self.tokens, _heads_taking_a_name()
        for head in _heads().find_all(tokens):
            if self.used[head.first]:
                continue
            last = self.complement(head.last + 1)
            if last == head.last and self.keys[head.first] in taking_a_name and head.last + 1 < len(tokens):
                if self.name_word(head.last + 1, first=True):
                    last = head.last + 1
            if last > head.last:
                self.add(head.start, tokens.ends[last], head.value)
                self.phrases[head.first] = last

    def _titles_and_names(self) -> None:
        tokens = self.tokens
        covered = -1
        for title in _titles().find_all(tokens):
            if self.used[title.first] or title.first <= covered:
                continue
            last = title.last
            if title.value == "title":
                last = self.complement(title.last + 1)
                self.add(title.start, tokens.ends[last], "OCC")
            name_first = j = last + 1
            while j < len(tokens) and j - name_first < MAX_NAME_WORDS and self.name_word(j, first=j == name_first):
                j += 1
            if j > name_first:
                self.add(tokens.starts[name_first], tokens.ends[j - 1], "PERS")
            covered = max(last, j - 1)

    def _words(self) -> None:
        tokens, small = self.tokens, _small_lexicons()
        for name in self.names.values():
            self.add(name.start, name.end, name.value, LOOKUP)
        for currency in _currencies().find_all(tokens):
            self.add(currency.start, currency.end, "CURR", LOOKUP)
        for ordinal in small["ordinal"].find_all(tokens):
            self.add(ordinal.start, ordinal.end, "ORDINAL", LOOKUP)
        for lead in small["language_lead"].find_all(tokens):
            if lead.last + 1 < len(tokens):
                language = small["language"].match(tokens, lead.last + 1)
                if language is not None and language.start == tokens.starts[lead.last + 1]:
                    self.add(language.start, language.end, "LANGUAGE")


# --------------------------------------------------------------------------------------------------
# Resolution


@functools.cache
def _type_order() -> dict[str, int]:
    return {name: index for index, name in enumerate(labels()["entity_types"])}


def _resolve(candidates: list[Candidate]) -> list[dict]:
    """Keep candidates by rank, then length, then position; drop crossings, repeats and anything
    inside a date, time or number span (module docstring). Output sorted by start, then end descending."""
    order = _type_order()
    kept: list[Candidate] = []
    for candidate in sorted(candidates, key=lambda c: (c.rank, c.start - c.end, c.start, order[c.type])):
        if not any(_conflict(candidate, other) for other in kept):
            kept.append(candidate)
    kept.sort(key=lambda c: (c.start, -c.end, order[c.type]))
    return [{"start": c.start, "end": c.end, "type": c.type} for c in kept]


def _conflict(candidate: Candidate, kept: Candidate) -> bool:
    if candidate.start < kept.end and kept.start < candidate.end:
        inside = kept.start <= candidate.start and candidate.end <= kept.end
        if not inside or (candidate.start, candidate.end) == (kept.start, kept.end):
            return True
        return kept.type in ATOMIC and not (kept.type == "MONEY" and candidate.type == "CURR")
    return False
