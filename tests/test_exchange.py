"""Exchange formats: CoNLL lines checked against hand-worked tags and seqeval, brat round trips byte for
byte (on the real corpus and on a hand-made document with every layer), bad .ann lines as one-line errors."""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import replace

import pytest
from seqeval.metrics.sequence_labeling import get_entities

from khabar.corpus import format as fmt
from khabar.corpus.build import entity_rows, iob2_names, with_layout
from khabar.corpus.exchange import annotation_conf, conll_text, document_from_brat, document_to_brat, predictions_from_tags, read_tags
from khabar.corpus.projection import outermost, sentence_tokens

from conftest import run_khabar

# --------------------------------------------------------------------------------------------------
# A hand-made document with every layer: three levels of nesting, a cluster of three mentions (one with
# an id brat cannot hold), clusters listed out of first-mention order, a headline quote without cue and a
# quote with cue and source, two coreferent events, one with a repeated role, a trigger inside a clitic.

TEXT = (
    "أميرعبداللهيان : الحوار طريقنا\n"
    "قال وزير خارجية إيران حسين أميرعبداللهيان إن طهران ترحب بالحوار.\n"
    "والتقى أميرعبداللهيان نظيره في باكو وكان اللقاء إيجابيا."
)
DOC_ID = "test_handmade"


def span(needle: str, after: str = "") -> fmt.Span:
    """The first occurrence of ``needle`` after the first occurrence of ``after``."""
    start = TEXT.index(needle, TEXT.index(after) + len(after) if after else 0)
    return fmt.Span(start, start + len(needle))


def mention(mention_id: str, needle: str, type_: str, kind: str, cluster: str, after: str = "") -> fmt.Mention:
    s = span(needle, after)
    return fmt.Mention(mention_id, s.start, s.end, needle, type_, kind, cluster)


LINE1 = "قال "
LINE2 = "والتقى"


def handmade() -> fmt.Document:
    entities = (
        mention("T1", "أميرعبداللهيان", "PERS", "name", "C1"),
        mention("T2", "وزير خارجية إيران", "OCC", "name", "C2"),
        mention("T3", "خارجية إيران", "ORG", "name", "C3"),
        mention("T4", "إيران", "GPE", "name", "C4"),
        mention("T5", "حسين أميرعبداللهيان", "PERS", "name", "C1"),
        mention("T6", "طهران", "GPE", "name", "C5"),
        mention("M9", "أميرعبداللهيان", "PERS", "name", "C1", after=LINE2),
        mention("T7", "نظيره", "PERS", "nominal", "C7"),
        mention("T8", "باكو", "GPE", "name", "C6"),
    )
    clusters = (
        fmt.Cluster("C2", "OCC", "وزير خارجية إيران"),
        fmt.Cluster("C1", "PERS", "حسين أميرعبداللهيان"),
        fmt.Cluster("C3", "ORG", "وزارة الخارجية الإيرانية"),
        fmt.Cluster("C4", "GPE", "إيران"),
        fmt.Cluster("C5", "GPE", "طهران"),
        fmt.Cluster("C6", "GPE", "باكو"),
        fmt.Cluster("C7", "PERS", "نظير أميرعبداللهيان"),
    )
    quotes = (
        fmt.Quote("Q1", "direct", span("الحوار طريقنا"), None, "T1", "C1"),
        fmt.Quote("Q2", "indirect", span("طهران ترحب بالحوار"), span("قال"), "T5", "C1"),
    )
    meet = dict(modality="Asserted", polarity="Positive", genericity="Specific", tense="Past", coref="EV1")
    events = (
        fmt.Event("V1", "Contact:Meet", span("التقى"), (fmt.Argument("Entity", "M9"), fmt.Argument("Entity", "T7"), fmt.Argument("Place", "T8")), **meet),
        fmt.Event("V2", "Contact:Meet", span("اللقاء"), (), **meet),
    )
    meta = {
        "source_file": f"seeds/{DOC_ID}.txt",
        "sha256": hashlib.sha256(TEXT.encode("utf-8")).hexdigest(),
        "publisher": "Khabar tests",
        "published": "never",
        "language": "ar",
    }
    return fmt.Document(DOC_ID, TEXT, meta, entities=entities, clusters=clusters, quotes=quotes, events=events)


