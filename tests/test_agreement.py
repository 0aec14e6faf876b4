"""The agreement report: both raw annotations are kept and valid, and docs/agreement.md shows what
`khabar agreement` computes from them."""

from __future__ import annotations

from khabar.corpus import format as fmt

from conftest import run_khabar

AGREEMENT = fmt.ROOT / "corpus" / "agreement"


def test_both_raw_annotations_are_kept_and_valid():
    for annotator in ("a", "b"):
        paths = fmt.annotation_paths(AGREEMENT / annotator)
        assert [p.stem for p in paths] == [p.stem for p in fmt.annotation_paths()]
        assert all(fmt.read_annotation(p).entities for p in paths)


def test_report_table_is_what_the_scorers_compute():
    result = run_khabar("agreement", "corpus/agreement/a", "corpus/agreement/b")
    assert result.returncode == 0, result.stderr
    table = result.stdout.split("\n\nDisagreements")[0] + "\n"
    report = (fmt.ROOT / "docs" / "agreement.md").read_text(encoding="utf-8")
    assert report.split("<!-- agreement:start -->\n")[1].split("<!-- agreement:end -->")[0] == table


def test_an_annotation_agrees_fully_with_itself():
    result = run_khabar("agreement", "corpus/annotations", "corpus/annotations")
    assert result.returncode == 0, result.stderr
    rows = [line for line in result.stdout.splitlines() if line.startswith("| ") and not line.startswith("| layer")]
    assert rows and all(line.endswith("| 100.0 |") for line in rows)
    assert "Disagreements in 000_0d083f3321f654a4: 0" in result.stdout
