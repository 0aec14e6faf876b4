"""`khabar audit`: the corpus-wide consistency list, on hand-made documents whose items are known."""

from __future__ import annotations

from khabar.corpus import format as fmt
from khabar.corpus.audit import audit

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
    items = audit([a, b])
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


def test_audit_command_prints_a_summary_line_of_the_real_corpus():
    result = run_khabar("audit")
    assert result.returncode == 0, result.stderr
    documents = len(fmt.load_corpus())
    assert result.stdout.splitlines()[-1].startswith(f"audit of {documents} document(s): ")