def brat_round_trip(doc: fmt.Document) -> fmt.Document:
    return document_from_brat(doc.id, doc.text, document_to_brat(doc), doc.meta, f"{doc.id}.ann", seed_check=False)


def test_handmade_document_is_valid():
    assert fmt.check_document(fmt.document_to_json(handmade(), with_layout=False), "handmade", seed_check=False) == []


# --------------------------------------------------------------------------------------------------
# CoNLL

# Tags worked out by hand from the mentions above. Only kind-name mentions are NER, so the nominal
# نظيره is O. Sentences are the three lines; tokens come from the text alone, so `والتقى` stays one
# token although the trigger is `التقى`. Flat =
# outermost mentions only; nested = one tag per level, outermost first: وزير خارجية إيران is OCC
# (level 0) ⊃ خارجية إيران ORG (level 1) ⊃ إيران GPE (level 2).
EXPECTED_NESTED = f"""# newdoc id = {DOC_ID}
# sent_id = {DOC_ID}-000
# text = أميرعبداللهيان : الحوار طريقنا
أميرعبداللهيان	B-PERS
:	O
الحوار	O
طريقنا	O

# sent_id = {DOC_ID}-001
# text = قال وزير خارجية إيران حسين أميرعبداللهيان إن طهران ترحب بالحوار.
قال	O
وزير	B-OCC
خارجية	I-OCC	B-ORG
إيران	I-OCC	I-ORG	B-GPE
حسين	B-PERS
أميرعبداللهيان	I-PERS
إن	O
طهران	B-GPE
ترحب	O
بالحوار	O
.	O

# sent_id = {DOC_ID}-002
# text = والتقى أميرعبداللهيان نظيره في باكو وكان اللقاء إيجابيا.
والتقى	O
أميرعبداللهيان	B-PERS
نظيره	O
في	O
باكو	B-GPE
وكان	O
اللقاء	O
إيجابيا	O
.	O

"""
# The flat file is the nested one with only the first tag of each token.
EXPECTED_FLAT = EXPECTED_NESTED.replace("I-OCC\tB-ORG", "I-OCC").replace("I-OCC\tI-ORG\tB-GPE", "I-OCC")


def test_conll_flat_lines_of_the_handmade_document():
    assert conll_text([with_layout(handmade())], nested=False) == EXPECTED_FLAT


def test_conll_nested_lines_of_the_handmade_document():
    assert conll_text([with_layout(handmade())], nested=True) == EXPECTED_NESTED


def test_conll_without_comments_has_only_token_lines_and_blanks():
    text = conll_text([with_layout(handmade())], nested=True, comments=False)
    assert text == "".join(line + "\n" for line in EXPECTED_NESTED.splitlines() if not line.startswith("# "))


def decode_columns(sentence) -> set[tuple[str, int, int]]:
    """Every chunk of a sentence's nested columns, decoded column by column with seqeval (end
    inclusive -> exclusive)."""
    return {(label, start, end + 1) for column in sentence.columns for label, start, end in get_entities(list(column))}


def test_nested_levels_decode_to_every_mention_and_level_zero_is_the_flat_layer(corpus):
    names = iob2_names()
    for doc in [with_layout(handmade()), *corpus]:
        ner = {m.id for m in fmt.ner_mentions(doc)}
        for sentence, row in zip(sentence_tokens(doc), entity_rows(doc)):
            flat = list(sentence.columns[0]) if sentence.columns else ["O"] * len(sentence.tokens)
            assert flat == [names[tag] for tag in row["ner_tags"]], row["id"]
            lost = {m.id for _, m in sentence.lost}
            expected = {(m["type"], m["token_start"], m["token_end"]) for m in row["entities"] if m["id"] in ner and m["id"] not in lost}
            assert decode_columns(sentence) == expected, row["id"]


