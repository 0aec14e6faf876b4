"""The viewer: matching against the gold, the page's text and marks, and the page as Chromium renders it.

The real gold is still being annotated, so the page is tested on a small hand-made document whose every
layer is filled (nested and crossing spans, a quote with cue and speaker, an event with arguments) and
whose text holds the characters HTML must escape; the corpus is rendered beside it.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from khabar.corpus import format as fmt
from khabar.corpus.viewer import Item, Outcome, match, render_page

from conftest import run_khabar
from external import require_program

TEXT = 'قال وزير الخارجية الإيراني حسين أمير عبد اللهيان في طهران: "السلام ممكن <و> الحوار & التعاون".\nوالتقى الوزير نظيره في باكو.'


def at(fragment: str, occurrence: int = 0) -> tuple[int, int]:
    """The span of the n-th occurrence of ``fragment`` in TEXT."""
    start = -1
    for _ in range(occurrence + 1):
        start = TEXT.index(fragment, start + 1)
    return start, start + len(fragment)


def mention(mention_id: str, fragment: str, kind_of_entity: str, kind: str, entity: str) -> fmt.Mention:
    start, end = at(fragment)
    return fmt.Mention(mention_id, start, end, fragment, kind_of_entity, kind, entity)


MENTIONS = (
    mention("T1", "وزير الخارجية الإيراني", "OCC", "name", "E1"),
    mention("T2", "الإيراني", "NORP", "name", "E2"),
    mention("T3", "حسين أمير عبد اللهيان", "PERS", "name", "E3"),
    mention("T4", "طهران", "GPE", "name", "E4"),
    mention("T5", "الوزير", "PERS", "nominal", "E3"),
    mention("T6", "باكو", "GPE", "name", "E5"),
)
CONTENT = at("السلام ممكن <و> الحوار & التعاون")
TRIGGER = (at("والتقى")[0] + 1, at("والتقى")[1])

HANDMADE = fmt.Document(
    id="zz_handmade",
    text=TEXT,
    meta={
        "source_file": "seeds/zz_handmade.txt",
        "sha256": hashlib.sha256(TEXT.encode("utf-8")).hexdigest(),
        "publisher": "hand-made test document",
        "published": "never",
        "language": "ar",
    },
    clusters=(
        fmt.Cluster("E1", "OCC", "وزير الخارجية الإيراني"),
        fmt.Cluster("E2", "NORP", "الإيراني"),
        fmt.Cluster("E3", "PERS", "حسين أمير عبد اللهيان"),
        fmt.Cluster("E4", "GPE", "طهران"),
        fmt.Cluster("E5", "GPE", "باكو"),
    ),
    entities=MENTIONS,
    quotes=(fmt.Quote("Q1", "direct", fmt.Span(*CONTENT), fmt.Span(*at("قال")), "T3", "E3"),),
    events=(
        fmt.Event(
            "V1", "Contact:Meet", fmt.Span(*TRIGGER), (fmt.Argument("Entity", "T5"), fmt.Argument("Place", "T6")),
            "Asserted", "Positive", "Specific", "Past", "EV1",
        ),
    ),
)

# A system's output on HANDMADE, and what each item should be marked:
#   T3 PERS exact                  -> correct
#   T1's span typed ORG            -> wrong-type (gold OCC, predicted ORG)
#   T4 GPE exact                   -> correct
#   "الخارجية" ORG (inside T1)      -> spurious
#   "الإيراني حسين" PERS            -> spurious, and it crosses T1 and T3
#   T2, T6 not predicted           -> missed
#   T5 (the nominal الوزير)         -> not scored: a system is scored on the NER layer (kind name)
# Exact span+type counts: TP = 2; FP = 2 spurious + 1 wrong-type = 3; FN = 2 missed + 1 wrong-type = 3.
# P = 2/5 = 40.0, R = 2/5 = 40.0, F1 = 2*2/(5+5) = 40.0.
# The event trigger is predicted with another subtype (wrong-type); quotes are not submitted.
PREDICTION = {
    "id": HANDMADE.id,
    "entities": [
        {"start": MENTIONS[2].start, "end": MENTIONS[2].end, "type": "PERS"},
        {"start": MENTIONS[0].start, "end": MENTIONS[0].end, "type": "ORG"},
        {"start": MENTIONS[3].start, "end": MENTIONS[3].end, "type": "GPE"},
        dict(zip(("start", "end"), at("الخارجية")), type="ORG"),
        dict(zip(("start", "end"), at("الإيراني حسين")), type="PERS"),
    ],
    "events": [{"type": "Conflict:Attack", "trigger": {"start": TRIGGER[0], "end": TRIGGER[1]}, "arguments": []}],
}
EXPECTED_STATUS = {"T1": "wrong-type", "T2": "missed", "T3": "correct", "T4": "correct", "T6": "missed"}


@pytest.fixture
def handmade_data(tmp_path) -> Path:
    """A built-corpus file holding HANDMADE, validated by the format module like any corpus file."""
    obj = fmt.document_to_json(HANDMADE, with_layout=False)
    assert fmt.check_document(obj, "handmade", seed_check=False) == []
    path = tmp_path / "documents.jsonl"
    path.write_text(fmt.dumps_line(obj) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def prediction_file(tmp_path) -> Path:
    path = tmp_path / "pred.jsonl"
    path.write_text(json.dumps(PREDICTION, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


# --------------------------------------------------------------------------------------------------
# Reading the page back


class PageReader(HTMLParser):
    """Collects every element's attributes by class, and the text of each ``.text`` block without labels."""

    VOID = {"meta", "br", "img", "input", "link", "hr"}

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.texts: list[str] = []
        self._stack: list[tuple[str, set[str]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        self.elements.append((tag, attributes))
        if tag in self.VOID:
            return
        classes = set(attributes.get("class", "").split())
        self._stack.append((tag, classes))
        if tag == "div" and "text" in classes:
            self.texts.append("")

    def handle_endtag(self, tag):
        while self._stack:
            if self._stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        inside = [classes for _, classes in self._stack]
        if any("text" in c for c in inside) and not any("label" in c for c in inside):
            self.texts[-1] += data

    def with_class(self, name: str) -> list[dict[str, str]]:
        return [attrs for _, attrs in self.elements if name in attrs.get("class", "").split()]

    def root(self) -> dict[str, str]:
        return next(attrs for tag, attrs in self.elements if tag == "html")


def mentions_in(page: PageReader, layer: str) -> dict[str, dict[str, str]]:
    """The mention elements of one layer by id; fragments of a split mention must agree on every attribute."""
    found: dict[str, dict[str, str]] = {}
    for attrs in page.with_class("mention"):
        if attrs.get("data-layer") != layer:
            continue
        whole = {k: v for k, v in attrs.items() if k != "data-part"}
        assert found.setdefault(attrs["data-id"], whole) == whole, f"fragments of {attrs['data-id']} disagree"
    return found


def gold_element(page: PageReader, name: str) -> dict[str, str]:
    """The first gold element of a class (the legend's samples carry no layer)."""
    return next(a for a in page.with_class(name) if a.get("data-layer") == "gold")


def expected_gold(documents) -> dict[str, tuple[str, str, str]]:
    return {m.id: (m.type, str(m.start), str(m.end)) for doc in documents for m in doc.entities}


def assert_every_gold_mention_shown(page: PageReader, documents) -> None:
    shown = {i: (a["data-type"], a["data-start"], a["data-end"]) for i, a in mentions_in(page, "gold").items()}
    # Mention ids are unique within a document only; the hand-made document's are checked one by one.
    assert shown == expected_gold(documents)


# --------------------------------------------------------------------------------------------------
# Without a browser


def test_match_classifies_by_exact_span_and_type():
    gold = [Item(0, 4, "PERS", "T1"), Item(0, 4, "GPE", "T2"), Item(5, 9, "ORG", "T3"), Item(10, 12, "LOC", "T4")]
    predicted = [Item(0, 4, "GPE", "p1"), Item(0, 4, "NORP", "p2"), Item(10, 12, "LOC", "p3"), Item(13, 15, "LOC", "p4")]
    # At 0:4 gold {PERS, GPE} vs predicted {GPE, NORP}: GPE agrees, PERS pairs with NORP as wrong-type.
    assert match(gold, predicted) == [
        Outcome(Item(0, 4, "GPE", "T2"), "gold", "correct"),
        Outcome(Item(0, 4, "PERS", "T1"), "gold", "wrong-type", "NORP"),
        Outcome(Item(5, 9, "ORG", "T3"), "gold", "missed"),
        Outcome(Item(10, 12, "LOC", "T4"), "gold", "correct"),
        Outcome(Item(13, 15, "LOC", "p4"), "pred", "spurious"),
    ]


def test_page_text_is_the_document_text_and_every_mention_is_marked():
    page = PageReader(render_page([HANDMADE]))
    assert page.texts == [TEXT]
    assert_every_gold_mention_shown(page, [HANDMADE])
    assert page.root()["dir"] == "rtl" and page.root()["lang"] == "ar"
    quote = gold_element(page, "quote")
    assert (quote["data-id"], int(quote["data-start"]), int(quote["data-end"])) == ("Q1", *CONTENT)
    trigger = gold_element(page, "trigger")
    assert (trigger["data-type"], int(trigger["data-start"])) == ("Contact:Meet", TRIGGER[0])


def test_page_is_self_contained():
    html = render_page([HANDMADE])
    for reference in ("http:", "https:", "//", "src=", "@import", "url("):
        assert reference not in html.replace("</", ""), reference


def test_view_command_is_deterministic_across_hash_seeds(handmade_data, prediction_file, tmp_path):
    pages = []
    for seed in ("0", "1", "12345"):
        out = tmp_path / f"page-{seed}.html"
        result = run_khabar("view", "--data", str(handmade_data), "--pred", str(prediction_file), "--out", str(out), env={"PYTHONHASHSEED": seed})
        assert result.returncode == 0, result.stderr
        pages.append(out.read_bytes())
    assert pages[0] == pages[1] == pages[2]


def test_unknown_document_is_a_one_line_error(handmade_data, tmp_path):
    out = tmp_path / "page.html"
    result = run_khabar("view", "--data", str(handmade_data), "--doc", "nope", "--out", str(out))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "'nope'" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


def test_bad_prediction_is_a_one_line_error(handmade_data, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"id": HANDMADE.id, "entities": [{"start": 5, "end": 9999, "type": "PERS"}]}) + "\n", encoding="utf-8")
    result = run_khabar("view", "--data", str(handmade_data), "--pred", str(bad), "--out", str(tmp_path / "page.html"))
    assert result.returncode == 2
    assert "entities[0].end" in result.stderr and "Traceback" not in result.stderr


