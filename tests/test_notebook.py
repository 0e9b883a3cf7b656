"""notebooks/explore.ipynb runs end to end (nbclient) against a store built from the seed
corpus, so it never rots: every cell executes, the two plots are drawn, and the findings
it lists are the store's findings."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "explore.ipynb"


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("nb") / "demo.duckdb"
    jixiao = Path(sys.executable).with_name("jixiao")
    r = subprocess.run([str(jixiao), "ingest", str(ROOT / "corpus"), "--db", str(path), "--quiet"],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    return path


def kernel_dir(tmp: Path) -> Path:
    """A python3 kernel spec that runs this interpreter (the venv's), found first on JUPYTER_PATH."""
    spec = tmp / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (jixiao venv)", "language": "python",
    }))
    return spec.parents[1]


def test_notebook_runs_end_to_end(db, tmp_path, monkeypatch):
    import duckdb
    import nbformat
    from nbclient import NotebookClient

    monkeypatch.setenv("JIXIAO_DB", str(db))
    monkeypatch.setenv("JUPYTER_PATH", str(kernel_dir(tmp_path)))
    monkeypatch.setenv("MPLBACKEND", "module://matplotlib_inline.backend_inline")
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("import sys; print(sys.executable)"))  # which python ran it
    client = NotebookClient(nb, kernel_name="python3", timeout=300,
                            resources={"metadata": {"path": str(NOTEBOOK.parent)}})
    client.execute()  # raises CellExecutionError on the first failing cell

    # the kernel was this venv's python, not some other python3 on the machine
    assert nb.cells.pop().outputs[0]["text"].strip() == sys.executable

    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.output_type == "error"]
    pngs = [o for o in outputs if o.output_type == "display_data" and "image/png" in o.get("data", {})]
    assert len(pngs) == 2

    con = duckdb.connect(str(db), read_only=True)
    n_docs, n_findings = con.execute("SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM findings)").fetchone()
    messages = [m for (m,) in con.execute("SELECT message FROM findings").fetchall()]
    con.close()
    assert n_docs == 5

    # the documents table lists all five seeds
    tables = [o["data"]["text/html"] for o in outputs if o.output_type == "display_data" and "text/html" in o.get("data", {})]
    assert f"<p><b>{n_docs}</b> rows</p>" in tables[0]
    assert all(f"corpus/{p.name}" in tables[0] for p in (ROOT / "corpus").glob("*.txt"))

    # the findings cell prints every finding of the store, with its message
    cell = next(c for c in nb.cells if "findings" in c.metadata.get("tags", []))
    text = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
    assert text.rstrip().endswith(f"{n_findings} findings")
    for m in messages:
        assert m in text
