"""`khabar audit`: the corpus-wide consistency list, on hand-made documents whose items are known."""

from __future__ import annotations

from khabar.corpus import format as fmt
import json

import pytest

from khabar.corpus.audit import AcceptedItem, audit, read_exceptions, review

from conftest import run_khabar


def _doc(doc_id: str, text: str, mentions=(), triggers=(), cues=()) -> fmt.Document:
    entities = tuple(fmt.Mention(f"T{i}", s, e, text[s:e], t, "name", f"E{i}") for i, (s, e, t) in enumerate(mentions))
    clusters = tuple(fmt.Cluster(m.entity, m.type, m.text) for m in entities)
    events = tuple(fmt.Event(f"V{i}", "Contact:Meet", fmt.Span(s, e), (), "Asserted", "Positive", "Specific", "Past", f"C{i}") for i, (s, e) in enumerate(triggers))
    quotes = tuple(fmt.Quote(f"Q{i}", "indirect", fmt.Span(e + 1, len(text)), fmt.Span(s, e), None, None) for i, (s, e) in enumerate(cues))
    return fmt.Document(doc_id, text, {}, entities=entities, clusters=clusters, events=events, quotes=quotes)


def test_audit_lists_types_untagged_names_triggers_and_cues():
    # a: «مصر» GPE, trigger «التقى», cue «قال»; b: «مصر» ORG once and untagged once (after و, at 19),
    # «التقى» untagged (at 12), «قال» untagged (after و, at 1): one item of each kind
    a = _doc("a", "التقى وزير مصر. قال نعم", mentions=[(11, 14, "GPE")], triggers=[(0, 5)], cues=[(16, 19)])
    b = _doc("b", "وقال إن مصر التقى ومصر", mentions=[(8, 11, "ORG")])
    items = [(i.kind, i.description) for i in audit([a, b])]
    assert items == [
        ("type", "«مصر» is GPE at a:11; ORG at b:8"),
        ("untagged name", "«مصر» (as at a:11) is not annotated at b:19"),
        ("untagged trigger", "«التقى» (as at a:0) is not annotated at b:12"),
        ("untagged cue", "«قال» (as at a:16) is not annotated at b:1"),
    ]


def test_a_string_inside_a_longer_word_is_not_an_occurrence():
    # «مصر» inside «مصرف» and «بمصرية» is no occurrence; a consistent corpus has nothing to list
    a = _doc("a", "مصر ومصرف بمصرية", mentions=[(0, 3, "GPE")])
    assert audit([a]) == []


def test_a_reviewed_exception_accepts_its_places_only():
    # «مصر» is untagged at b:12 and b:19; the exception lists b:12 only, so b:19 is still to review,
    # and an entry for a place no item raises (c:0) is stale
    a = _doc("a", "مصر", mentions=[(0, 3, "GPE")])
    b = _doc("b", "شيء آخر وشيء مصر شيء مصر")
    items = audit([a, b])
    assert [i.places for i in items] == [("b:13",), ("b:21",)]
    kept = AcceptedItem("untagged name", "مصر", frozenset({"b:13"}), "a common noun here")
    stale = AcceptedItem("untagged name", "مصر", frozenset({"c:0"}), "gone")
    reviewed, stale_found = review(items, [kept, stale])
    assert [reason for _, reason in reviewed] == ["a common noun here", None]
    assert stale_found == [stale]


def test_a_type_item_is_accepted_only_while_no_new_place_joins_it():
    # «مصر» GPE at a:0, ORG at b:0: accepted with both places; a third document adds c:0 and the item returns
    a, b = _doc("a", "مصر", mentions=[(0, 3, "GPE")]), _doc("b", "مصر", mentions=[(0, 3, "ORG")])
    accepted = AcceptedItem("type", "مصر", frozenset({"a:0", "b:0"}), "two readings")
    assert [r for _, r in review(audit([a, b]), [accepted])[0]] == ["two readings"]
    c = _doc("c", "مصر", mentions=[(0, 3, "ORG")])
    assert [r for _, r in review(audit([a, b, c]), [accepted])[0]] == [None]


def test_an_exception_without_a_reason_is_refused_in_one_line(tmp_path):
    path = tmp_path / "exceptions.json"
    path.write_text(json.dumps({"accepted": [{"kind": "type", "string": "مصر", "places": [], "reason": " "}]}), encoding="utf-8")
    with pytest.raises(fmt.InputError, match=r"accepted\[0\]\.reason: empty"):
        read_exceptions(path)


def test_every_audit_item_of_the_real_corpus_is_resolved_or_a_reviewed_exception(corpus):
    assert len(corpus) > 1
    result = run_khabar("audit", "--check")
    assert result.returncode == 0, result.stdout
    last = result.stdout.splitlines()[-1]
    assert last.startswith(f"audit of {len(corpus)} document(s): nothing to review; ")
    assert last.endswith("; 0 stale exception(s)")


def test_a_value_string_of_two_types_is_listed():
    # «الإعدام» a Crime value in a, a Sentence value in b: one item; «القتل» Crime in both: none
    text = "حكم بالإعدام بتهمة القتل"
    values = {"a": ("Crime", "Crime"), "b": ("Sentence", "Crime")}
    documents = [
        fmt.Document(doc_id, text, {}, values=(fmt.Value("X1", first, 5, 12, text[5:12]), fmt.Value("X2", second, 19, 24, text[19:24])))
        for doc_id, (first, second) in values.items()
    ]
    assert [(i.kind, i.string, i.places, i.description) for i in audit(documents)] == [
        ("value type", "الإعدام", ("a:5", "b:5"), "«الإعدام» is Crime at a:5; Sentence at b:5")
    ]
