"""Tokenization and sentence splitting, on hand-made strings and on the real gold."""

from __future__ import annotations

from khabar.corpus.build import gold_boundaries
from khabar.corpus.tokenize import split_sentences, tokenize


def texts(text, spans):
    return [text[s:e] for s, e in spans]


def test_punctuation_and_arabic_digits():
    text = "الخميس ٠٥ أكتوبر ٢٠٢٣ - ٠٣:٥٥، قال: «نعم»؟"
    assert texts(text, tokenize(text)) == [
        "الخميس", "٠٥", "أكتوبر", "٢٠٢٣", "-", "٠٣", ":", "٥٥", "،", "قال", ":", "«", "نعم", "»", "؟",
    ]


def test_diacritics_stay_inside_the_word():
    assert texts("أيضًا: نعم", tokenize("أيضًا: نعم")) == ["أيضًا", ":", "نعم"]


def test_three_plus_three():
    assert texts("3+3 (إيران", tokenize("3+3 (إيران")) == ["3", "+", "3", "(", "إيران"]


def test_gold_boundary_splits_a_proclitic():
    text = "وأذربيجان"
    assert texts(text, tokenize(text, {1, 9})) == ["و", "أذربيجان"]


def test_sentences_split_at_final_punctuation_and_lines():
    text = "عنوان\n\nقال 3.5 مرة. ثم ذهب؟ نعم\nسطر"
    assert texts(text, split_sentences(text)) == ["عنوان", "قال 3.5 مرة.", "ثم ذهب؟", "نعم", "سطر"]


def test_every_gold_boundary_is_a_token_boundary(corpus):
    for doc in corpus:
        starts = {t.start for t in doc.tokens}
        ends = {t.end for t in doc.tokens}
        arguments = {a.mention for e in doc.events for a in e.arguments}
        spans = [m.span for m in doc.entities] + [e.trigger for e in doc.events]
        spans += [q.cue for q in doc.quotes if q.cue] + [doc.mention(m).span for m in arguments]
        assert spans, "no gold spans to check"
        for span in spans:
            assert span.start in starts and span.end in ends, (doc.id, span, doc.span_text(span))
        assert gold_boundaries(doc) <= starts | ends


def test_tokens_cover_every_visible_character_once(corpus):
    for doc in corpus:
        covered = [0] * len(doc.text)
        for token in doc.tokens:
            for i in range(token.start, token.end):
                covered[i] += 1
        assert all(count == (0 if char.isspace() else 1) for char, count in zip(doc.text, covered))


def test_sentences_contain_their_tokens(corpus):
    for doc in corpus:
        assert doc.sentences[0].start == 0
        inside = sum(1 for t in doc.tokens for s in doc.sentences if s.start <= t.start and t.end <= s.end)
        assert inside == len(doc.tokens)