# --------------------------------------------------------------------------------------------------
# In Chromium


def chromium_binary() -> str:
    return require_program(("chromium", "chromium-browser", "google-chrome"), "install it with `apt-get install chromium` (or run .ci/install-chromium)")


def render_in_chromium(page: Path, workdir: Path) -> tuple[PageReader, Path]:
    """The DOM after Chromium loaded and laid out ``page`` (scripts run), and a screenshot of it."""
    binary = chromium_binary()
    common = [
        binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--run-all-compositor-stages-before-draw", f"--user-data-dir={workdir / 'profile'}",
    ]
    url = page.resolve().as_uri()
    dump = subprocess.run([*common, "--dump-dom", url], capture_output=True, text=True, timeout=180)
    assert dump.returncode == 0, dump.stderr[-2000:]
    screenshot = workdir / "page.png"
    shot = subprocess.run([*common, f"--screenshot={screenshot}", "--window-size=1280,2000", url], capture_output=True, text=True, timeout=180)
    assert shot.returncode == 0, shot.stderr[-2000:]
    return PageReader(dump.stdout), screenshot


def assert_png(path: Path) -> None:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1280, 2000)


def test_gold_page_in_chromium(handmade_data, tmp_path):
    out = tmp_path / "gold.html"
    result = run_khabar("view", "--data", str(handmade_data), "--out", str(out))
    assert result.returncode == 0, result.stderr
    page, screenshot = render_in_chromium(out, tmp_path)
    assert page.root()["data-computed-direction"] == "rtl", "the browser did not lay the body out right-to-left"
    assert page.texts == [TEXT]
    assert_every_gold_mention_shown(page, [HANDMADE])
    assert_png(screenshot)


