"""Tokenization and sentence splitting, on hand-made strings and on the real gold."""

from __future__ import annotations

from khabar.corpus.format import Span
from khabar.corpus.tokenize import overlapped_tokens, split_sentences, tokenize


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


def test_a_proclitic_stays_inside_its_word():
    text = "وأذربيجان وأرمينيا"
    assert texts(text, tokenize(text)) == ["وأذربيجان", "وأرمينيا"]


def test_overlapped_tokens_are_those_sharing_a_character():
    # tokens: وأذربيجان 0:9, وأرمينيا 10:18, . 18:19
    starts, ends = [0, 10, 18], [9, 18, 19]
    assert overlapped_tokens(starts, ends, 1, 9) == (0, 1)  # أذربيجان inside the first token
    assert overlapped_tokens(starts, ends, 8, 11) == (0, 2)  # a span across the space touches both
    assert overlapped_tokens(starts, ends, 9, 10) == (1, 1)  # the space alone: no token
    assert overlapped_tokens(starts, ends, 0, 19) == (0, 3)


def test_sentences_split_at_final_punctuation_and_lines():
    text = "عنوان\n\nقال 3.5 مرة. ثم ذهب؟ نعم\nسطر"
    assert texts(text, split_sentences(text)) == ["عنوان", "قال 3.5 مرة.", "ثم ذهب؟", "نعم", "سطر"]



def test_an_abbreviation_before_a_name_ends_no_sentence():
    # `د.` (Dr.) before a name stays in its sentence; the era mark `م.` after a year and a `د.` that ends
    # its line (nothing follows) still end one
    text = "وقال د. علاء الرفاتي إن الوضع صعب. ولد عام 2013 م. وقد أفيد بذلك\nالتقى د.\nسطر"
    assert texts(text, split_sentences(text)) == ["وقال د. علاء الرفاتي إن الوضع صعب.", "ولد عام 2013 م.", "وقد أفيد بذلك", "التقى د.", "سطر"]


def test_every_document_is_tokenized_from_its_text_alone(corpus):
    """The gold never moves a token boundary: the built tokens are the tokenizer applied to the text."""
    for doc in corpus:
        assert doc.tokens == tuple(Span(*t) for t in tokenize(doc.text)), doc.id
    inside = [m for doc in corpus for m in doc.entities for t in doc.tokens if t.start < m.start < t.end]
    assert inside, "no mention starts inside a token: gold-split tokens would pass this test too"


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
