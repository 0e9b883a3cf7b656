"""`jixiao extract`: one JSON line per file in input order, the same with worker processes
as without, a bad file an error record (not a traceback) that does not stop the rest."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from pipeline.generate import generate

JIXIAO = str(Path(sys.executable).parent / "jixiao")


def _lines(args: list[str]) -> list[dict]:
    run = subprocess.run([JIXIAO, "extract", *args], capture_output=True, text=True)
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr
    return [json.loads(line) for line in run.stdout.splitlines()]


def test_workers_give_the_same_lines_in_input_order(tmp_path):
    generate(9, tmp_path, formats=("txt",), contradiction_rate=0.5, seed=3)
    files = sorted(str(p) for p in tmp_path.glob("*.txt"))
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 not really")
    args = [*files[:4], str(bad), *files[4:]]
    one = _lines(["-j", "1", *args])
    two = _lines(["-j", "2", *args])
    assert one == two
    assert [r["source"] for r in two] == args
    assert two[4]["error"]["code"] == "corrupt_file" and not two[4]["amounts"]
    assert all(r["error"] is None and r["amounts"] for i, r in enumerate(two) if i != 4)
    assert sum(len(r["findings"]) for r in two) > 0


def test_no_readable_file_exits_non_zero(tmp_path):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    run = subprocess.run([JIXIAO, "extract", "-j", "2", str(bad), str(bad), str(bad)], capture_output=True, text=True)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert all(json.loads(line)["error"]["code"] == "empty" for line in run.stdout.splitlines())
