"""Load test: a workshop of N participants opening course apps at once against one Voila server.

Real Chromium pages (N pages spread over a few browser contexts, async Playwright), all
started together, each opening an app chosen round-robin from the course. Counts failed pages,
reports the 95th-percentile time to first widget and the peak memory (Voila server + every
kernel, PSS). Then the participants leave: half close their tab (the page's ``beforeunload``
handler runs: Voila's page sends ``POST /voila/api/shutdown/<kernel>`` and the kernel stops at
once), half vanish without it (laptop closed, browser killed: only culling reclaims the
kernel). Memory is followed until the kernels are gone, within a bound of
cull_idle_timeout + 2 x cull_interval + 60 s.

The participants' devices are simulated either by Chromium pages (``--client browser``, the
default) or by the light client of ``ws_client.py`` (``--client light``): the same requests to the
server (page, its scripts and styles, kernel websocket, every widget's state) without rendering,
so the 2 cores of the bench machine go to the server. Server-side CPU and memory (Voila and its
kernels) are reported apart from the simulated devices'.

Run alone with ``python bench/load_test.py`` (its own server), or from ``run_bench.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import (
    CHROMIUM,
    CHROMIUM_FLAGS,
    Server,
    assemble_root,
    browser_processes,
    course_notebooks,
    cpu_s,
    expected_exercises,
    median,
    page_problems,
    percentile,
    pss_mb,
    render_script,
    shows_widgets,
    wait_quiet,
)
from ws_client import LightPage, http_client

PAGE_TIMEOUT_S = 300  # one participant's page must render within this, or it counts as failed


CLIENTS = ("browser", "light")


def device_processes(client: str) -> list[psutil.Process]:
    """The processes simulating the participants' devices: Chromium's, or this one (light client)."""
    return browser_processes() if client == "browser" else [psutil.Process()]


class MemorySampler:
    """Samples server + kernels PSS, and the simulated devices' PSS, every ``interval`` seconds in a
    thread (bounded by ``limit_s``)."""

    def __init__(self, server: Server, client: str = "browser", interval: float = 1.0, limit_s: float = 1800) -> None:
        self.server, self.client, self.interval, self.limit_s = server, client, interval, limit_s
        self.samples: list[tuple[float, dict]] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.t0 = time.monotonic()

    def _run(self) -> None:
        while not self._stop.is_set() and time.monotonic() - self.t0 < self.limit_s:
            try:
                devices = sum(pss_mb(process) for process in device_processes(self.client))
                self.samples.append((time.monotonic() - self.t0, {**self.server.memory(), "devices_mb": devices}))
            except Exception:
                pass
            self._stop.wait(self.interval)

    def start(self) -> MemorySampler:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def peak(self, key: str, since: float = 0.0, until: float = 1e9) -> float:
        values = [s[key] for t, s in self.samples if since <= t <= until]
        return max(values) if values else 0.0


def cpu_seconds(server: Server, client: str = "browser") -> dict[str, float]:
    """User + system CPU seconds so far of the Voila server, of its kernels, and of the simulated
    devices (the benchmark's Chromium processes, or this process for the light client)."""

    def total(processes) -> float:
        seconds = 0.0
        for process in processes:
            try:
                times = process.cpu_times()
                seconds += times.user + times.system
            except psutil.Error:
                pass
        return seconds

    return {
        "server": total(server.server_processes()),
        "kernels": total(server.kernels().values()),
        "devices": total(device_processes(client)),
    }


def kernel_cpu(server: Server) -> dict[str, float]:
    """CPU seconds so far of each kernel of the server, by kernel id."""
    return {kid: cpu_s(process) for kid, process in server.kernels().items()}


async def participant(index: int, page, url: str) -> dict:
    record = {"participant": index, "url": url, "ok": False, "first_widget_s": None, "full_s": None, "error": None}
    try:
        await page.goto(url, wait_until="commit", timeout=PAGE_TIMEOUT_S * 1000)
        await page.wait_for_function(
            "window.__bench && window.__bench.full !== null", timeout=PAGE_TIMEOUT_S * 1000, polling=250
        )
        state = await page.evaluate("window.__bench")
        record["kernel_id"] = await page.evaluate(
            "() => { const e = document.getElementById('jupyter-config-data'); return e && JSON.parse(e.textContent).kernelId; }"
        )
        record["first_widget_s"] = state["firstWidget"] / 1000 if state["firstWidget"] is not None else None
        record["full_s"] = state["full"] / 1000
        problems = await page_problems(page)
        if problems:
            record["error"] = ", ".join(problems)
        else:
            record["ok"] = True
    except Exception as error:
        record["error"] = f"{type(error).__name__}: {str(error).splitlines()[0][:200]}"
        try:  # how far the page got: tells a slow server from a page that stopped
            record["state"] = await page.evaluate(
                "() => ({...window.__bench, spinner: !!document.querySelector('#loading'), "
                "visibility: document.visibilityState, cells: document.querySelectorAll('.jp-Cell').length})"
            )
        except Exception:
            record["state"] = None
    return record


async def single_page_times(
    server: Server, browser, manifest: dict, notebook: str, count: int, client: str
) -> list[float]:
    """Times to first widget of ``notebook`` opened alone on an idle server, ``count`` times after
    one unmeasured open; each page is closed like a tab and its kernel gone before the next."""
    url = f"{server.base_url}/voila/render/{notebook}"
    kernels = len(server.kernels())
    times: list[float] = []
    http = http_client(1)
    ctx = None
    if client == "browser":
        ctx = await browser.new_context(viewport={"width": 1280, "height": 900})
        await ctx.add_init_script(render_script(manifest))
    try:
        for attempt in range(count + 1):
            if client == "browser":
                page = await ctx.new_page()
                record = await participant(attempt, page, url)
                await page.close(run_before_unload=True)
            else:
                light = LightPage(server.base_url, notebook)
                await light.open(http)
                record = light.record(attempt)
                await light.leave(http, close_tab=True)
            if attempt and record["ok"] and record["first_widget_s"] is not None:
                times.append(record["first_widget_s"])
            await wait_quiet(server, kernels)
    finally:
        if ctx is not None:
            await ctx.close()
        http.close()
    return times


async def run_load(
    server: Server,
    browser,
    root: Path,
    participants: int = 30,
    contexts: int = 5,
    cull_timeout: int = 60,
    cull_interval: int = 10,
    client: str = "browser",
    only: str | None = None,
    single_pages: int = 0,
) -> dict:
    """``only``: every participant opens that notebook (a room opening one module), instead of
    the course's apps in turn. ``single_pages``: first open the first app alone that many times
    (after one unmeasured open, as the trainer does before the room arrives) on the idle server,
    the yardstick for the burst's times."""
    apps = [only] if only else [nb for nb in course_notebooks() if shows_widgets(root, nb)]  # not the glossary
    manifest = {nb: (expected_exercises(root, nb), shows_widgets(root, nb)) for nb in course_notebooks()}
    await asyncio.sleep(2)
    single = await single_page_times(server, browser, manifest, apps[0], single_pages, client) if single_pages else []
    start = server.memory()
    sampler = MemorySampler(server, client).start()
    urls = [f"{server.base_url}/voila/render/{apps[i % len(apps)]}" for i in range(participants)]
    ctxs: list = []
    pages: list = []
    http = http_client(participants)
    if client == "browser":
        for _ in range(contexts):
            ctx = await browser.new_context(viewport={"width": 1280, "height": 900})
            await ctx.add_init_script(render_script(manifest))
            ctxs.append(ctx)
        pages = [await ctxs[i % contexts].new_page() for i in range(participants)]
    t_open = time.monotonic() - sampler.t0
    cpu_before = cpu_seconds(server, client)
    kernels_before = kernel_cpu(server)
    log_before = len(server.log_text())
    wall = time.monotonic()
    if client == "browser":
        records = await asyncio.gather(*(participant(i, pages[i], urls[i]) for i in range(participants)))
    else:
        pages = [LightPage(server.base_url, apps[i % len(apps)]) for i in range(participants)]
        await asyncio.gather(*(page.open(http) for page in pages))
        records = [page.record(i) for i, page in enumerate(pages)]
    wall = time.monotonic() - wall
    cpu_after = cpu_seconds(server, client)
    kernels_after = kernel_cpu(server)
    opening_log = server.log_text()[log_before:]
    await asyncio.sleep(5)  # everybody is on a page
    t_all_open = time.monotonic() - sampler.t0
    during = server.memory()

    # The participants leave: even ones close the tab (beforeunload runs), odd ones vanish.
    t_leave = time.monotonic() - sampler.t0
    for i, page in enumerate(pages):
        try:
            if client == "browser":
                await page.close(run_before_unload=(i % 2 == 0))
            else:
                await page.leave(http, close_tab=(i % 2 == 0))
        except Exception:
            pass
    await asyncio.sleep(1)
    for ctx in ctxs:
        await ctx.close()
    leave = time.monotonic()
    page_kernels = {r["kernel_id"] for r in records if r.get("kernel_id")}
    bound = cull_timeout + 2 * cull_interval + 60
    timeline = []
    after_close = None
    reclaimed_s = None
    while time.monotonic() - leave < bound:
        await asyncio.sleep(2)
        mem = server.memory()
        elapsed = time.monotonic() - leave
        timeline.append({"s": round(elapsed, 1), "kernels": mem["kernels"], "total_mb": round(mem["total_mb"])})
        if after_close is None and elapsed >= 10:
            after_close = mem
        # Reclaimed: every page's kernel is gone (pool refills may remain, or start later with WARM).
        if page_kernels and not page_kernels & set(server.kernels()):
            reclaimed_s = elapsed
            break
    await asyncio.sleep(3)
    end = server.memory()
    sampler.stop()
    http.close()

    first = [r["first_widget_s"] for r in records if r["first_widget_s"] is not None]
    full = [r["full_s"] for r in records if r["full_s"] is not None]
    kernels_peak = max((s["kernels"] for _, s in sampler.samples), default=0)
    return {
        "participants": participants,
        "single_page_s": single,
        "single_page_median_s": median(single),
        "cores": os.cpu_count(),
        "contexts": contexts,
        "apps": apps,
        "failed": sum(1 for r in records if not r["ok"]),
        "failures": [r for r in records if not r["ok"]],
        "wall_s": wall,
        "first_widget_p50_s": median(first),
        "first_widget_p95_s": percentile(first, 95),
        "first_widget_max_s": max(first) if first else None,
        "full_p95_s": percentile(full, 95),
        "start": start,
        "during": during,
        "end": end,
        "peak_total_mb": sampler.peak("total_mb"),
        "peak_server_mb": sampler.peak("server_mb"),
        "peak_kernels_mb": sampler.peak("kernels_mb"),
        "peak_kernels": kernels_peak,
        "after_close_10s": after_close,
        "reclaimed_s": reclaimed_s,
        "reclaim_bound_s": bound,
        "cull_idle_timeout": cull_timeout,
        "cull_interval": cull_interval,
        "timeline": timeline,
        "records": records,
        "t_open": t_open,
        "t_all_open": t_all_open,
        "t_leave": t_leave,
        "client": client,
        # While the pages opened: kernels started (a page's own, or a pool's refill) and pool kernels taken.
        "kernels_started": opening_log.count("Kernel started:"),
        "preheated_taken": opening_log.count("Using pre-heated kernel"),
        # CPU seconds spent while the pages opened. Server side: Voila and every kernel (a kernel
        # started then counts whole). The simulated devices share this machine's 2 cores with the
        # server; in a workshop they run on the participants' devices.
        "cpu_s": {
            "server": cpu_after["server"] - cpu_before["server"],
            "kernels": sum(cpu - kernels_before.get(kid, 0.0) for kid, cpu in kernels_after.items()),
            "devices": cpu_after["devices"] - cpu_before["devices"],
        },
        "peak_devices_mb": sampler.peak("devices_mb", until=t_all_open),
    }


def load_server(
    root: Path, log: Path, cull_timeout: int, cull_interval: int, pool: int = 0, warm: Path | None = None
) -> Server:
    """The real settings with a shorter culling timeout; ``pool`` > 0 preheats that many kernels
    per notebook (`make serve POOL=n`); ``warm``: a folder with the voila.json that
    `make serve WARM=...` writes (coopcourse.serving.prepare_warm)."""
    preheat = (
        []
        if not pool
        else ["--VoilaConfiguration.preheat_kernel=True", f"--VoilaConfiguration.default_pool_size={pool}"]
    )
    if warm is not None:
        preheat.append(f"--Voila.config_file_paths={warm}")
    return Server(
        "load" if not pool else f"load-pool{pool}",
        root,
        [
            f"--MappingKernelManager.cull_idle_timeout={cull_timeout}",
            f"--MappingKernelManager.cull_interval={cull_interval}",
            *preheat,
        ],
        log,
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=30)
    parser.add_argument("--contexts", type=int, default=5)
    parser.add_argument("--cull-timeout", type=int, default=60)
    parser.add_argument("--cull-interval", type=int, default=10)
    parser.add_argument("--client", choices=CLIENTS, default="browser", help="Chromium pages, or the light client")
    args = parser.parse_args()
    from playwright.async_api import async_playwright

    with tempfile.TemporaryDirectory(prefix="coop-bench-") as tmp:
        root = assemble_root(Path(tmp) / "root")
        server = load_server(root, Path(tmp) / "voila-load.log", args.cull_timeout, args.cull_interval)
        server.start(Path(tmp) / "data")
        try:
            async with async_playwright() as pw:
                browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
                result = await run_load(
                    server,
                    browser,
                    root,
                    args.participants,
                    args.contexts,
                    args.cull_timeout,
                    args.cull_interval,
                    args.client,
                )
                await browser.close()
        finally:
            server.stop()
    for key in ("failed", "first_widget_p95_s", "peak_total_mb", "peak_devices_mb", "cpu_s", "reclaimed_s"):
        print(key, result[key])


if __name__ == "__main__":
    asyncio.run(main())
