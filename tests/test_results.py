"""The baselines results table: a fresh `khabar evaluate` reproduces the committed results and the
README's table exactly."""

from __future__ import annotations

import json

from khabar.baselines import BASELINES
from khabar.corpus import format as fmt

from conftest import run_khabar


def test_fresh_evaluation_reproduces_results_and_readme_table(tmp_path):
    result = run_khabar("evaluate", "--out", str(tmp_path), env={"PYTHONHASHSEED": "7"})
    assert result.returncode == 0, result.stderr
    assert all(name in result.stdout for name in BASELINES)
    committed = fmt.ROOT / "results"
    for name in (f"{baseline}{suffix}" for baseline in sorted(BASELINES) for suffix in (".json", ".predictions.jsonl")):
        assert (tmp_path / name).read_bytes() == (committed / name).read_bytes(), name
    table = run_khabar("results", "--markdown", "--dir", str(tmp_path))
    assert table.returncode == 0, table.stderr
    readme = (fmt.ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.split("<!-- results:start -->\n")[1].split("<!-- results:end -->")[0] == table.stdout


def test_results_files_carry_signatures_of_this_data_and_split(tmp_path):
    from khabar.corpus.results import reported_split

    split = reported_split()
    version, sha256 = fmt.data_fingerprint(split)
    for path in sorted((fmt.ROOT / "results").glob("*.json")):
        result = fmt.read_json_file(path)
        assert result["split"] == split
        reports = result["reports"]
        submitted = set(json.loads((path.parent / f"{path.stem}.predictions.jsonl").read_text(encoding="utf-8").splitlines()[0])) - {"id"}
        assert set(reports) == submitted, "every layer a baseline writes is scored, and only those"
        for task, report in reports.items():
            assert report["task"] == task
            assert f"|data:{version}+{sha256[:8]}|split:{split}|" in report["signature"]
            assert report["bootstrap"]["resamples"] == 1000


def test_results_renders_any_report_files_and_skips_foreign_ones(tmp_path):
    # two `khabar score --format json` outputs (the rules and trivial predictions, entities only), a
    # baseline results file, a JSON file of something else and a file that is not JSON at all
    for name in ("rules", "trivial"):
        scored = run_khabar("score", str(fmt.ROOT / "results" / f"{name}.predictions.jsonl"), "--task", "entities", "--format", "json")
        assert scored.returncode == 0, scored.stderr
        (tmp_path / f"mine-{name}.json").write_text(scored.stdout, encoding="utf-8")
    (tmp_path / "other.json").write_text('{"name": "a package.json", "version": "1"}\n', encoding="utf-8")
    (tmp_path / "broken.json").write_text("[1, 2,\n", encoding="utf-8")
    files = [str(tmp_path / name) for name in ("mine-rules.json", "mine-trivial.json", "other.json", "broken.json")]
    result = run_khabar("results", *files, str(fmt.ROOT / "results" / "crf.json"), "--format", "csv")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    warnings = result.stderr.splitlines()
    assert len(warnings) == 2 and all(line.startswith("warning: ") and "(skipped)" in line for line in warnings)
    assert "other.json: not a Khabar report" in warnings[0] and "broken.json:2: not JSON" in warnings[1]
    rows = {row.split(",")[0]: row.split(",") for row in result.stdout.splitlines()[1:]}

    def committed(name):  # the entities headline of the committed results file, the README's figure
        overall = fmt.read_json_file(fmt.ROOT / "results" / f"{name}.json")["reports"]["entities"]["metrics"]["strict"]["overall"]
        return 100 * overall["f1"], 100 * (overall["f1_interval"][1] - overall["f1_interval"][0]) / 2

    expected = {"crf": committed("crf"), "mine-rules": committed("rules"), "mine-trivial": committed("trivial")}
    assert {name: float(row[1]) for name, row in rows.items()} == {name: round(f1, 2) for name, (f1, _) in expected.items()}
    assert all(row[4] == "" for row in rows.values()), "no quotes were scored"
    latex = run_khabar("results", files[0], "--format", "latex").stdout
    f1, half_width = expected["mine-rules"]
    assert latex.startswith("\\begin{tabular}{lrrr}")
    assert f"mine-rules & {f1:.1f} $\\pm$ {half_width:.1f} & --- & --- \\\\" in latex
    nothing = run_khabar("results", files[2])
    assert nothing.returncode == 2 and nothing.stdout == "" and "no report among the files given" in nothing.stderr