def test_corpus_page_in_chromium(corpus, tmp_path):
    out = tmp_path / "corpus.html"
    result = run_khabar("view", "--out", str(out))
    assert result.returncode == 0, result.stderr
    page, screenshot = render_in_chromium(out, tmp_path)
    assert page.root()["data-computed-direction"] == "rtl"
    assert page.texts == [doc.text for doc in corpus]
    shown = [(a["data-type"], a["data-start"], a["data-end"]) for a in page.with_class("mention") if a.get("data-layer") == "gold" and "data-part" not in a]
    assert sorted(shown) == sorted((m.type, str(m.start), str(m.end)) for doc in corpus for m in doc.entities)
    assert_png(screenshot)


def test_system_against_gold_in_chromium(handmade_data, prediction_file, tmp_path):
    out = tmp_path / "pred.html"
    result = run_khabar("view", "--data", str(handmade_data), "--pred", str(prediction_file), "--out", str(out))
    assert result.returncode == 0, result.stderr
    page, screenshot = render_in_chromium(out, tmp_path)
    assert page.root()["data-computed-direction"] == "rtl"
    assert page.texts == [TEXT]
    assert_every_gold_mention_shown(page, [HANDMADE])
    gold = mentions_in(page, "gold")
    assert {i: a["data-status"] for i, a in gold.items() if "data-status" in a} == EXPECTED_STATUS
    assert "data-status" not in gold["T5"], "a nominal mention is shown but not scored"
    assert gold["T1"]["data-pred-type"] == "ORG"
    spurious = sorted((a["data-type"], TEXT[int(a["data-start"]) : int(a["data-end"])]) for a in mentions_in(page, "pred").values())
    assert spurious == [("ORG", "الخارجية"), ("PERS", "الإيراني حسين")]
    assert all(a["data-status"] == "spurious" for a in mentions_in(page, "pred").values())
    # The crossing prediction splits whatever it crosses into fragments; each mention is still shown whole.
    assert any(a.get("data-part") == "continued" for a in page.with_class("mention"))
    trigger = gold_element(page, "trigger")
    assert (trigger["data-status"], trigger["data-pred-type"]) == ("wrong-type", "Conflict:Attack")
    assert "data-status" not in gold_element(page, "quote"), "quotes were not submitted, so not compared"
    assert_png(screenshot)