def test_nested_file_agrees_with_the_flat_file_on_the_outermost_layer(corpus):
    documents = [with_layout(handmade()), *corpus]
    flat = conll_text(documents, nested=False).splitlines()
    nested = conll_text(documents, nested=True).splitlines()
    assert len(flat) == len(nested)
    for flat_line, nested_line in zip(flat, nested):
        if flat_line.startswith("# ") or not flat_line:
            assert nested_line == flat_line
        else:
            assert nested_line.split("\t")[:2] == flat_line.split("\t")


def test_flat_conll_decodes_to_the_outermost_mentions():
    doc = with_layout(handmade())
    lines = [line for line in conll_text([doc], nested=False, comments=False).split("\n\n") if line]
    decoded = set()
    for row, block in zip(entity_rows(doc), lines):
        tags = [line.split("\t")[1] for line in block.splitlines()]
        tokens = [doc.tokens.index(t) for t in doc.tokens if row["start"] <= t.start and t.end <= row["end"]]
        decoded |= {(label, doc.tokens[tokens[s]].start, doc.tokens[tokens[e]].end) for label, s, e in get_entities(tags)}
    assert decoded == {(m.type, m.start, m.end) for m in outermost(m for m in doc.entities if m.kind == "name")}


def test_export_conll_command_writes_both_files(tmp_path):
    result = run_khabar("export", "conll", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    documents = fmt.load_corpus()
    assert (tmp_path / "khabar.flat.conll").read_text(encoding="utf-8") == conll_text(documents, nested=False)
    assert (tmp_path / "khabar.nested.conll").read_text(encoding="utf-8") == conll_text(documents, nested=True)


# --------------------------------------------------------------------------------------------------
# From token tags back to a submission

SMALL = "التقى وزير خارجية إيران وفدا من وأذربيجان."


def small() -> fmt.Document:
    """One sentence: OCC وزير خارجية إيران ⊃ GPE إيران, and GPE أذربيجان inside the token وأذربيجان."""
    def at(needle: str) -> fmt.Span:
        start = SMALL.index(needle)
        return fmt.Span(start, start + len(needle))

    mentions = [("T1", "وزير خارجية إيران", "OCC"), ("T2", "إيران", "GPE"), ("T3", "أذربيجان", "GPE")]
    entities = tuple(fmt.Mention(i, *at(text), text, kind, "name", f"C{i}") for i, text, kind in mentions)
    return with_layout(fmt.Document("small", SMALL, {}, entities=entities))


def test_tags_become_the_character_spans_of_their_tokens():
    # tokens: التقى وزير خارجية إيران وفدا من وأذربيجان . ; the flat tags are the outermost mentions:
    # O B-OCC I-OCC I-OCC O O B-GPE O. Back to characters: OCC is وزير خارجية إيران (6:23), and the GPE
    # chunk is its whole token وأذربيجان (32:41), the proclitic و included, where the gold is 33:41.
    doc = small()
    (row,) = entity_rows(doc)
    names = iob2_names()
    tags = [names[t] for t in row["ner_tags"]]
    assert tags == ["O", "B-OCC", "I-OCC", "I-OCC", "O", "O", "B-GPE", "O"]
    (prediction,) = predictions_from_tags([doc], {row["id"]: tags})
    assert [(e.start, e.end, e.type, SMALL[e.start : e.end]) for e in prediction.entities] == [
        (6, 23, "OCC", "وزير خارجية إيران"),
        (32, 41, "GPE", "وأذربيجان"),
    ]
    # a stray I-: no chunk for the strict decoder, a chunk for conlleval's
    stray = ["O", "I-OCC", "I-OCC", "O", "O", "O", "O", "O"]
    assert predictions_from_tags([doc], {row["id"]: stray})[0].entities == ()
    (lenient,) = predictions_from_tags([doc], {row["id"]: stray}, decoder="conlleval")
    assert [(e.start, e.end) for e in lenient.entities] == [(6, 17)]


def test_read_tags_takes_names_or_class_label_ids_and_names_every_bad_line(tmp_path):
    doc = small()
    row_id = entity_rows(doc)[0]["id"]
    names = iob2_names()
    good = tmp_path / "good.jsonl"
    ids = [0, names.index("B-OCC"), names.index("I-OCC"), names.index("I-OCC"), 0, 0, names.index("B-GPE"), 0]
    good.write_text(json.dumps({"id": row_id, "document_id": "small", "ner_tags": ids}) + "\n", encoding="utf-8")
    assert read_tags(good, [doc]) == {row_id: ["O", "B-OCC", "I-OCC", "I-OCC", "O", "O", "B-GPE", "O"]}

    bad = tmp_path / "bad.jsonl"
    lines = [
        {"id": "small-009", "ner_tags": ["O"]},
        {"id": row_id, "ner_tags": ["O"] * 3},
        "not json",
        {"id": row_id, "tags": ["O"] * 8},
        {"id": row_id, "ner_tags": ["O"] * 8},
        {"id": row_id, "ner_tags": ["O"] * 8},
    ]
    bad.write_text("".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines), encoding="utf-8")
    with pytest.raises(fmt.InputError) as caught:
        read_tags(bad, [doc])
    where = fmt.display_path(bad)
    assert str(caught.value).splitlines() == [
        f"{where}:1: id: 'small-009' is not a row of the entities view",
        f"{where}:2: ner_tags: 3 tags for the row's 8 tokens",
        f"{where}:3: not JSON: Expecting value (column 1)",
        f"{where}:4: id: row '{row_id}' again (first on line 2)",
        f"{where}:5: id: row '{row_id}' again (first on line 2)",
        f"{where}:6: id: row '{row_id}' again (first on line 2)",
    ]
    wrong = tmp_path / "wrong.jsonl"
    wrong.write_text(json.dumps({"id": row_id, "ner_tags": ["O", "S-OCC", *["O"] * 6]}) + "\n", encoding="utf-8")
    with pytest.raises(fmt.InputError, match=r"wrong.jsonl:1: ner_tags\[1\]: 'S-OCC' is neither a tag of IOB2 \(O, B-TYPE or I-TYPE\) nor a ClassLabel id below 43$"):
        read_tags(wrong, [doc])
    assert read_tags(wrong, [doc], scheme="IOBES")[row_id][1] == "S-OCC"
    with pytest.raises(fmt.InputError, match=r"wrong.jsonl:1: predicted: missing or not a list \(--field names the key holding the tags\)$"):
        read_tags(wrong, [doc], field="predicted")


