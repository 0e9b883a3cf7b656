"""The README's schema and example queries show the real output of the demo corpus:
rebuild the demo store from corpus/ and check the README still says what the store says."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
JIXIAO = str(Path(sys.executable).with_name("jixiao"))


def test_readme_queries_match_the_demo_corpus(tmp_path):
    db = tmp_path / "demo.duckdb"
    subprocess.run([JIXIAO, "ingest", str(ROOT / "corpus"), "--db", str(db)], check=True, capture_output=True)
    res = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "readme_queries.py"), "--db", str(db),
         "--readme", str(ROOT / "README.md"), "--check"],
        capture_output=True, text=True,
    )
    assert res.returncode == 0, "README.md is out of date: run `.venv/bin/python tools/readme_queries.py` after `make demo`\n" + res.stdout + res.stderr


def test_readme_opens_with_the_two_commands():
    head = (ROOT / "README.md").read_text("utf-8")[:600]
    assert "make demo" in head and "make test" in head
