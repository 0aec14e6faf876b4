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
        assert {r["task"] for r in reports} == submitted, "every layer a baseline writes is scored, and only those"
        for report in reports:
            assert f"|data:{version}+{sha256[:8]}|split:{split}|" in report["signature"]
            assert report["bootstrap"]["resamples"] == 1000