def test_scores_at_the_top_are_exact_match_counts(handmade_data, prediction_file, tmp_path):
    out = tmp_path / "pred.html"
    assert run_khabar("view", "--data", str(handmade_data), "--pred", str(prediction_file), "--out", str(out)).returncode == 0
    rows = ScoreRows(out.read_text(encoding="utf-8")).rows
    # Columns: correct, wrong-type, missed, spurious, P, R, F1.
    # Entities (see PREDICTION): 2, 1, 2, 2; P 2/5 = 40.0, R 2/5 = 40.0, F1 40.0.
    # Event triggers: the one gold trigger is predicted with another subtype: 0, 1, 0, 0, all ratios 0.
    # Quotes were not submitted, so they have no row.
    # The headline row, strict over the flat layer as khabar score counts it: the gold's outermost
    # mentions are T1, T3, T4, T6 (T2 lies inside T1); the predictions inside another (الخارجية) drop out.
    # T3 and T4 correct; T1's span typed ORG is the wrong-type pair; the crossing PERS, left without a gold
    # item, is spurious; T6 is missed: 2, 1, 1, 1; P = R = 2/4 = 50.0, F1 50.0.
    assert rows == {
        (HANDMADE.id, "entities-flat"): ["2", "1", "1", "1", "50.0", "50.0", "50.0"],
        (HANDMADE.id, "entities"): ["2", "1", "2", "2", "40.0", "40.0", "40.0"],
        (HANDMADE.id, "events"): ["0", "1", "0", "0", "0.0", "0.0", "0.0"],
    }


def test_entity_scores_agree_with_the_official_scorer(handmade_data, prediction_file):
    """The viewer's figures are the scorer's strict (span and type) metric on nested mentions."""
    entities = pytest.importorskip("khabar.scorers.entities")
    from khabar.corpus.viewer import compare, counts

    prediction = fmt.read_predictions(prediction_file, {HANDMADE.id: HANDMADE})[HANDMADE.id]
    viewer = counts(compare(HANDMADE, prediction, ("entities",)).outcomes["entities"])
    gold = [(m.start, m.end, m.type) for m in fmt.ner_mentions(HANDMADE)]
    predicted = [(e.start, e.end, e.type) for e in prediction.entities]
    official = entities.document_counts(entities.layer_of(gold, "nested"), entities.layer_of(predicted, "nested"), metrics=("strict",))
    (strict,) = [c for unit in official.values() for key, c in unit.items() if key == ("strict", entities.OVERALL)]
    assert (viewer.precision, viewer.recall, viewer.f1) == (strict.precision, strict.recall, strict.f1)


class ScoreRows(HTMLParser):
    """The numeric cells of the score table, by (document, layer)."""

    def __init__(self, html: str):
        super().__init__()
        self.rows: dict[tuple[str, str], list[str]] = {}
        self._row: list[str] | None = None
        self._numeric = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "tr" and "data-doc" in attrs:
            self._row = self.rows.setdefault((attrs["data-doc"], attrs["data-layer"]), [])
        self._numeric = self._row is not None and tag == "td" and attrs.get("class") == "num"

    def handle_endtag(self, tag):
        if tag == "td":
            self._numeric = False
        if tag == "tr":
            self._row = None

    def handle_data(self, data):
        if self._numeric:
            self._row.append(data)


def test_a_page_of_several_documents_opens_with_an_index_linking_each(corpus):
    # two documents (the second a renamed copy, in test): the index lists both, in page order, with
    # their splits, and each link points at its document's section
    doc = corpus[0]
    other = fmt.Document(id="zz_copy", text=doc.text, meta={**doc.meta, "split": "test", "title": "نسخة"})
    page = render_page([doc, other])
    index = page.split('<nav class="index">', 1)[1].split("</nav>", 1)[0]
    assert re.findall(r'href="#doc-([^"]+)"', index) == [doc.id, "zz_copy"]
    assert f'<td class="en">{doc.meta["split"]}</td>' in index and '<td class="en">test</td>' in index
    assert 'id="doc-zz_copy"' in page
    assert '<nav class="index">' not in render_page([doc])


def test_the_headline_row_is_khabar_scores_strict_flat_figure():
    # results/viewer.html's system (the rules baseline) on the test split: the "all documents" headline
    # row is the F1 the results table reports for it, the nested row another figure, named as such
    from khabar.corpus.results import reported_split
    from khabar.scorers.entities import score_entities

    documents = fmt.load_corpus(split=reported_split())
    predictions = fmt.read_predictions(fmt.ROOT / "results" / "rules.predictions.jsonl", {doc.id: doc for doc in documents})
    page = render_page(documents, predictions, system="rules")
    rows = ScoreRows(page).rows
    official = score_entities(gold=documents, predictions=predictions, layer="flat", bootstrap=0).counts("strict")
    assert rows["*", "entities-flat"][-1] == f"{100 * official.f1:.1f}"
    nested = score_entities(gold=documents, predictions=predictions, layer="nested", bootstrap=0).counts("strict")
    assert rows["*", "entities"][-1] == f"{100 * nested.f1:.1f}" != rows["*", "entities-flat"][-1]
    assert "flat layer (outermost): strict, the headline of khabar score" in page and "nested layer (every NER mention)" in page


def test_values_are_marked_in_the_text_and_named_in_the_event_table():
    from values_case import document_json

    doc = fmt.document_from_json(document_json())
    page = PageReader(render_page([doc]))
    assert page.texts == [doc.text]
    shown = {a["data-id"]: (a["data-type"], a["data-start"], a["data-end"]) for a in page.with_class("value") if a.get("data-layer") == "gold"}
    assert shown == {v.id: (v.type, str(v.start), str(v.end)) for v in doc.values}
    # values are no entity mentions: every mention element is a mention of the document
    assert set(mentions_in(page, "gold")) == {m.id for m in doc.entities}
    html = render_page([doc])
    assert '<li><span class="en">Crime</span>: القتل <span class="meta en">[25:30]</span> <span class="meta en">(value X1)</span></li>' in html
