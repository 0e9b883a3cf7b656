""".doc (Word 97-2003) and RTF: converted to .docx by LibreOffice headless, then read
by the .docx walker.  Without LibreOffice the error names what to install.

Each process uses its own LibreOffice profile (concurrent soffice runs sharing one
profile fail silently), created on first use and removed at exit; conversions in one
process are serialised.  The subprocess runs in its own session so that a timeout
kills soffice and its children.
"""
from __future__ import annotations

import atexit
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import Optional

from pipeline.read.common import Deadline, Failure, TextBuilder
from pipeline.read.docx import read_docx

CONVERT_TIMEOUT = 120.0
_lock = threading.Lock()
_profile: Optional[str] = None


def find_soffice() -> Optional[str]:
    return os.environ.get("JIXIAO_SOFFICE") or shutil.which("soffice") or shutil.which("libreoffice")


def _profile_dir() -> str:
    global _profile
    if _profile is None:
        _profile = tempfile.mkdtemp(prefix="jixiao-lo-")
        atexit.register(shutil.rmtree, _profile, True)
    return _profile


def read_doc(data: bytes, kind: str, *, max_bytes: int, deadline: Deadline) -> tuple[str, TextBuilder, list[str]]:
    exe = find_soffice()
    if exe is None:
        raise Failure(
            "unsupported_format",
            "读取 .doc 文件需要安装 LibreOffice（如 apt-get install libreoffice-writer），或把文件另存为 .docx 后提交",
        )
    with tempfile.TemporaryDirectory(prefix="jixiao-doc-") as td:
        src = Path(td) / f"in.{kind}"
        src.write_bytes(data)
        outdir = Path(td) / "out"
        with _lock:
            deadline.check()
            cmd = [exe, f"-env:UserInstallation={Path(_profile_dir()).as_uri()}", "--headless", "--norestore",
                   "--nolockcheck", "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(outdir), str(src)]
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL, start_new_session=True)
            try:
                proc.wait(timeout=deadline.remaining(CONVERT_TIMEOUT))
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait()
                raise Failure("timeout")
        out = outdir / "in.docx"
        if not out.exists() or out.stat().st_size == 0:
            raise Failure("corrupt_file", "LibreOffice 无法打开这个 .doc 文件（可能已损坏或设置了密码），请另存为 .docx 后提交")
        return read_docx(out.read_bytes(), max_bytes=max_bytes, deadline=deadline)
