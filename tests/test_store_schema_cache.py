"""store._schema(): the tables' DDL kept in a file under a hash of the models' sources, so
that the ingest's parent process writes rows without importing the models (pydantic)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from pipeline import store

ROOT = Path(__file__).resolve().parent.parent


def test_cached_schema_is_the_derived_one():
    assert store._schema() == store._derive_schema()


def test_ingest_parent_writes_without_the_models(tmp_path):
    code = (
        "import sys, json\n"
        "from pipeline import store\n"
        f"con = store.connect({str(tmp_path / 'x.duckdb')!r}, views=False)\n"
        "store.bulk_settings(con); store.init_views(con)\n"
        "store.write_batch(con, [], [{'source': 'a.txt', 'doc_id': None, 'code': 'empty', 'message': 'm', 'pipeline_version': 'v'}])\n"
        "con.close()\n"
        "print(json.dumps(['pydantic' in sys.modules, 'schemas' in sys.modules]))\n"
    )
    env = dict(os.environ, JIXIAO_CACHE_DIR=str(tmp_path / "cache"), PYTHONPATH=str(ROOT))
    runs = [json.loads(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                                      check=True, cwd=ROOT).stdout.strip().splitlines()[-1])
            for _ in range(2)]
    assert runs[0] == [True, True]  # the first derives the DDL from the models and keeps it
    assert runs[1] == [False, False]  # the next one reads it
    assert list((tmp_path / "cache").glob("ddl-*.json"))
