"""Shared pieces of the benchmark: the served root, the Voila server, process memory, and the
in-page instrumentation (first widget, full render, interaction latency).

Everything talks to 127.0.0.1 only, and every wait is bounded in count and time.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import socket
import statistics
import struct
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import psutil

from coopcourse.fork_provisioner import FORK_SERVER_MODULE, kernel_id_of

REPO = Path(__file__).resolve().parents[1]
COURSE = REPO / "course"
BENCH = REPO / "bench"
BASELINES = BENCH / "notebooks"
BASELINE_DIR = "_bench"  # folder of the baselines inside the served root
TRIVIAL = f"{BASELINE_DIR}/trivial.ipynb"
ECHO = f"{BASELINE_DIR}/echo.ipynb"
PANDAS_MPL = f"{BASELINE_DIR}/imports_pandas_mpl.ipynb"

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SERVER_START_SECONDS = 120
MB = 1024 * 1024


# --- the served root -----------------------------------------------------------------------


def course_notebooks() -> list[str]:
    """Every notebook under course/, relative to it, in a stable order."""
    return sorted(
        p.relative_to(COURSE).as_posix() for p in COURSE.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts
    )


def assemble_root(target: Path) -> Path:
    """A served root holding a copy of course/ and the baselines in ``_bench/``: one server
    serves both, so every ratio compares pages of the same server in the same run."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(COURSE, target, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    shutil.copytree(BASELINES, target / BASELINE_DIR, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return target


def expected_exercises(root: Path, notebook: str) -> int:
    """How many ``.coop-exercise`` a notebook produces: one per code cell that calls into
    ``coopcourse.exercises`` (every exercise cell imports from there; the saved-work bar is not
    an exercise). The echo baseline wraps its widgets in one ``.coop-exercise``."""
    nb = nbformat.read(root / notebook, as_version=4)
    count = sum(1 for c in nb.cells if c.cell_type == "code" and "coopcourse.exercises" in c.source)
    count += sum(1 for c in nb.cells if c.cell_type == "code" and 'add_class("coop-exercise")' in c.source)
    return count


def shows_widgets(root: Path, notebook: str) -> bool:
    """Whether the page shows a widget (the render measure waits for one): a code cell showing an
    exercise or the saved-work bar, or using ipywidgets (the baselines). The glossary's code only
    prints static HTML."""
    nb = nbformat.read(root / notebook, as_version=4)
    markers = ("coopcourse.exercises", "saved_work_bar", "ipywidgets")
    return any(c.cell_type == "code" and any(m in c.source for m in markers) for c in nb.cells)


# --- the Voila server ----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def voila_command(root: Path, port: int, extra: list[str]) -> list[str]:
    """`make serve` (see the Makefile): `voila <root> --Voila.config_file_paths=<repo>`, bound
    to 127.0.0.1, on a free port, without opening a browser, plus ``extra`` options."""
    return [
        sys.executable,
        "-m",
        "coopcourse.course_voila",
        str(root),
        f"--Voila.config_file_paths={REPO}",
        "--Voila.ip=127.0.0.1",
        f"--port={port}",
        "--no-browser",
        *extra,
    ]


