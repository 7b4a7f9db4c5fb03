"""Benchmark of the course's Voila apps: render time, interaction latency and kernel memory, each
as a ratio to a baseline measured on the same server in the same run; then a workshop load test.

    python bench/run_bench.py              # everything (about 20-30 minutes on 2 cores)
    python bench/run_bench.py --skip-load  # the per-app table only
    python bench/run_bench.py --only-load  # the load test only

Served root: a temporary copy of course/ plus bench/notebooks/ as ``_bench/`` (trivial: one
widget; echo: a Text echoed into an HTML by an observer; imports_pandas_mpl: ipywidgets, pandas
and matplotlib.pyplot imported), served like `make serve` (repo voila.json, 127.0.0.1).

Configurations, each its own server:
  default  the real settings;
  preheat  + --VoilaConfiguration.preheat_kernel=True, a pool of 1 kernel per notebook;
  eager    the real settings, but the kernels import a throwaway copy of coopcourse whose lazy
           imports are made eager, as the package was before (bench/lazy_imports.py): the
           figures *without* lazy imports;
  load     the real settings with a shorter culling timeout (--cull-timeout, default 60 s instead
           of voila.json's 900 s) so abandoned kernels are reclaimed within the run.

Measures: first widget = the first visible ``.jupyter-widgets``/``.widget-*`` element; full =
Voila's spinner gone and as many ``.coop-exercise`` as the notebook produces (derived from its
cells: one per cell calling ``coopcourse.exercises``; checked 1 s later). Both in the page, in ms
since navigation start. Interaction: Enter in the first numeric ``.coop-field`` input of an
exercise (values alternate), or, on pages with only self-check questions, a radio option then
Check; latency = Enter/click to the first change of ``.coop-feedback``/``.coop-table-box`` in that
exercise (a MutationObserver in the page). Memory: PSS of the page's kernel (psutil
``memory_full_info``) after render and interaction: the kernel of the load that was interacted
with (a kernel that redrew its charts holds more than one only opened), else the median of the
loads.

What a page costs the laptop, per app against the trivial notebook in the same run: CPU seconds
(psutil ``cpu_times``) of the Voila server (with its kernel fork server) and of the page's kernel
from the request until both are idle, widget models (the states of ipywidgets' ``update_states`` reply on the kernel
websocket, plus ``comm_open`` messages), bytes sent on the kernel websocket and in the page's HTML.

Load tests (load_test.py): the course's apps in turn (``--load-pool``: also with POOL=n), or every
participant on one module warmed with WARM (``--load-warm n``); participants simulated by Chromium
or by the light client (``--load-client light|both``, ws_client.py); the server's CPU and memory
are reported apart from the simulated devices'.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import sys
import tempfile
import time
from pathlib import Path

from coopcourse.serving import prepare_warm

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import (
    CHROMIUM,
    CHROMIUM_FLAGS,
    ECHO,
    PANDAS_MPL,
    REPO,
    TRIVIAL,
    FrameTally,
    Server,
    assemble_root,
    browser_pss_mb,
    course_notebooks,
    cpu_s,
    expected_exercises,
    interact,
    kernel_id_from,
    median,
    mem_info,
    page_problems,
    percentile,
    ratio,
    render_script,
    shows_widgets,
    wait_processes_idle,
    wait_quiet,
    write_json,
)
from lazy_imports import import_report, make_eager_copy
from load_test import CLIENTS, load_server, run_load

TARGET_FIRST = 1.3
TARGET_P95 = 1.5
TARGET_MEM = 1.15
RENDER_TIMEOUT_MS = 180_000
PREHEAT = ["--VoilaConfiguration.preheat_kernel=True", "--VoilaConfiguration.default_pool_size=1"]


async def visit(server: Server, browser, manifest: dict, notebook: str, interactions: int, idle_kernels: int) -> dict:
    ctx = await browser.new_context(viewport={"width": 1280, "height": 900})
    await ctx.add_init_script(render_script(manifest))
    page = await ctx.new_page()
    sockets: list[str] = []
    tally = FrameTally()

    def on_websocket(ws) -> None:
        sockets.append(ws.url)
        if "/api/kernels/" in ws.url:
            ws.on("framereceived", tally.add)

    page.on("websocket", on_websocket)
    documents: list = []
    page.on(
        "requestfinished", lambda request: documents.append(request) if request.resource_type == "document" else None
    )
    record: dict = {"notebook": notebook, "error": None}
    # CPU from the request on: the server's, and (preheat) what the page's kernel had used before.
    # The server's processes: Voila and its kernel fork server (which forks the page's kernel).
    server_processes = server.server_processes()
    kernels_before = {kid: cpu_s(proc) for kid, proc in server.kernels().items()}
    server_before = sum(cpu_s(proc) for proc in server_processes)
    try:
        await page.goto(f"{server.base_url}/voila/render/{notebook}", wait_until="commit", timeout=RENDER_TIMEOUT_MS)
        await page.wait_for_function(
            "window.__bench && window.__bench.full !== null", timeout=RENDER_TIMEOUT_MS, polling=100
        )
        state = await page.evaluate("window.__bench")
        record["first_widget_ms"] = state["firstWidget"]
        record["full_ms"] = state["full"]
        record["expected_exercises"] = state["expected"]
        await page.wait_for_timeout(1000)
        record["exercises"] = await page.locator(".coop-exercise").count()
        kernel_id = kernel_id_from(sockets)
        kernel = server.kernels().get(kernel_id or "")
        watched = [*server_processes, *([kernel] if kernel is not None else [])]
        idle_wait = await asyncio.to_thread(wait_processes_idle, watched)
        html_bytes = None
        for request in documents:
            if "/voila/render/" in request.url:
                html_bytes = (await request.sizes())["responseBodySize"]
        server_cpu = sum(cpu_s(proc) for proc in server_processes) - server_before
        kernel_cpu = cpu_s(kernel) - kernels_before.get(kernel_id or "", 0.0) if kernel else None
        record["cost"] = {
            "server_cpu_s": server_cpu,
            "kernel_cpu_s": kernel_cpu,
            "cpu_s": server_cpu + (kernel_cpu or 0.0),
            "widget_models": tally.widget_models,
            "ws_bytes": tally.bytes,
            "ws_frames": tally.frames,
            "html_bytes": html_bytes,
            "idle_wait_s": idle_wait,
        }
        problems = await page_problems(page)
        if problems:
            record["error"] = ", ".join(problems)
        record["interaction"] = await interact(page, interactions)
        kernel = server.kernels().get(kernel_id_from(sockets) or "")
        record["kernel_mem"] = await asyncio.to_thread(mem_info, kernel) if kernel else None
        record["browser_mb"] = await asyncio.to_thread(browser_pss_mb)
        await page.close(run_before_unload=True)  # like closing the tab: Voila shuts the kernel down
        record["closed_by"] = await shut_down_if_left(server, ctx, kernel_id_from(sockets))
    except Exception as error:
        record["error"] = f"{type(error).__name__}: {str(error).splitlines()[0][:300]}"
    finally:
        await ctx.close()
    record["quiet_wait_s"] = await wait_quiet(server, idle_kernels)
    return record


async def shut_down_if_left(server: Server, ctx, kernel_id: str | None, wait_s: float = 5.0) -> str:
    """Whether closing the tab ended the kernel (Voila's page posts /voila/api/shutdown/<id> in
    ``beforeunload``); if it still runs after ``wait_s``, post that request ourselves, so the next
    measurement starts on an idle server instead of waiting for culling."""
    if not kernel_id:
        return "unknown"
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        if kernel_id not in server.kernels():
            return "beforeunload"
        await asyncio.sleep(0.25)
    # voila.json turns off the XSRF check for this request (it is what lets the beacon through).
    await ctx.request.post(f"{server.base_url}/voila/api/shutdown/{kernel_id}")
    return "shutdown request"


async def measure(server: Server, browser, root: Path, apps: list[str], reps: int, interactions: int, log) -> dict:
    manifest = {nb: (expected_exercises(root, nb), shows_widgets(root, nb)) for nb in apps}
    idle_kernels = len(server.kernels())
    # Not measured: a fresh server's first page pays one-time costs (templates, static files) that
    # would otherwise land on the trivial baseline, which comes first. Every app is opened once
    # too, as the trainer does before the room arrives: its first kernel draws the opening charts
    # and keeps them (chart-cache), for every later page; bench/page_cost.py --cold measures that.
    await visit(server, browser, manifest, TRIVIAL, 0, idle_kernels)
    for nb in apps:
        await visit(server, browser, manifest, nb, 0, idle_kernels)
    visits: dict[str, list[dict]] = {nb: [] for nb in apps}
    for rep in range(reps):
        for nb in apps:  # the baselines come first in every round: drift hits all pages alike
            record = await visit(server, browser, manifest, nb, interactions if rep == 0 else 0, idle_kernels)
            visits[nb].append(record)
            log(
                f"  [{server.name}] round {rep + 1}/{reps} {nb}: first {record.get('first_widget_ms')} "
                f"full {record.get('full_ms')} ms, exercises {record.get('exercises')}/"
                f"{record.get('expected_exercises')}, p50 {median(record.get('interaction', {}).get('latencies_ms', []))}"
                f"{', ERROR ' + record['error'] if record['error'] else ''}"
            )
    return visits


def summarize(visits: dict[str, list[dict]]) -> dict:
    rows = {}
    for nb, records in visits.items():
        ok = [r for r in records if r.get("full_ms") is not None]
        lat = [x for r in records for x in (r.get("interaction") or {}).get("latencies_ms", [])]
        settled = [x for r in records for x in (r.get("interaction") or {}).get("settled_ms", [])]
        opened = [r["kernel_mem"] for r in records if r.get("kernel_mem")]
        worked = [m for r in records if (m := r.get("kernel_mem")) and (r.get("interaction") or {}).get("latencies_ms")]
        mems = worked or opened
        rows[nb] = {
            "first_ms": median([r["first_widget_ms"] for r in ok if r.get("first_widget_ms") is not None]),
            "full_ms": median([r["full_ms"] for r in ok]),
            "visits": len(records),
            "rendered": len(ok),
            "errors": [r["error"] for r in records if r["error"]],
            "exercises": sorted({r.get("exercises") for r in ok}),
            "expected": ok[0]["expected_exercises"] if ok else None,
            "mode": next(((r.get("interaction") or {}).get("mode") for r in records if r.get("interaction")), None),
            "n": len(lat),
            "timeouts": sum((r.get("interaction") or {}).get("timeouts", 0) for r in records),
            "p50_ms": median(lat),
            "p95_ms": percentile(lat, 95),
            "settled_p95_ms": percentile(settled, 95),
            "pss_mb": median([m["pss"] for m in mems]),
            "uss_mb": median([m["uss"] for m in mems]),
            "rss_mb": median([m["rss"] for m in mems]),
            "browser_mb": max((r.get("browser_mb") or 0 for r in records), default=0),
            **{key: _median_cost(records, key) for key in COST_KEYS},
        }
    trivial, echo, pmpl = rows[TRIVIAL], rows[ECHO], rows[PANDAS_MPL]
    for row in rows.values():
        row["first_x"] = ratio(row["first_ms"], trivial["first_ms"])
        row["full_x"] = ratio(row["full_ms"], trivial["full_ms"])
        row["p50_x"] = ratio(row["p50_ms"], echo["p50_ms"])
        row["p95_x"] = ratio(row["p95_ms"], echo["p95_ms"])
        row["mem_x_widgets"] = ratio(row["pss_mb"], trivial["pss_mb"])
        row["mem_x_pmpl"] = ratio(row["pss_mb"], pmpl["pss_mb"])
        for key in COST_KEYS:
            row[f"{key}_x"] = ratio(row[key], trivial[key])
    return rows


# What a page costs the server from its request to idle (render, widget states, before any input).
COST_KEYS = ("server_cpu_s", "kernel_cpu_s", "cpu_s", "widget_models", "ws_bytes", "html_bytes")


def _median_cost(records: list[dict], key: str) -> float | None:
    return median([r["cost"][key] for r in records if r.get("cost") and r["cost"].get(key) is not None])


def cost_table(configs: dict[str, dict]) -> list[str]:
    """Per app and configuration: CPU of the server and of the page's kernel from the request to
    idle, widget models, bytes sent to the browser, kernel memory; (x trivial) on the same server."""
    lines = [
        "| config | app | server CPU s | kernel CPU s | total CPU s | widget models | kernel websocket KB "
        "| page HTML KB | kernel PSS MB |",
        "|---|---|---|---|---|---|---|---|---|",
    ]

    def cell(r: dict, key: str, digits: int, scale: float = 1.0) -> str:
        value = r.get(key)
        shown = fmt(value / scale if value is not None else None, digits)
        ratio_x = r.get(f"{key}_x")
        return shown if ratio_x is None else f"{shown} (x{fmt(ratio_x, 1)})"

    for name, rows in configs.items():
        for nb, r in rows.items():
            pss = f"{fmt(r['pss_mb'], 0)} (x{fmt(r['mem_x_widgets'], 2)})"
            lines.append(
                f"| {name} | {nb} | {cell(r, 'server_cpu_s', 2)} | {cell(r, 'kernel_cpu_s', 2)} "
                f"| {cell(r, 'cpu_s', 2)} | {cell(r, 'widget_models', 0)} | {cell(r, 'ws_bytes', 0, 1024)} "
                f"| {cell(r, 'html_bytes', 0, 1024)} | {pss} |"
            )
    return lines


def fmt(value, digits: int = 2, suffix: str = "") -> str:
    if value is None:
        return "–"
    return f"{value:.{digits}f}{suffix}"


def verdict(value, target) -> str:
    if value is None:
        return "–"
    return "ok" if value <= target else "MISS"


def table(configs: dict[str, dict]) -> list[str]:
    lines = [
        "| config | app | first widget s (x trivial) | full s (x trivial) | exercises got/exp | interaction (n) "
        "| p50 ms (x echo) | p95 ms (x echo) | kernel PSS MB (x widgets, x pd+mpl) | targets 1.3/1.5/1.15 |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, rows in configs.items():
        for nb, r in rows.items():
            targets = (
                "/".join(
                    [
                        verdict(r["first_x"], TARGET_FIRST),
                        verdict(r["p95_x"], TARGET_P95),
                        verdict(r["mem_x_pmpl"], TARGET_MEM),
                    ]
                )
                if not nb.startswith("_bench")
                else "baseline"
            )
            got = ",".join(str(x) for x in r["exercises"])
            mode = (
                f"{r['mode']} ({r['n']}{', ' + str(r['timeouts']) + ' timeouts' if r['timeouts'] else ''})"
                if r["n"] or r["timeouts"]
                else (r["mode"] or "–")
            )
            errors = f" **{len(r['errors'])} errors**" if r["errors"] else ""
            lines.append(
                f"| {name} | {nb}{errors} | {fmt(r['first_ms'] and r['first_ms'] / 1000)} ({fmt(r['first_x'])}) "
                f"| {fmt(r['full_ms'] and r['full_ms'] / 1000)} ({fmt(r['full_x'])}) | {got}/{r['expected']} | {mode} "
                f"| {fmt(r['p50_ms'], 0)} ({fmt(r['p50_x'])}) | {fmt(r['p95_ms'], 0)} ({fmt(r['p95_x'])}) "
                f"| {fmt(r['pss_mb'], 0)} ({fmt(r['mem_x_widgets'])}, {fmt(r['mem_x_pmpl'])}) | {targets} |"
            )
    return lines


def sizing(default_rows: dict, load: dict | None) -> tuple[list[str], dict]:
    course = {nb: r for nb, r in default_rows.items() if not nb.startswith("_bench") and r["pss_mb"]}
    per_user = max(r["pss_mb"] for r in course.values())
    typical = median([r["pss_mb"] for r in course.values()])
    server = load["peak_server_mb"] if load else 150.0
    browser = max(r["browser_mb"] for r in default_rows.values())
    out = {
        "per_user_peak_mb": per_user,
        "per_user_median_mb": typical,
        "server_mb": server,
        "browser_mb": browser,
        "needs_mb": {},
    }
    lines = [
        f"Per participant: the heaviest app's kernel, {per_user:.0f} MB PSS (median app {typical:.0f} MB); "
        f"Voila server peak {server:.0f} MB{' (load test)' if load else ' (assumed)'}; "
        f"Chromium with one app open {browser:.0f} MB.",
        "Rule (TLJH): N x peak per participant + 128 MB, plus the Voila server, plus the trainer's own browser.",
        "",
        "| participants | kernels + 128 MB + server | + trainer's browser | suggested RAM |",
        "|---|---|---|---|",
    ]
    for n in (10, 20, 30, 50):
        need = n * per_user + 128 + server
        with_browser = need + browser
        gb = with_browser / 1024
        suggest = next(size for size in (2, 4, 6, 8, 12, 16, 24, 32, 48, 64) if size >= gb * 1.25 + 1)  # OS + margin
        out["needs_mb"][n] = {"server_side_mb": need, "with_browser_mb": with_browser, "suggested_gb": suggest}
        lines.append(f"| {n} | {need / 1024:.1f} GB | {with_browser / 1024:.1f} GB | {suggest} GB |")
    lines.append("(suggested: x1.25 margin plus 1 GB for the operating system, rounded up to a common size)")
    if load:
        predicted = load["participants"] * per_user + load["start"]["total_mb"]
        lines.append(
            f"Check against the load test: {load['participants']} participants predicted "
            f"{predicted:.0f} MB (idle server + N x per-participant), measured peak {load['peak_total_mb']:.0f} MB."
        )
    return lines, out


async def preheat_startup(server: Server, notebooks: int, log) -> dict:
    """How long until every pool is filled and what the idle server then holds in memory."""
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        filled = server.log_text().count("is filled with")
        if filled >= notebooks:
            break
        await asyncio.sleep(1)
    filled_s = time.monotonic() - server.started_at
    await wait_quiet(server, len(server.kernels()), timeout=120)
    mem = server.memory()
    log(
        f"  [preheat] {filled}/{notebooks} pools filled after {filled_s:.0f} s; idle {mem['total_mb']:.0f} MB, "
        f"{mem['kernels']} kernels"
    )
    return {
        "pools_filled": filled,
        "notebooks": notebooks,
        "filled_s": filled_s,
        "idle": mem,
        "http_ready_s": server.ready_seconds,
    }


async def main() -> int:
    parser = argparse.ArgumentParser(description="Benchmark the course's Voila apps.")
    parser.add_argument("--reps", type=int, default=2, help="page loads per app and configuration (median)")
    parser.add_argument("--interactions", type=int, default=15, help="interactions per app (default config)")
    parser.add_argument("--variant-interactions", type=int, default=5, help="interactions per app (preheat, eager)")
    parser.add_argument("--configs", default="default,preheat,eager")
    parser.add_argument("--apps", default="", help="comma-separated notebooks (default: every notebook)")
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--only-load", action="store_true")
    parser.add_argument("--participants", type=int, default=30)
    parser.add_argument(
        "--load-pool",
        type=int,
        default=2,
        help="also run the load test with this many preheated kernels per notebook (0: skip)",
    )
    parser.add_argument(
        "--load-client",
        choices=[*CLIENTS, "both"],
        default="browser",
        help="the simulated participants: Chromium pages, the light client (ws_client.py: the same requests "
        "to the server, a fraction of the CPU here), or both in turn",
    )
    parser.add_argument(
        "--load-warm",
        type=int,
        default=0,
        help="also run the load test with every participant on --warm-notebook, with that many warm kernels "
        "(make serve WARM=<notebook>:n; 0: skip)",
    )
    parser.add_argument("--warm-notebook", default="start_coop/02_feasibility.ipynb")
    parser.add_argument(
        "--load-module",
        default="",
        help="every participant of the load tests without WARM opens this notebook (a room opening one module) "
        "instead of the course's apps in turn",
    )
    parser.add_argument("--load-runs", type=int, default=1, help="runs of each load test (a fresh server each)")
    parser.add_argument(
        "--load-single",
        type=int,
        default=3,
        help="before each load test without WARM, open its first app alone this many times on the idle server "
        "(the yardstick for the burst)",
    )
    parser.add_argument("--contexts", type=int, default=5)
    parser.add_argument("--cull-timeout", type=int, default=60)
    parser.add_argument("--cull-interval", type=int, default=10)
    parser.add_argument("--out", default=str(REPO / "bench-results"))
    args = parser.parse_args()
    from playwright.async_api import async_playwright

    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    started = time.monotonic()

    def log(message: str) -> None:
        print(f"[{time.monotonic() - started:6.0f}s] {message}", flush=True)

    course = [nb for nb in args.apps.split(",") if nb] or course_notebooks()
    apps = [TRIVIAL, ECHO, PANDAS_MPL, *course]
    result: dict = {"stamp": stamp, "settings": vars(args), "configs": {}, "raw": {}}
    configs = [] if args.only_load else [c for c in args.configs.split(",") if c]
    with tempfile.TemporaryDirectory(prefix="coop-bench-") as tmp_name:
        tmp = Path(tmp_name)
        root = assemble_root(tmp / "root")
        eager_copy = make_eager_copy(tmp / "eager")
        if "eager" in configs:
            log("import times (python -X importtime), installed package (lazy imports) vs eager copy")
            result["imports"] = await asyncio.to_thread(import_report, eager_copy)
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
            for name in configs:
                extra = PREHEAT if name == "preheat" else []
                env = {"PYTHONPATH": str(eager_copy)} if name == "eager" else {}
                server = Server(name, root, extra, tmp / f"voila-{name}.log", env)
                log(f"server {name}: voila {' '.join(extra)}")
                server.start(tmp / f"data-{name}")
                try:
                    if name == "preheat":
                        result["preheat_startup"] = await preheat_startup(server, len(list(root.rglob("*.ipynb"))), log)
                    else:
                        await wait_quiet(server, 0, timeout=30)
                        result.setdefault("idle", {})[name] = {"http_ready_s": server.ready_seconds, **server.memory()}
                    interactions = args.interactions if name == "default" else args.variant_interactions
                    visits = await measure(server, browser, root, apps, args.reps, interactions, log)
                    result["raw"][name] = visits
                    result["configs"][name] = summarize(visits)
                    if "Traceback" in server.log_text():
                        result.setdefault("server_tracebacks", []).append(name)
                finally:
                    server.stop()
            pools = [0] + ([args.load_pool] if args.load_pool > 0 else [])
            clients = list(CLIENTS) if args.load_client == "both" else [args.load_client]
            runs = [(pool, client) for pool in pools for client in clients]
            if args.load_warm > 0:  # a room opening one module with WARM=<module>:n
                runs += [(-args.load_warm, client) for client in clients]
            runs = [(pool, client, run) for pool, client in runs for run in range(args.load_runs)]
            for pool, client, run in [] if args.skip_load else runs:
                warm = None
                if pool < 0:
                    key = "load_warm"
                    warm = tmp / "warm"
                    prepare_warm(f"{args.warm_notebook}:{-pool}", root, warm, max_kernels=10_000)
                else:
                    key = "load" if not pool else "load_preheat"
                key += "" if client == "browser" else "_light"
                key += f"_run{run + 1}" if args.load_runs > 1 else ""
                server = load_server(
                    root, tmp / f"voila-{key}.log", args.cull_timeout, args.cull_interval, max(pool, 0), warm
                )
                log(
                    f"load test ({client} client): {args.participants} participants, server with culling after "
                    f"{args.cull_timeout} s idle (checked every {args.cull_interval} s)"
                    + (f", {pool} preheated kernel(s) per notebook" if pool > 0 else "")
                    + (f", all on {args.warm_notebook} with WARM={args.warm_notebook}:{-pool}" if pool < 0 else "")
                )
                server.start(tmp / f"data-{key}")
                try:
                    if pool:
                        notebooks = len(list(root.rglob("*.ipynb"))) if pool > 0 else 1
                        result[f"{key}_startup"] = await preheat_startup(server, notebooks, log)
                    else:
                        await wait_quiet(server, 0, timeout=30)
                    result[key] = await run_load(
                        server,
                        browser,
                        root,
                        args.participants,
                        args.contexts,
                        args.cull_timeout,
                        args.cull_interval,
                        client,
                        args.warm_notebook if pool < 0 else args.load_module or None,
                        0 if pool else args.load_single,
                    )
                    result[key]["pool"] = max(pool, 0)
                    result[key]["warm"] = f"{args.warm_notebook}:{-pool}" if pool < 0 else None
                    log(
                        f"  [{key}] failed {result[key]['failed']}, first widget p95 "
                        f"{fmt(result[key]['first_widget_p95_s'], 1)} s, peak {result[key]['peak_total_mb']:.0f} MB"
                    )
                finally:
                    server.stop()
                    if result.get(key, {}).get("failed"):
                        # The server's log goes with the temporary folder: keep it where a failure can be read.
                        kept = out_dir / f"voila-{key}-{stamp}.log"
                        kept.write_text(server.log_path.read_text(encoding="utf-8", errors="replace"), encoding="utf-8")
                        log(f"  [{key}] server log kept: {kept}")
            await browser.close()

    report = render_report(result, args)
    print("\n".join(report))
    (out_dir / f"bench-{stamp}.md").write_text("\n".join(report) + "\n", encoding="utf-8")
    write_json(out_dir / f"bench-{stamp}.json", result)
    log(f"written {out_dir / f'bench-{stamp}.md'} and .json")
    return 0


def render_report(result: dict, args) -> list[str]:
    lines = [f"# Course benchmark {result['stamp']}", ""]
    lines += [
        f"Served like `make serve` (voila.json of the repository, 127.0.0.1); ratios against baselines on the "
        f"same server in the same run. {args.reps} page loads per app (median), after one unmeasured load of "
        f"each (its opening charts drawn and kept, as after the trainer's first visit); interactions: "
        f"{args.interactions} per app (default), {args.variant_interactions} (preheat, eager). "
        "Memory: PSS of the page's kernel after render and interaction (the load interacted with). Full render = spinner gone and the "
        "number of .coop-exercise derived from the notebook (one per cell calling coopcourse.exercises).",
        "",
    ]
    if result["configs"]:
        lines += [*table(result["configs"]), ""]
        lines += [
            "### What a page costs the laptop (from the request to idle, before any input; x trivial notebook, same server and run)",
            "",
            *cost_table(result["configs"]),
            "",
            "CPU: user + system seconds (psutil) of the Voila server process (and its kernel fork server) and of the page's kernel process, "
            "from the page's request until both stay under 5 % of a core for 1 s (median of the page loads; "
            "with preheat the kernel's figure counts only what it used after the request, while the server's "
            "includes refilling the pool). Widget models: the states in ipywidgets' update_states reply plus "
            "comm_open messages seen by then. Kernel websocket: bytes of every frame the server sent on it. "
            "Page HTML: the rendered page's body. Kernel PSS: after render and interaction.",
            "",
        ]
        lines += [
            "Interaction modes: number = Enter in the first numeric field of an exercise, latency to the first "
            "change of its feedback/table; choice = a radio option then Check on the first self-check "
            "question (pages without a numeric field); none = no input (index.ipynb, trivial).",
            "",
        ]
        for name, rows in result["configs"].items():
            bad = {nb: r["errors"] for nb, r in rows.items() if r["errors"]}
            if bad:
                lines.append(f"Errors in {name}: {json.dumps(bad)[:1500]}")
        summary = []
        for name, rows in result["configs"].items():
            course = [r for nb, r in rows.items() if not nb.startswith("_bench")]
            summary.append(
                f"| {name} | {fmt(rows[TRIVIAL]['first_ms'] and rows[TRIVIAL]['first_ms'] / 1000)} "
                f"| {fmt(median([r['first_ms'] / 1000 for r in course if r['first_ms']]))} "
                f"| {fmt(max((r['first_ms'] / 1000 for r in course if r['first_ms']), default=None))} "
                f"| {fmt(rows[ECHO]['p95_ms'], 0)} | {fmt(rows[TRIVIAL]['pss_mb'], 0)} | {fmt(rows[PANDAS_MPL]['pss_mb'], 0)} "
                f"| {fmt(median([r['pss_mb'] for r in course if r['pss_mb']]), 0)} "
                f"| {sum(1 for r in course if r['first_x'] and r['first_x'] <= TARGET_FIRST)}/{len(course)} "
                f"| {sum(1 for r in course if r['p95_x'] and r['p95_x'] <= TARGET_P95)}/{sum(1 for r in course if r['p95_x'])} "
                f"| {sum(1 for r in course if r['mem_x_pmpl'] and r['mem_x_pmpl'] <= TARGET_MEM)}/{len(course)} |"
            )
        lines += [
            "| config | trivial first s | course first s median | max | echo p95 ms | widgets kernel MB "
            "| pd+mpl kernel MB | course kernel MB median | first<=1.3x | p95<=1.5x | mem<=1.15x |",
            "|---|---|---|---|---|---|---|---|---|---|---|",
            *summary,
            "",
        ]
    if "idle" in result or "preheat_startup" in result:
        for name, idle in result.get("idle", {}).items():
            lines.append(
                f"Server {name}: answers after {idle['http_ready_s']:.1f} s, idle {idle['total_mb']:.0f} MB "
                f"({idle['kernels']} kernels)."
            )
        if "preheat_startup" in result:
            p = result["preheat_startup"]
            lines.append(
                f"Server preheat (pool of 1 per notebook, {p['notebooks']} notebooks): answers after "
                f"{p['http_ready_s']:.1f} s, all pools filled after {p['filled_s']:.0f} s, idle "
                f"{p['idle']['total_mb']:.0f} MB ({p['idle']['kernels']} kernels, "
                f"{p['idle']['kernels_mb']:.0f} MB in kernels)."
            )
        lines.append("")
    if "imports" in result:
        lines += [
            "Import of the exercise modules (python -X importtime, median of 3; ms cumulative; peak RSS):",
            "",
            "| package | import ms | peak RSS MB | jsonschema | rfc3987_syntax | docx | lxml | pyplot loaded |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for label, r in result["imports"].items():
            w = r["watched_ms"]
            lines.append(
                f"| {label} | {r['total_ms']:.0f} | {r['maxrss_mb']:.0f} | {fmt(w.get('jsonschema'), 0)} "
                f"| {fmt(w.get('rfc3987_syntax'), 0)} | {fmt(w.get('docx'), 0)} | {fmt(w.get('lxml') or w.get('lxml.etree'), 0)} "
                f"| {'yes' if 'matplotlib.pyplot' in r['loaded'] else 'no'} |"
            )
        lines.append("")
    loads = load_tests(result)
    for key, load in loads.items():
        lines += render_load(load, result.get(f"{key}_startup"))
    if "default" in result["configs"]:
        plain = [load for load in loads.values() if not load.get("pool") and not load.get("warm")]
        sizing_lines, result["sizing"] = sizing(result["configs"]["default"], plain[0] if plain else None)
        lines += ["## Memory for a trainer's machine", "", *sizing_lines]
    return lines


def load_tests(result: dict) -> dict[str, dict]:
    """The load tests' results by key (load, load_light_run2, load_warm, ...), in the order run."""
    return {key: value for key, value in result.items() if key.startswith("load") and "participants" in value}