def test_a_document_with_some_rows_needs_all_of_them(tmp_path, corpus):
    rows = [row for doc in corpus for row in entity_rows(doc)]
    partial = tmp_path / "partial.jsonl"
    partial.write_text("".join(json.dumps({"id": r["id"], "ner_tags": r["ner_tags"]}) + "\n" for r in rows[1:]), encoding="utf-8")
    with pytest.raises(fmt.InputError, match=rf"partial.jsonl: 1 row\(s\) of documents it covers missing: {rows[0]['id']}$"):
        read_tags(partial, corpus)


def test_from_tags_writes_the_token_extent_of_each_tagged_chunk_and_khabar_scores_it(tmp_path, corpus):
    """The built ner_tags through khabar from-tags: each outermost NER mention comes back as the span
    of the tokens it overlaps (computed here from the view's token ranges), and the file scores."""
    rows = [json.loads(line) for path in sorted(fmt.DATA_DIR.glob("*/entities.jsonl")) for line in path.open(encoding="utf-8")]
    tags = tmp_path / "tags.jsonl"
    tags.write_text("".join(json.dumps({"id": r["id"], "ner_tags": r["ner_tags"]}) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "predictions.jsonl"
    result = run_khabar("from-tags", str(tags), "--out", str(out))
    assert result.returncode == 0, result.stderr
    by_id = {doc.id: doc for doc in corpus}
    expected = {}
    for row in rows:
        doc = by_id[row["document_id"]]
        tokens = [t for t in doc.tokens if row["start"] <= t.start and t.end <= row["end"]]
        flat = {(m.start, m.end, m.type) for m in outermost(fmt.ner_mentions(doc))}
        for e in row["entities"]:
            if (e["start"], e["end"], e["type"]) in flat and e["kind"] == "name":
                expected.setdefault(doc.id, set()).add((tokens[e["token_start"]].start, tokens[e["token_end"] - 1].end, e["type"]))
    written = {obj["id"]: {(e["start"], e["end"], e["type"]) for e in obj["entities"]} for obj in map(json.loads, out.open(encoding="utf-8"))}
    assert written == expected
    score = run_khabar("score", str(out), "--split", "all", "--task", "entities", "--bootstrap", "0", "--format", "json")
    assert score.returncode == 0, score.stderr
    metrics = json.loads(score.stdout)["entities"]["metrics"]
    assert metrics["strict_clitic"]["overall"]["f1"] >= metrics["strict"]["overall"]["f1"] > 0


# --------------------------------------------------------------------------------------------------
# brat


def test_handmade_brat_round_trip_is_byte_identical():
    doc = handmade()
    assert fmt.dumps_annotation(brat_round_trip(doc)) == fmt.dumps_annotation(doc)


def test_handmade_brat_lines_follow_the_brat_format():
    lines = document_to_brat(handmade()).splitlines()
    t4 = span("إيران")
    # A text-bound mention keeps its id; brat offsets are code points, end-exclusive, like ours.
    assert f"T4\tGPE {t4.start} {t4.end}\tإيران" in lines
    # The three mentions of C1 form one equivalence; M9 got a fresh brat id and an id= note.
    (equiv,) = [line for line in lines if line.startswith("*\t")]
    members = equiv.split("\t")[1].split(" ")
    assert members[0] == "Coreference" and members[1:3] == ["T1", "T5"] and len(members) == 4
    m9 = members[3]
    assert any(line.endswith(f"AnnotatorNotes {m9}\tid=M9") for line in lines)
    # Repeated roles are numbered as brat numbers them: Entity, Entity2.
    (meet,) = [line for line in lines if line.startswith("E") and f" Entity:{m9} Entity2:T7 Place:T8" in line]
    assert meet.split("\t")[1].startswith("Contact_Meet:T")


def test_brat_import_keeps_quote_and_cluster_order_from_the_file():
    doc = handmade()
    reordered = replace(doc, clusters=doc.clusters[::-1], quotes=doc.quotes[::-1], events=doc.events[::-1])
    assert fmt.dumps_annotation(brat_round_trip(reordered)) == fmt.dumps_annotation(reordered)


def test_ids_of_any_form_round_trip():
    """A cluster head whose id is no brat id (P1, also a quote source), an event whose id is one (E5)."""
    text = fmt.dumps_annotation(handmade()).replace('"T1"', '"P1"').replace('"V2"', '"E5"')
    doc = fmt.document_from_json(json.loads(text))
    assert fmt.dumps_annotation(brat_round_trip(doc)) == text


def test_span_across_a_line_break_travels_as_fragments():
    doc = handmade()
    content = fmt.Span(span("الحوار طريقنا").start, span("وزير").end)
    doc = replace(doc, quotes=(replace(doc.quotes[0], content=content), doc.quotes[1]))
    ann = document_to_brat(doc)
    assert all("\n" not in line for line in ann.split("\n"))
    assert fmt.dumps_annotation(brat_round_trip(doc)) == fmt.dumps_annotation(doc)


def test_real_corpus_brat_round_trip_is_byte_identical(tmp_path):
    exported, imported = tmp_path / "brat", tmp_path / "annotations"
    result = run_khabar("export", "brat", "--out", str(exported))
    assert result.returncode == 0, result.stderr
    assert (exported / "annotation.conf").is_file()
    result = run_khabar("import", "brat", str(exported), "--out", str(imported))
    assert result.returncode == 0, result.stderr
    originals = fmt.annotation_paths()
    assert sorted(p.name for p in imported.iterdir()) == [p.name for p in originals]
    for original in originals:
        doc = fmt.read_annotation(original)
        assert (exported / f"{doc.id}.txt").read_bytes() == doc.text.encode("utf-8")
        assert (imported / original.name).read_bytes() == original.read_bytes()


def test_import_never_overwrites_without_force(tmp_path):
    exported, imported = tmp_path / "brat", tmp_path / "annotations"
    assert run_khabar("export", "brat", "--out", str(exported)).returncode == 0
    imported.mkdir()
    target = imported / fmt.annotation_paths()[0].name
    target.write_text("an annotator's work\n", encoding="utf-8")
    result = run_khabar("import", "brat", str(exported), "--out", str(imported))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"{target}: already exists; not overwriting it (use --force)"]
    assert target.read_text(encoding="utf-8") == "an annotator's work\n"
    result = run_khabar("import", "brat", str(exported), "--out", str(imported), "--force")
    assert result.returncode == 0, result.stderr
    assert target.read_bytes() == fmt.annotation_paths()[0].read_bytes()


def test_export_never_overwrites_an_ann_without_force(tmp_path):
    assert run_khabar("export", "brat", "--out", str(tmp_path)).returncode == 0
    existing = sorted(tmp_path.glob("*.ann"))
    ann = existing[0]
    ann.write_text("T1\tPERS 0 1\tا\n", encoding="utf-8")
    result = run_khabar("export", "brat", "--out", str(tmp_path))
    assert result.returncode == 2
    # one line per existing file, shortened after fmt.MAX_PROBLEMS lines as every list of problems is
    expected = [f"{path}: already exists; not overwriting it (use --force)" for path in existing]
    lines = result.stderr.splitlines()
    if len(expected) > fmt.MAX_PROBLEMS:
        assert lines[-1] == f"... and {len(expected) - fmt.MAX_PROBLEMS} more problems"
        lines = lines[:-1]
    assert len(lines) == min(len(expected), fmt.MAX_PROBLEMS) and set(lines) <= set(expected)
    assert ann.read_text(encoding="utf-8") == "T1\tPERS 0 1\tا\n"


def test_a_bad_ann_line_is_one_line_naming_file_and_line(tmp_path):
    exported = tmp_path / "brat"
    assert run_khabar("export", "brat", "--out", str(exported)).returncode == 0
    ann = next(exported.glob("*.ann"))
    lines = ann.read_text(encoding="utf-8").splitlines()
    ann.write_text("\n".join([*lines, "T900\tPERS 0 x\tا"]) + "\n", encoding="utf-8")
    result = run_khabar("import", "brat", str(exported), "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"{ann}:{len(lines) + 1}: a text-bound line is 'Tn<TAB>Type start end[;start end]<TAB>text'"]
    assert not (tmp_path / "out").exists()


def corrupted(change) -> str:
    """Import the hand-made document's .ann after ``change``; return the error message."""
    doc = handmade()
    ann = change(document_to_brat(doc).splitlines())
    with pytest.raises(fmt.InputError) as error:
        document_from_brat(doc.id, doc.text, "\n".join(ann) + "\n", doc.meta, "x.ann", seed_check=False)
    return str(error.value)


def line_of(lines, prefix):
    return next(i for i, line in enumerate(lines, start=1) if line.startswith(prefix))


def test_ann_text_that_does_not_match_the_txt():
    def change(lines):
        lines[0] = lines[0].rsplit("\t", 1)[0] + "\tطهران"
        return lines

    assert corrupted(change) == "x.ann:1: text 'طهران' differs from the document at those offsets ('أميرعبداللهيان')"


def test_ann_attribute_value_outside_the_inventory():
    def change(lines):
        lines[1] = lines[1].replace(" name", " proper")
        return lines

    assert corrupted(change) == "x.ann:2: Kind 'proper' is not one of name, nominal, pronoun"


def test_ann_mention_without_cluster():
    lines = document_to_brat(handmade()).splitlines()
    assert corrupted(lambda ls: [line for line in ls if "cluster=C6" not in line]) == (
        f"x.ann:{line_of(lines, 'T8')}: T8 belongs to no cluster: link it (Coreference) to a mention of its cluster, "
        "or give it a note 'cluster=ID canonical=NAME'"
    )


def test_ann_event_without_coref_note():
    lines = document_to_brat(handmade()).splitlines()
    message = corrupted(lambda ls: [line for line in ls if line.split("\t")[1] != "AnnotatorNotes E1"])
    assert message == f"x.ann:{line_of(lines, 'E1')}: E1 has no note with coref= (its event coreference id)"


def test_ann_unknown_line_kind():
    message = corrupted(lambda lines: [*lines, "N1\tReference T1 Wikidata:Q42\tIran"])
    assert message == f"x.ann:{len(document_to_brat(handmade()).splitlines()) + 1}: 'N1' is not a brat id Khabar reads (T, E, R, A, * or # lines)"


def test_exported_ann_is_the_same_whatever_the_hash_seed(tmp_path):
    outputs = []
    for seed in ("0", "1"):
        out = tmp_path / seed
        assert run_khabar("export", "brat", "--out", str(out), env={"PYTHONHASHSEED": seed}).returncode == 0
        outputs.append({p.name: p.read_bytes() for p in out.iterdir()})
    assert outputs[0] == outputs[1]


def test_brat_dir_copy_is_untouched_by_import(tmp_path):
    exported = tmp_path / "brat"
    assert run_khabar("export", "brat", "--out", str(exported)).returncode == 0
    snapshot = tmp_path / "snapshot"
    shutil.copytree(exported, snapshot)
    assert run_khabar("import", "brat", str(exported), "--out", str(tmp_path / "out")).returncode == 0
    assert {p.name: p.read_bytes() for p in exported.iterdir()} == {p.name: p.read_bytes() for p in snapshot.iterdir()}


def _values_document() -> fmt.Document:
    from values_case import document_json

    return fmt.document_from_json(document_json())


def test_values_travel_as_text_bound_annotations_and_round_trip():
    doc = _values_document()
    lines = document_to_brat(doc).splitlines()
    crime = [line for line in lines if line.split("\t")[1].startswith("Crime ")]
    assert len(crime) == 2 and lines[[line.split("\t")[0] for line in lines].index("T5")] == "T5\tCrime 25 30\tالقتل"
    # the value ids are no brat ids: each value got a fresh T id and an id= note; arguments point to it
    assert "#1\tAnnotatorNotes T5\tid=X1" in lines
    (arrest,) = [line for line in lines if line.startswith("E") and "Justice_Arrest-Jail:" in line]
    assert arrest.endswith(" Agent:T1 Person:T2 Crime:T5")
    assert fmt.dumps_annotation(brat_round_trip(doc)) == fmt.dumps_annotation(doc)
    # a value whose id is a brat id keeps it, with no note
    renamed = fmt.document_from_json(json.loads(fmt.dumps_annotation(doc).replace('"X2"', '"T9"')))
    assert "T9\tSentence 52 67\tالسجن عشر سنوات" in document_to_brat(renamed).splitlines()
    assert fmt.dumps_annotation(brat_round_trip(renamed)) == fmt.dumps_annotation(renamed)


def test_annotation_conf_declares_the_value_types_and_their_roles():
    conf = annotation_conf().splitlines()
    entities = conf[conf.index("[entities]") + 1 : conf.index("[relations]")]
    assert entities[-5:] == ["Quote", "Cue", "Crime", "Sentence", ""]
    (sentence,) = [line for line in conf if line.startswith("\tJustice_Sentence\t")]
    roles = dict(part.split(":", 1) for part in sentence.split("\t")[2].split(", "))
    assert roles["Crime*"] == "Crime" and roles["Sentence*"] == "Sentence" and "PERS" in roles["Defendant*"].split("|")


def test_an_ann_value_argument_of_the_wrong_type_is_refused():
    doc = _values_document()
    lines = [line.replace(" Crime:T5", " Crime:T6") for line in document_to_brat(doc).splitlines()]
    with pytest.raises(fmt.ValidationFailed) as error:
        document_from_brat(doc.id, doc.text, "\n".join(lines) + "\n", doc.meta, "x.ann", seed_check=False)
    assert str(error.value) == "x.ann: events[0].arguments[2].value: 'X2' is a Sentence value; 'Crime' takes a Crime value"