@dataclass
class Server:
    name: str
    root: Path
    extra: list[str]
    log_path: Path
    env_extra: dict[str, str] = field(default_factory=dict)
    process: subprocess.Popen | None = None
    port: int = 0
    started_at: float = 0.0
    ready_seconds: float = 0.0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, data_dir: Path) -> None:
        self.port = free_port()
        env = dict(os.environ, COOPCOURSE_DATA_DIR=str(data_dir), **self.env_extra)
        # The course's own Voila templates (pyproject: an editable install needs JUPYTER_PATH).
        share = REPO / "widgets" / "share" / "jupyter"
        if share.is_dir():
            env["JUPYTER_PATH"] = os.pathsep.join(p for p in [str(share), env.get("JUPYTER_PATH", "")] if p)
        self.log = self.log_path.open("w")
        self.started_at = time.monotonic()
        self.process = subprocess.Popen(
            voila_command(self.root, self.port, self.extra),
            cwd=REPO,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + SERVER_START_SECONDS
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"Voila exited with {self.process.returncode}; see {self.log_path}")
            try:
                with urllib.request.urlopen(self.base_url + "/", timeout=5) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"Voila did not answer within {SERVER_START_SECONDS} s; see {self.log_path}")
            time.sleep(0.3)
        self.ready_seconds = time.monotonic() - self.started_at

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=30)
        self.log.close()
        self.process = None

    def log_text(self) -> str:
        self.log.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    # -- processes and memory --

    def kernels(self) -> dict[str, psutil.Process]:
        """Kernel processes of this server by kernel id (from ``kernel-<id>.json`` in the command)."""
        found: dict[str, psutil.Process] = {}
        if self.process is None:
            return found
        try:
            children = psutil.Process(self.process.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return found
        for child in children:
            try:
                kernel_id = kernel_id_of(child)  # a forked kernel too
            except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
                continue
            if kernel_id:
                found[kernel_id] = child
        return found

    def helpers(self) -> list[psutil.Process]:
        """The server's processes that are not kernels: the kernel fork server
        (``coopcourse.fork_server``), whose CPU and memory are the server's."""
        if self.process is None:
            return []
        try:
            children = psutil.Process(self.process.pid).children()
        except psutil.NoSuchProcess:
            return []
        return [child for child in children if _is_fork_server(child)]

    def server_processes(self) -> list[psutil.Process]:
        """The Voila server and its helpers (what the server pays besides its kernels)."""
        return [psutil.Process(self.process.pid), *self.helpers()] if self.process else []

    def memory(self) -> dict[str, float]:
        """PSS (MB) of the server (with its fork server) and of all its kernels, and how many
        kernels run."""
        server = sum(pss_mb(p) for p in self.server_processes())
        kernels = self.kernels()
        kernel_total = sum(pss_mb(p) for p in kernels.values())
        return {
            "server_mb": server,
            "kernels_mb": kernel_total,
            "total_mb": server + kernel_total,
            "kernels": len(kernels),
        }

    def kernels_cpu(self, interval: float = 0.5) -> float:
        """CPU percent used by all kernels over ``interval`` (to wait for a quiet server)."""
        procs = [*self.kernels().values(), *self.server_processes()]
        for p in procs:
            try:
                p.cpu_percent(None)
            except psutil.Error:
                pass
        time.sleep(interval)
        total = 0.0
        for p in procs:
            try:
                total += p.cpu_percent(None)
            except psutil.Error:
                pass
        return total


def _is_fork_server(process: psutil.Process | None) -> bool:
    try:
        return process is not None and FORK_SERVER_MODULE in process.cmdline()
    except psutil.Error:
        return False


def mem_info(process: psutil.Process) -> dict[str, float]:
    try:
        info = process.memory_full_info()
    except (psutil.NoSuchProcess, psutil.ZombieProcess):
        return {"rss": 0.0, "uss": 0.0, "pss": 0.0}
    return {"rss": info.rss / MB, "uss": info.uss / MB, "pss": getattr(info, "pss", info.uss) / MB}


def pss_mb(process: psutil.Process) -> float:
    return mem_info(process)["pss"]


def browser_processes() -> list[psutil.Process]:
    """Every Chromium process started by this benchmark (children of this process)."""
    found = []
    for child in psutil.Process().children(recursive=True):
        try:
            if "chrom" in child.name().lower():
                found.append(child)
        except psutil.Error:
            pass
    return found


def browser_pss_mb() -> float:
    """PSS (MB) of every Chromium process started by this benchmark."""
    return sum(pss_mb(process) for process in browser_processes())


async def wait_quiet(server: Server, kernels: int, timeout: float = 90.0) -> float:
    """Wait until the server runs ``kernels`` kernels and they use little CPU (a closed page's
    kernel is gone, a preheated pool is refilled). Returns the seconds waited."""
    start = time.monotonic()
    calm = 0
    while time.monotonic() - start < timeout:
        count = len(server.kernels())
        cpu = await asyncio.to_thread(server.kernels_cpu, 0.5)
        calm = calm + 1 if count == kernels and cpu < 15 else 0
        if calm >= 2:
            break
    return time.monotonic() - start


# --- what a page costs the server --------------------------------------------------------------


def cpu_s(process: psutil.Process | None) -> float:
    """User + system CPU seconds a process has used so far (0 when it is gone)."""
    if process is None:
        return 0.0
    try:
        times = process.cpu_times()
    except psutil.Error:
        return 0.0
    return times.user + times.system


def wait_processes_idle(
    processes: list[psutil.Process], threshold: float = 5.0, window: float = 0.5, timeout: float = 60.0
) -> float:
    """Wait until ``processes`` together use under ``threshold`` % of one core over two windows in
    a row (the page is idle on the server). Returns the seconds waited (``timeout`` at most)."""
    start = time.monotonic()
    calm = 0
    while time.monotonic() - start < timeout:
        before = sum(cpu_s(p) for p in processes)
        time.sleep(window)
        used = sum(cpu_s(p) for p in processes) - before
        calm = calm + 1 if used / window * 100 < threshold else 0
        if calm >= 2:
            break
    return time.monotonic() - start


def decode_frame(payload: str | bytes) -> dict | None:
    """A Jupyter message from a kernel websocket frame: JSON text, the v1 protocol
    (``v1.kernel.websocket.jupyter.org``: little-endian 64-bit offsets; channel, header, parent,
    metadata, content, buffers) or the legacy binary form (big-endian 32-bit offsets)."""
    try:
        if isinstance(payload, str):
            return json.loads(payload)
        data = bytes(payload)
        if len(data) >= 16:
            count = int.from_bytes(data[:8], "little")
            if 3 <= count < 1000 and len(data) >= 8 * (count + 1):
                offsets = [int.from_bytes(data[8 * (i + 1) : 8 * (i + 2)], "little") for i in range(count)]
                if offsets[0] == 8 * (count + 1) and offsets == sorted(offsets) and offsets[-1] <= len(data):
                    parts = [data[offsets[i] : offsets[i + 1]] for i in range(count - 1)]
                    header, _parent, _metadata, content = (json.loads(part) for part in parts[1:5])
                    return {"channel": parts[0].decode("utf-8"), "header": header, "content": content}
        count = struct.unpack("!I", data[:4])[0]
        offsets = list(struct.unpack("!" + "I" * count, data[4 : 4 * (count + 1)]))
        end = offsets[1] if count > 1 else len(data)
        return json.loads(data[offsets[0] : end].decode("utf-8"))
    except (ValueError, KeyError, struct.error, UnicodeDecodeError, IndexError):
        return None


@dataclass
class FrameTally:
    """What the server sends a page over its kernel websocket: bytes, frames, and the widget
    models (the states in ipywidgets' ``update_states`` reply on the ``jupyter.widget.control``
    comm, plus every ``comm_open`` on ``jupyter.widget`` after it)."""

    bytes: int = 0
    frames: int = 0
    states: int | None = None
    comm_opens: int = 0
    last_frame: float = field(default_factory=time.monotonic)

    def add(self, payload: str | bytes) -> None:
        self.last_frame = time.monotonic()
        self.frames += 1
        self.bytes += len(payload.encode("utf-8")) if isinstance(payload, str) else len(payload)
        if len(payload) < 64:
            return
        msg = decode_frame(payload)
        if msg is None:
            return
        kind = msg.get("msg_type") or msg.get("header", {}).get("msg_type")
        content = msg.get("content") or {}
        if kind == "comm_msg" and (content.get("data") or {}).get("method") == "update_states":
            self.states = len(content["data"].get("states") or {})
        elif kind == "comm_open" and content.get("target_name") == "jupyter.widget":
            self.comm_opens += 1

    @property
    def widget_models(self) -> int | None:
        return None if self.states is None else self.states + self.comm_opens


# --- statistics ----------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float | None:
    """Nearest-rank percentile (q in 0..100) of a small sample."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-q * len(ordered) // 100))))
    return ordered[rank - 1]


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def ratio(value: float | None, base: float | None) -> float | None:
    if value is None or not base:
        return None
    return value / base


# --- in-page instrumentation ---------------------------------------------------------------

# Installed before any page script runs. Times are performance.now(): milliseconds since the
# navigation started (timeOrigin), measured in the page, so no Playwright round trip is counted.
RENDER_SCRIPT = r"""
(() => {
  const APPS = __APPS__;  // notebook path -> [exercises it produces, shows a widget]
  const key = decodeURIComponent(location.pathname).replace(/^.*\/voila\/render\//, '');
  const [expected, hasCode] = APPS[key] || [0, true];
  const S = window.__bench = {firstWidget: null, full: null, exercises: 0, error: null,
                              expected, hasCode, loaded: null};
  const WIDGET = '.jupyter-widgets, [class^="widget-"], [class*=" widget-"]';
  const shown = el => {
    const r = el.getBoundingClientRect();
    if (r.width <= 0 || r.height <= 0) return false;
    return el.checkVisibility ? el.checkVisibility({checkOpacity: true, checkVisibilityCSS: true}) : true;
  };
  const spinnerGone = () => {
    const spinner = document.querySelector('#loading');
    return !spinner || !shown(spinner);
  };
  let pending = false;
  const check = () => {
    pending = false;
    const now = performance.now();
    if (S.firstWidget === null) {
      for (const el of document.querySelectorAll(WIDGET)) { if (shown(el)) { S.firstWidget = now; break; } }
    }
    S.exercises = document.querySelectorAll('.coop-exercise').length;
    if (document.querySelector('.voila-error') && !S.error) S.error = 'voila-error';
    if (S.full === null && S.loaded !== null && spinnerGone()
        && S.exercises >= S.expected && (!S.hasCode || S.firstWidget !== null)) {
      S.full = now;
      observer.disconnect();
      clearInterval(timer);
    }
  };
  const schedule = () => { if (!pending) { pending = true; queueMicrotask(check); } };
  const observer = new MutationObserver(schedule);
  observer.observe(document, {subtree: true, childList: true, attributes: true,
                              attributeFilter: ['class', 'style', 'hidden']});
  const timer = setInterval(check, 50);   // style sheets and layout change visibility too
  window.addEventListener('load', () => { S.loaded = performance.now(); schedule(); });
})();
"""

# Picks what a learner would change in an app, tags it, and arms in-page timing.
INTERACTION_SCRIPT = r"""
(() => {
  const B = window.__benchInteract = {};
  const inside = (el, sel) => el.closest(sel) !== null;
  B.prepare = () => {
    const number = s => { const t = s.replace(/[\s,]/g, ''); return t !== '' && isFinite(Number(t)); };
    for (const input of document.querySelectorAll('.coop-exercise .coop-field input[type=text]')) {
      if (inside(input, '.coop-question-card') || inside(input, '.coop-saved-work')) continue;
      if (!number(input.value)) continue;
      input.setAttribute('data-bench-input', '1');
      input.closest('.coop-exercise').setAttribute('data-bench-root', '1');
      return {mode: 'number', value: input.value};
    }
    for (const card of document.querySelectorAll('.coop-exercise .coop-question-card')) {
      const radios = card.querySelectorAll('input[type=radio]');
      const button = card.querySelector('button');
      if (radios.length < 2 || !button) continue;
      card.setAttribute('data-bench-root', '1');
      radios.forEach((r, i) => r.setAttribute('data-bench-radio', String(i)));
      button.setAttribute('data-bench-check', '1');
      return {mode: 'choice', value: String(radios.length)};
    }
    return {mode: 'none', value: ''};
  };
  // Start: Enter pressed in the input, or the Check button clicked. End: the first change of a
  // .coop-feedback or .coop-table-box in the same exercise (and the last one, 300 ms quiet).
  B.arm = () => {
    const root = document.querySelector('[data-bench-root]');
    const R = B.result = {start: null, first: null, last: null};
    const relevant = m => {
      const t = m.target.nodeType === 1 ? m.target : m.target.parentElement;
      if (t && t.closest('.coop-feedback, .coop-table-box')) return true;
      for (const n of [...m.addedNodes, ...m.removedNodes]) {
        if (n.nodeType === 1 && (n.matches('.coop-feedback, .coop-table-box')
            || n.querySelector('.coop-feedback, .coop-table-box'))) return true;
      }
      return false;
    };
    const observer = new MutationObserver(list => {
      if (R.start === null) return;
      const now = performance.now();
      if (list.some(relevant)) { if (R.first === null) R.first = now; R.last = now; }
    });
    observer.observe(root, {subtree: true, childList: true, characterData: true});
    const onKey = e => { if (e.key === 'Enter' && e.target.matches('[data-bench-input]') && R.start === null) R.start = performance.now(); };
    const onClick = e => { if (e.target.closest('[data-bench-check]') && R.start === null) R.start = performance.now(); };
    document.addEventListener('keydown', onKey, true);
    document.addEventListener('click', onClick, true);
    B.disarm = () => { observer.disconnect(); document.removeEventListener('keydown', onKey, true);
                       document.removeEventListener('click', onClick, true); };
  };
  B.done = () => { const R = B.result; return R && R.first !== null && performance.now() - R.last > 300; };
})();
"""


def render_script(apps: dict[str, tuple[int, bool]]) -> str:
    """The page instrumentation for every app: ``{notebook: (exercises, shows a widget)}``."""
    return RENDER_SCRIPT.replace("__APPS__", json.dumps(apps)) + INTERACTION_SCRIPT


def next_number(text: str) -> str:
    number = float(text.replace(",", "").replace(" ", ""))
    bumped = number + 1 if number.is_integer() else round(number * 1.1, 2)
    return str(int(bumped)) if float(bumped).is_integer() else str(bumped)


async def interact(page, count: int, timeout_ms: int = 15_000) -> dict:
    """Drive the app ``count`` times like a learner and time each change in the page."""
    target = await page.evaluate("window.__benchInteract.prepare()")
    result = {"mode": target["mode"], "latencies_ms": [], "settled_ms": [], "timeouts": 0}
    if target["mode"] == "none" or count <= 0:
        return result
    original = target["value"]
    alternate = next_number(original) if target["mode"] == "number" else ""
    options = int(target["value"]) if target["mode"] == "choice" else 0
    for i in range(count):
        if target["mode"] == "choice":
            await page.locator(f'[data-bench-radio="{i % min(options, 2)}"]').check(timeout=timeout_ms)
            await page.wait_for_timeout(400)  # the choice reaches the kernel before Check does
        await page.evaluate("window.__benchInteract.arm()")
        if target["mode"] == "number":
            box = page.locator("[data-bench-input]")
            await box.fill(alternate if i % 2 == 0 else original, timeout=timeout_ms)
            await box.press("Enter", timeout=timeout_ms)
        else:
            await page.locator("[data-bench-check]").click(timeout=timeout_ms)
        try:
            await page.wait_for_function("window.__benchInteract.done()", timeout=timeout_ms, polling=50)
            timing = await page.evaluate("window.__benchInteract.result")
            result["latencies_ms"].append(timing["first"] - timing["start"])
            result["settled_ms"].append(timing["last"] - timing["start"])
        except Exception:
            result["timeouts"] += 1
        await page.evaluate("window.__benchInteract.disarm()")
        await page.wait_for_timeout(150)
    return result


def kernel_id_from(urls: list[str]) -> str | None:
    for url in urls:
        match = re.search(r"/api/kernels/([0-9a-f-]{36})/channels", url)
        if match:
            return match.group(1)
    return None


async def page_problems(page) -> list[str]:
    body = await page.locator("body").inner_text(timeout=10_000)
    problems = []
    if await page.locator(".voila-error").count():
        problems.append("voila-error")
    if await page.locator(".coop-internal").count():
        problems.append("coop-internal")
    for marker in ("Traceback", "There was an error when executing cell", "Loading widget..."):
        if marker in body:
            problems.append(marker)
    return problems


def write_json(path: Path, data: object) -> None:
    path.write_text(json.dumps(data, indent=2, default=str), encoding="utf-8")