def workshop_verdict(ld: dict) -> list[str]:
    """The burst against the issue's workshop targets: a single page on the idle server as the
    yardstick (10 devices: p95 within 2x of it), and the CPU floor: every page's server-side CPU
    spread over the cores, a wait no server setting can shorten."""
    lines: list[str] = []
    single = ld.get("single_page_median_s")
    p95 = ld.get("first_widget_p95_s")
    cpu = ld.get("cpu_s", {})
    if single and p95:
        lines.append(
            f"- a single page alone on the idle server first: first widget after {single:.1f} s (median of "
            f"{len(ld['single_page_s'])}); the burst's p95 is {p95 / single:.1f}x that (target for 10 devices: 2x)"
        )
    if cpu and p95 and not ld.get("warm") and not ld.get("pool"):
        per_page = (cpu.get("server", 0) + cpu.get("kernels", 0)) / max(ld["participants"], 1)
        floor = ld["participants"] * per_page / (ld.get("cores") or 1)
        lines.append(
            f"- CPU floor: {ld['participants']} pages x {per_page:.2f} CPU-s a page / {ld.get('cores')} cores = "
            f"{floor:.1f} s; p95 {p95:.1f} s is {p95 / floor:.2f}x the floor"
        )
    return lines


def render_load(ld: dict, startup: dict | None) -> list[str]:
    pool = ld.get("pool", 0)
    cpu = ld.get("cpu_s", {})
    lines = [
        f"## Load test: {ld['participants']} participants at once"
        + (
            f", every one on the module warmed with `WARM={ld['warm']}`"
            if ld.get("warm")
            else f", {pool} preheated kernel(s) per notebook (`POOL={pool}`)"
            if pool
            else ", no preheated kernels (default)"
        )
        + (
            f" ({ld['contexts']} browser contexts"
            if ld.get("client", "browser") == "browser"
            else " (light client: page, its files, kernel websocket and widget states, no rendering"
        )
        + (
            f", every one on {ld['apps'][0]})"
            if len(ld["apps"]) == 1
            else f", round-robin over {len(ld['apps'])} course apps with widgets)"
        ),
        "",
    ]
    lines += workshop_verdict(ld)
    if startup:
        lines.append(
            f"- before the participants arrive: pools of {startup['notebooks']} notebooks filled after "
            f"{startup['filled_s']:.0f} s; idle server {startup['idle']['total_mb']:.0f} MB "
            f"({startup['idle']['kernels']} kernels)"
        )
    lines += [
        f"- kernels started while the pages opened: {ld.get('kernels_started', '–')}; preheated kernels "
        f"taken: {ld.get('preheated_taken', '–')}",
        f"- failed pages: {ld['failed']}"
        + (f" ({'; '.join(str(f['error']) for f in ld['failures'])[:800]})" if ld["failed"] else ""),
        f"- time to first widget: p50 {fmt(ld['first_widget_p50_s'], 1)} s, p95 {fmt(ld['first_widget_p95_s'], 1)} s, "
        f"max {fmt(ld['first_widget_max_s'], 1)} s; full render p95 {fmt(ld['full_p95_s'], 1)} s; all pages done in {ld['wall_s']:.0f} s",
        f"- memory (PSS): idle {ld['start']['total_mb']:.0f} MB before; peak {ld['peak_total_mb']:.0f} MB "
        f"(server {ld['peak_server_mb']:.0f} MB, kernels {ld['peak_kernels_mb']:.0f} MB, {ld['peak_kernels']} kernels); "
        f"{(ld['peak_kernels_mb'] / max(ld['peak_kernels'], 1)):.0f} MB per kernel on average",
        f"- leaving: half the pages closed like a tab (beforeunload runs; Voila's page sends "
        f"POST /voila/api/shutdown/<kernel>), half vanished without it (only culling reclaims them)."
        f" This run's server culls after {ld['cull_idle_timeout']} s idle, checked every {ld['cull_interval']} s "
        f"(command line; voila.json says 900 s / 60 s).",
        f"- 10 s after leaving: {ld['after_close_10s']['kernels'] if ld['after_close_10s'] else '–'} kernels, "
        f"{fmt(ld['after_close_10s'] and ld['after_close_10s']['total_mb'], 0)} MB; every page's kernel gone after "
        f"{fmt(ld['reclaimed_s'], 0)} s (bound {ld['reclaim_bound_s']} s); end {ld['end']['total_mb']:.0f} MB "
        f"({ld['end']['kernels']} kernels; server {ld['end']['server_mb']:.0f} MB vs {ld['start']['server_mb']:.0f} MB before)",
        "- kernels over time after leaving (s: kernels/MB): "
        + ", ".join(f"{t['s']:.0f}: {t['kernels']}/{t['total_mb']}" for t in ld["timeline"][::3]),
        "",
    ]
    if cpu:
        devices = "Chromium pages" if ld.get("client", "browser") == "browser" else "the light client (ws_client.py)"
        lines[-1:-1] = [
            f"- server side, what the laptop pays while the pages opened ({ld['wall_s']:.0f} s): CPU "
            f"{cpu.get('server', 0):.1f} s in the Voila server and {cpu.get('kernels', 0):.1f} s in the kernels "
            f"({(cpu.get('server', 0) + cpu.get('kernels', 0)) / max(ld['participants'], 1):.1f} s a page); memory "
            f"peak {ld['peak_server_mb']:.0f} MB server + {ld['peak_kernels_mb']:.0f} MB kernels"
            + ("; preheated kernels had run their notebook before, not counted here" if pool or ld.get("warm") else ""),
            f"- simulated devices, on the same 2 cores here but not in a workshop ({devices}): CPU "
            f"{cpu.get('devices', 0):.1f} s, memory peak {ld.get('peak_devices_mb', 0):.0f} MB",
        ]
    return lines


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
