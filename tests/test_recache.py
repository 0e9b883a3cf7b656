"""pipeline.recache: patterns rebuilt from the disk cache are the patterns `re` makes."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline import recache

ROOT = Path(__file__).resolve().parent.parent

PATTERNS = [
    (r"(?P<num>\d+(?:\.\d+)?)(?P<unit>万元|亿元|元)", 0),
    (r"(?i)abc|d[ef]+", 0),
    (r"""
        (?P<y>\d{4}) 年   # year
        (?:(?P<m>\d{1,2}) 月)?
     """, __import__("re").VERBOSE),
    (r"(a)(b)?(?:c)\2", 0),
    (r"[^\u4e00-\u9fff]+$", __import__("re").MULTILINE),
    (r"(?<=第)[一二三四五六七八九十]+(?=条)", 0),
    (r"x", __import__("re").IGNORECASE | __import__("re").ASCII),
]

SCRIPT = """
import re, sys, json
import pipeline  # installs the cache
from pipeline import recache
from tests.test_recache import PATTERNS
recache._OURS += ("<string>",)  # this script's patterns count as the project's own
out = []
for p, f in PATTERNS:
    got = re.compile(p, f)
    ref = recache._original(p, f) if recache._original else got
    out.append([got == ref, got.groupindex == ref.groupindex, got.groups == ref.groups, got.flags == ref.flags,
                (p, f) in recache._table])
print(json.dumps({"checks": out, "added": recache._added}))
"""


def _run(tmp_path: Path, **env) -> dict:
    import json

    e = dict(os.environ, JIXIAO_CACHE_DIR=str(tmp_path), PYTHONPATH=str(ROOT), **env)
    p = subprocess.run([sys.executable, "-c", SCRIPT], env=e, capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(p.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(not recache._supported(), reason="needs CPython 3.11+ (re._compiler)")
def test_cache_written_then_served_equal(tmp_path):
    first = _run(tmp_path)
    assert all(all(c[:4]) for c in first["checks"])
    assert all(c[4] for c in first["checks"])  # every pattern recorded
    assert list(tmp_path.glob("re-*.marshal"))
    second = _run(tmp_path)  # served from the file: the same patterns
    assert all(all(c) for c in second["checks"])


def test_off_switch(tmp_path):
    out = _run(tmp_path, JIXIAO_RE_CACHE="0")
    assert not any(c[4] for c in out["checks"])
    assert not list(tmp_path.glob("re-*"))


@pytest.mark.skipif(not recache._supported(), reason="needs CPython 3.11+ (re._compiler)")
def test_damaged_file_is_ignored(tmp_path):
    (tmp_path / Path(recache.cache_path()).name).write_bytes(b"\x00garbage")
    out = _run(tmp_path)
    assert all(all(c[:4]) for c in out["checks"])


@pytest.mark.skipif(not recache._supported(), reason="needs CPython 3.11+ (re._compiler)")
def test_only_the_projects_patterns_are_kept(tmp_path):
    code = ("import re, pipeline\nfrom pipeline import recache\n"
            "re.compile('not-ours-[0-9]+')\n"
            "import extractors.amounts\n"
            "print(sum(1 for p, f in recache._table if p == 'not-ours-[0-9]+'), len(recache._table))")
    e = dict(os.environ, JIXIAO_CACHE_DIR=str(tmp_path), PYTHONPATH=str(ROOT))
    out = subprocess.run([sys.executable, "-c", code], env=e, capture_output=True, text=True, cwd=ROOT, check=True)
    mine, total = map(int, out.stdout.split())
    assert mine == 0 and total > 10  # the extractors' patterns are kept, the script's is not
