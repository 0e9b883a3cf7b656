"""A disk cache of compiled regular expressions, so that a new process skips `re`'s parser
and compiler (pure Python) for the patterns an earlier run already compiled.

Why: the extractors, checks and readers compile ~330 distinct patterns, ~85 ms of a cold
`jixiao extract` (~0.3 s) and of the ingest's worker warm-up; of that, building the
pattern object from its compiled program (`_sre.compile`) is ~1 ms. So the program of
each pattern is kept, keyed by (pattern text, flags), in one file per interpreter build,
and a later process hands it straight to `_sre.compile`.

- Exact: an entry is stored only after the pattern built from it compared equal
  (`re.Pattern.__eq__` compares flags, pattern text and the whole program) to the one
  `re` made; a pattern not in the file is compiled by `re` as usual. The file's name and
  header hold the interpreter's version, SRE's magic number and code size: another
  Python simply misses.
- Where: $JIXIAO_CACHE_DIR, else $XDG_CACHE_HOME/jixiao, else ~/.cache/jixiao;
  `re-<cache tag>.marshal`. Written (atomically, by rename) when a process compiled
  patterns the file lacked: at exit, and by pipeline.warm in the ingest's worker server.
  Nothing is written when the folder cannot be; JIXIAO_RE_CACHE=0 turns it all off.
- Scope: `install()` replaces `re._compiler.compile`, the function `re.compile` calls on a
  miss of its own in-memory cache, for the whole process; only patterns that the
  project's own modules (pipeline/, extractors/, schemas/) compile are added to the file,
  so that it holds what every run needs and does not grow with tests' or other
  libraries' patterns; bytes patterns and re.DEBUG go to `re` untouched. Only on CPython
  versions with `re._compiler._code` (3.11+); elsewhere install() does nothing.
"""
from __future__ import annotations

import atexit
import marshal
import os
import re
import sys
from array import array

try:
    import _sre
except ImportError:  # pragma: no cover - not CPython
    _sre = None

FORMAT = 1
_table: dict = {}  # (pattern, flags) -> (flags, code as bytes, groups, groupindex, indexgroup)
_used: set = set()  # keys looked up or added by this process
_added = 0  # entries this process added (the file lacks them)
_original = None  # re._compiler.compile before install()
_path: str | None = None


def _header() -> tuple:
    return (FORMAT, sys.version, sys.implementation.cache_tag, getattr(_sre, "MAGIC", None),
            getattr(_sre, "CODESIZE", None))


def cache_path() -> str:
    base = os.environ.get("JIXIAO_CACHE_DIR")
    if not base:
        base = os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "jixiao")
    return os.path.join(base, f"re-{sys.implementation.cache_tag}.marshal")


def _supported() -> bool:
    rc = getattr(re, "_compiler", None)
    return (_sre is not None and sys.implementation.name == "cpython" and rc is not None
            and hasattr(rc, "_code") and hasattr(re, "_parser") and _sre.CODESIZE in (2, 4))


def _typecode() -> str:
    return "I" if _sre.CODESIZE == 4 else "H"


def _load(path: str) -> None:
    try:
        with open(path, "rb") as f:
            data = marshal.load(f)
    except (OSError, EOFError, ValueError, TypeError):
        return
    if isinstance(data, tuple) and len(data) == 2 and data[0] == _header() and isinstance(data[1], dict):
        _table.update(data[1])


def _program(pattern: str, flags: int) -> tuple:
    """What re._compiler.compile hands to _sre.compile (its own steps, without the call)."""
    rc = re._compiler
    p = re._parser.parse(pattern, flags)
    code = rc._code(p, flags)
    groupindex = p.state.groupdict
    indexgroup = [None] * p.state.groups
    for k, i in groupindex.items():
        indexgroup[i] = k
    return (flags | p.state.flags, array(_typecode(), code).tobytes(), p.state.groups - 1,
            dict(groupindex), tuple(indexgroup))


def _build(pattern: str, entry: tuple):
    flags, code, groups, groupindex, indexgroup = entry
    return _sre.compile(pattern, flags, array(_typecode(), code).tolist(), groups, dict(groupindex), indexgroup)


_RE_DIR = os.path.dirname(re.__file__) + os.sep
_OURS = tuple(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), d) + os.sep
              for d in ("pipeline", "extractors", "schemas"))


def _ours() -> bool:
    """Whether the code asking re for this pattern is the project's own (not a test's or
    another library's: the file keeps the patterns every run of the pipeline needs)."""
    try:
        f = sys._getframe(2)
    except ValueError:  # called from the top of a stack
        return False
    while f is not None and f.f_code.co_filename.startswith(_RE_DIR):
        f = f.f_back
    return f is not None and f.f_code.co_filename.startswith(_OURS)


def _compile(p, flags=0):
    if type(p) is not str or flags & re.DEBUG:
        return _original(p, flags)
    key = (p, flags)
    entry = _table.get(key)
    if entry is not None:
        _used.add(key)
        return _build(p, entry)
    pattern = _original(p, flags)  # re's own result is the one returned
    if not _ours():
        return pattern
    try:
        entry = _program(p, flags)
        ok = _build(p, entry) == pattern
    except Exception:  # noqa: BLE001 - a pattern we cannot mirror is simply not cached
        ok = False
    if ok:
        global _added
        _table[key] = entry
        _used.add(key)
        _added += 1
    return pattern


def install() -> None:
    """Serve re.compile's misses from the cache file (once per process)."""
    global _original, _path
    if _original is not None or os.environ.get("JIXIAO_RE_CACHE") == "0" or not _supported():
        return
    _path = cache_path()
    _load(_path)
    _original = re._compiler.compile
    re._compiler.compile = _compile
    atexit.register(save)


MAX_ENTRIES = 1000  # beyond this, a save keeps only what its process used (stale and varying patterns go)


def save() -> None:
    """Write the cache when this process compiled patterns the file lacked."""
    global _added
    if not _added or _path is None:
        return
    table = _table
    if len(table) > MAX_ENTRIES:
        table = {k: v for k, v in table.items() if k in _used}
    tmp = f"{_path}.{os.getpid()}.tmp"
    try:
        os.makedirs(os.path.dirname(_path), exist_ok=True)
        with open(tmp, "wb") as f:
            marshal.dump((_header(), table), f)
        os.replace(tmp, _path)
        _added = 0
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass
