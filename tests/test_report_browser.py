"""The review site in a real browser: headless Chromium (Debian's), driven over the
Chrome DevTools Protocol through a pipe (--remote-debugging-pipe; stdlib only, no
websocket or driver package).

Checks that the pages' own script runs under their Content-Security-Policy, that every
fact is a highlight with a popover, that clicking a finding scrolls its evidence into
view and flashes it, that sorting and filtering work, and that a hostile report
(`<script>alert(1)</script>`, `"><img src=x onerror=…>`) opens no dialog and creates no
element. Screenshots go to the test's tmp dir, and a copy of each to .cache/screenshots/.

Without chromium the test skips, except under CI (env CI=true), where it fails.
"""
from __future__ import annotations

import base64
import fcntl
import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest

from test_report import EVIL, corpus_records, evil_record

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / ".cache" / "screenshots"
FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-extensions", "--disable-default-apps", "--mute-audio", "--hide-scrollbars",
    "--remote-debugging-pipe",
]


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        exe = shutil.which(name)
        if exe:
            return exe
    if os.environ.get("CI", "").lower() in ("true", "1"):
        pytest.fail("chromium is not installed: the report's browser test must run in CI (tools/sysdeps.sh installs it)")
    pytest.skip("chromium is not installed (apt-get install chromium, or `make sysdeps`)")


class Browser:
    """A tiny CDP client over Chromium's debugging pipe (fd 3: commands in, fd 4: replies
    out; JSON messages separated by NUL bytes)."""

    def __init__(self, exe: str, profile: str):
        cmd_r, self._cmd_w = os.pipe()
        self._res_r, res_w = os.pipe()

        def child_fds():  # runs in the child before exec: put the pipe ends on fds 3 and 4
            a = fcntl.fcntl(cmd_r, fcntl.F_DUPFD, 100)
            b = fcntl.fcntl(res_w, fcntl.F_DUPFD, 100)
            os.dup2(a, 3)
            os.dup2(b, 4)
            os.close(a)
            os.close(b)

        self.proc = subprocess.Popen(
            [exe, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=child_fds, pass_fds=(3, 4),  # everything else is closed after child_fds ran
        )
        os.close(cmd_r)
        os.close(res_w)
        self._next = 0
        self._replies: dict[int, dict] = {}
        self._events: "queue.Queue[dict]" = queue.Queue()
        self._cv = threading.Condition()
        self.events: list[dict] = []  # every event seen, for assertions (dialogs, console, log)
        threading.Thread(target=self._reader, daemon=True).start()
        self.session = None

    def _reader(self) -> None:
        buf = b""
        while True:
            try:
                chunk = os.read(self._res_r, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                with self._cv:
                    self._replies[-1] = {"closed": True}
                    self._cv.notify_all()
                return
            buf += chunk
            while b"\0" in buf:
                raw, buf = buf.split(b"\0", 1)
                msg = json.loads(raw)
                with self._cv:
                    if "id" in msg:
                        self._replies[msg["id"]] = msg
                    else:
                        self.events.append(msg)
                        self._events.put(msg)
                        if msg.get("method") == "Page.javascriptDialogOpening":  # never leave a page hung
                            threading.Thread(target=self.send, args=("Page.handleJavaScriptDialog", {"accept": True}),
                                             kwargs={"session": msg.get("sessionId")}, daemon=True).start()
                    self._cv.notify_all()

    def send(self, method: str, params: dict | None = None, *, session: str | None = "default", timeout: float = 30) -> dict:
        with self._cv:
            self._next += 1
            mid = self._next
        msg = {"id": mid, "method": method, "params": params or {}}
        sid = self.session if session == "default" else session
        if sid:
            msg["sessionId"] = sid
        os.write(self._cmd_w, json.dumps(msg).encode() + b"\0")
        end = time.monotonic() + timeout
        with self._cv:
            while mid not in self._replies:
                if -1 in self._replies:
                    raise RuntimeError(f"chromium closed the pipe during {method}")
                left = end - time.monotonic()
                if left <= 0:
                    raise TimeoutError(method)
                self._cv.wait(left)
            reply = self._replies.pop(mid)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply.get("result", {})

    def open_tab(self, width: int = 1280, height: int = 860) -> None:
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=None)["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True}, session=None)["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self.send(f"{domain}.enable")
        self.send("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False})

    def wait_event(self, method: str, timeout: float = 30) -> dict:
        end = time.monotonic() + timeout
        while True:
            try:
                ev = self._events.get(timeout=max(0.01, end - time.monotonic()))
            except queue.Empty:
                raise TimeoutError(method) from None
            if ev.get("method") == method:
                return ev

    def goto(self, url: str) -> None:
        while not self._events.empty():
            self._events.get_nowait()
        self.send("Page.navigate", {"url": url})
        self.wait_event("Page.loadEventFired")

    def js(self, expression: str):
        r = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in r:
            raise AssertionError(f"JS error in {expression!r}: {r['exceptionDetails']}")
        return r["result"].get("value")

    def click(self, selector: str) -> None:
        """A real mouse click at the centre of the element (scrolled into view first)."""
        box = self.js(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)}); e.scrollIntoView({{block: 'center'}});"
            " const r = e.getClientRects()[0]; return [r.left + r.width / 2, r.top + r.height / 2]; })()"
        )
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", {"type": kind, "x": box[0], "y": box[1], "button": "left", "clickCount": 1})

    def hover(self, selector: str) -> None:
        box = self.js(
            f"(() => {{ const e = document.querySelector({json.dumps(selector)}); e.scrollIntoView({{block: 'center'}});"
            " const r = e.getClientRects()[0]; return [r.left + r.width / 2, r.top + r.height / 2]; })()"
        )
        time.sleep(0.2)  # let the scroll event pass first (scrolling hides an unpinned popover)
        self.send("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": box[0], "y": box[1]})

    def screenshot(self, path: Path, full: bool = False) -> Path:
        params = {"format": "png"}
        if full:
            params["captureBeyondViewport"] = True
            w, h = self.js("[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
            params["clip"] = {"x": 0, "y": 0, "width": w, "height": min(h, 6000), "scale": 1}
        data = self.send("Page.captureScreenshot", params)["data"]
        path.write_bytes(base64.b64decode(data))
        SHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, SHOTS / path.name)
        return path

    def close(self) -> None:
        try:
            self.send("Browser.close", session=None, timeout=5)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        for fd in (self._cmd_w, self._res_r):
            try:
                os.close(fd)
            except OSError:
                pass


@pytest.fixture(scope="module")
def browser():
    exe = chromium()
    with tempfile.TemporaryDirectory(prefix="jixiao-chromium-") as profile:
        b = Browser(exe, profile)
        try:
            b.open_tab()
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from pipeline.report import build_site

    out = tmp_path_factory.mktemp("site")
    build_site([*corpus_records(), evil_record()], out)
    return out


def problems(b: Browser) -> list[str]:
    """Dialogs, uncaught exceptions, console errors and CSP violations seen so far."""
    bad = []
    for ev in b.events:
        m = ev.get("method")
        p = ev.get("params", {})
        if m == "Page.javascriptDialogOpening":
            bad.append(f"dialog: {p.get('type')} {p.get('message')}")
        elif m == "Runtime.exceptionThrown":
            bad.append(f"exception: {p.get('exceptionDetails', {}).get('text')}")
        elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
            bad.append(f"console: {p.get('args')}")
        elif m == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
            bad.append(f"log: {p['entry'].get('text')}")
    return bad


def test_index_lists_documents_sorts_and_filters(browser, site, tmp_path):
    b = browser
    b.goto((site / "index.html").as_uri())
    assert b.js("document.querySelectorAll('#docs tbody tr').length") == 6
    assert b.js("document.querySelector('#shown').textContent") == "显示 6 / 6 份"  # the script ran under the CSP
    assert b.js("document.querySelectorAll('svg.chart').length") >= 1
    b.screenshot(tmp_path / "report-index.png", full=True)
    # sort by 事实 (6th column), descending on the second click: the 师宗县 fixture has most facts
    b.click("#docs thead th:nth-child(6) button")
    b.click("#docs thead th:nth-child(6) button")
    assert b.js("document.querySelector('#docs thead th:nth-child(6)').getAttribute('aria-sort')") == "descending"
    facts = b.js("[...document.querySelectorAll('#docs tbody tr td:nth-child(6)')].map(td => +td.dataset.sort)")
    assert facts == sorted(facts, reverse=True) and facts[0] > facts[-1]
    # filter: only documents with an error finding
    b.js("(() => { const s = document.querySelector('#fflag'); s.value = 'error'; s.dispatchEvent(new Event('change')); })()")
    visible = b.js("[...document.querySelectorAll('#docs tbody tr')].filter(r => !r.hidden).map(r => r.cells[1].textContent)")
    assert sorted(visible) == ["师宗县", "昆明经济技术开发区"]
    b.js("(() => { const s = document.querySelector('#fflag'); s.value = ''; s.dispatchEvent(new Event('change'));"
         " const q = document.querySelector('#q'); q.value = '西工'; q.dispatchEvent(new Event('input')); })()")
    assert b.js("[...document.querySelectorAll('#docs tbody tr')].filter(r => !r.hidden).length") == 1
    assert problems(b) == []


def test_document_page_highlights_and_finding_scrolls_to_evidence(browser, site, tmp_path):
    from test_report import SHIZONG

    b = browser
    page = next(p for p in (site / "docs").glob("*.html") if "师宗县" in p.read_text(encoding="utf-8")[:3000])
    b.goto(page.as_uri())
    kinds = b.js("[...document.querySelectorAll('#text mark.fact')].map(m => m.className)")
    assert len(kinds) == SHIZONG["facts"]
    assert any("k-amount" in k for k in kinds) and any("k-doc_number" in k for k in kinds)
    b.screenshot(tmp_path / "report-document-top.png")

    # the repeated_total finding: its evidence (66,531万元) is far below the fold at first
    link = "li.finding[data-rule=repeated_total] a.evlink[data-target$='-e1']"
    target = b.js(f"document.querySelector(\"{link}\").dataset.target")
    assert b.js(f"document.getElementById('{target}').textContent") == "66,531万元"
    top_before = b.js(f"document.getElementById('{target}').getBoundingClientRect().top")
    assert top_before > b.js("window.innerHeight")
    b.js("window.scrollTo(0, 0)")
    box_click = b.js(f"(() => {{ const r = document.querySelector(\"{link}\").getBoundingClientRect(); return [r.left + r.width/2, r.top + r.height/2]; }})()")
    for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
        b.send("Input.dispatchMouseEvent", {"type": kind, "x": box_click[0], "y": box_click[1], "button": "left", "clickCount": 1})
    r = b.js(f"(() => {{ const r = document.getElementById('{target}').getBoundingClientRect(); return [r.top, r.bottom, window.innerHeight]; }})()")
    assert 0 <= r[0] and r[1] <= r[2], f"evidence not scrolled into view: {r}"
    assert b.js(f"document.getElementById('{target}').classList.contains('flash')")
    b.screenshot(tmp_path / "report-document-evidence.png")

    # clicking the message flashes both figures of the repeated total
    b.js("window.scrollTo(0, 0)")
    b.click("li.finding[data-rule=repeated_total] a.msg")
    flashed = b.js("[...document.querySelectorAll('span.ev.flash')].map(e => e.textContent)")
    assert sorted(flashed) == ["62,531万元", "66,531万元"]

    # a popover with the parsed value, qualifier and metric
    b.hover("#text mark.k-amount[data-metric]")
    assert b.js("!document.getElementById('pop').hidden")
    pop = b.js("document.getElementById('pop').textContent")
    assert "625,310,000 元" in pop and "key_eval.amount" in pop and "限定词" in pop
    b.screenshot(tmp_path / "report-document-popover.png")

    # the outline links to the headings
    b.click("nav.outline a[href='#s-1']")
    assert abs(b.js("document.getElementById('s-1').getBoundingClientRect().top")) < 200
    assert problems(b) == []


def test_hostile_report_renders_as_text(browser, site, tmp_path):
    b = browser
    page = next(p for p in (site / "docs").glob("*.html") if "onerror" in p.read_text(encoding="utf-8"))
    before = len([e for e in b.events if e.get("method") == "Page.javascriptDialogOpening"])
    b.goto(page.as_uri())
    time.sleep(0.3)  # an onerror would fire after the failed image load
    assert b.js("document.querySelectorAll('script').length") == 1  # only the bundled report.js
    assert b.js("document.querySelectorAll('img').length") == 0
    assert b.js("document.querySelectorAll('[onerror]').length") == 0
    assert b.js("window.__pwned === undefined")
    text = b.js("document.getElementById('text').textContent")
    for s in EVIL:
        assert s in text
    assert b.js("document.title").startswith("<script>")
    assert len([e for e in b.events if e.get("method") == "Page.javascriptDialogOpening"]) == before
    b.screenshot(tmp_path / "report-hostile.png")
    b.goto((site / "index.html").as_uri())
    time.sleep(0.2)
    assert b.js("document.querySelectorAll('img, [onerror]').length") == 0
    assert problems(b) == []


def test_every_finding_link_of_the_real_pipeline_scrolls_to_its_evidence(browser, tmp_path):
    """The site of whatever the pipeline finds in the seeds today: every highlight is there,
    and every evidence link of every finding brings its span into view."""
    from pipeline.report import build_site
    from pipeline.run import process

    pairs = [process(p) for p in sorted((ROOT / "corpus").glob("*.txt"))]
    index = build_site([(d.text, r) for d, r in pairs], tmp_path / "site")
    b = browser
    b.goto(index.as_uri())
    assert b.js("document.querySelectorAll('#docs tbody tr').length") == len(pairs)
    b.screenshot(tmp_path / "report-corpus-index.png", full=True)
    for d, r in pairs:
        page = index.parent / "docs" / f"{r.doc_id[:16]}.html"
        b.goto(page.as_uri())
        n_facts = sum(len(getattr(r, k)) for k in ("amounts", "rates", "counts", "doc_numbers", "grades", "scores", "dates"))
        assert b.js("document.querySelectorAll('#text mark.fact:not(.cont)').length") == n_facts
        links = b.js("[...document.querySelectorAll('li.finding a.evlink[data-target]')].map(a => a.dataset.target)")
        for target in links:
            b.js("window.scrollTo(0, 0)")
            b.click(f"a.evlink[data-target='{target}']")
            top, bottom, h = b.js(f"(() => {{ const r = document.getElementById('{target}').getBoundingClientRect(); return [r.top, r.bottom, innerHeight]; }})()")
            assert 0 <= top and bottom <= h, (r.source, target)
        if links:
            b.screenshot(tmp_path / f"report-corpus-{Path(r.source).stem[:3]}-evidence.png")
    assert problems(b) == []


def test_missing_chromium_fails_under_ci_and_skips_elsewhere(monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="chromium is not installed"):
        chromium()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        chromium()
