"""What one course page costs its kernel: CPU seconds, peak memory and widget models.

For each notebook under ``course/`` (or those named on the command line) a fresh kernel (this
Python's ``python3`` kernel, started by nbclient through ``coopcourse.page_kernel`` as Voila starts
one per page view) runs the
notebook's code cells in order, with the notebook's folder as working directory. Small probe
cells between them read the kernel's own ``getrusage``; they print nothing until the last one.

Printed per notebook (median over ``--repeat`` runs for CPU; the rest from the last run):

- ``kernel CPU``: user + system CPU seconds of the kernel process from its start to the end of
  the last cell (what the server's machine pays for one page view, kernel side);
- ``cells CPU``: the same, counted from the first probe (the notebook's own cost) and
  ``1st cell``: the first code cell alone (the saved-work bar and the imports it pulls in);
- ``RSS MB``: the kernel's peak resident memory (``VmHWM``; ``ru_maxrss`` where there is no ``/proc``);
- ``models``: widget models alive in the kernel at the end (each one a comm message to the
  browser and a view to build); ``state KB``: their serialized state, about what is sent;
- ``mpl`` / ``pd``: whether matplotlib / pandas were imported by the end.

Kernels are started as new processes, so their start-up is counted, as without the fork server
(``coopcourse.fork_server``). ``--forked`` forks them from a ready fork server, as Voila does on
Linux: the kernel's figures then start at the fork, and matplotlib and pandas are always loaded.

``--by-class`` also prints the models by class, most first; ``--json FILE`` writes everything.
Saved work goes to a throwaway ``COOPCOURSE_DATA_DIR``; the repository is not touched.

Opening charts are kept under the data folder by the first kernel that draws them (see
``coopcourse.components.chart``): each notebook is first run once, unmeasured, so the figures are
those of a page opened again (``warm``). ``--cold`` turns the kept charts off: every kernel draws.

    .venv/bin/python bench/page_cost.py                       # every notebook, once
    .venv/bin/python bench/page_cost.py --repeat 3 course/think_coop/02_collective_action.ipynb
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient

from coopcourse.fork_provisioner import FORK_SERVER
from coopcourse.page_kernel import PageKernelSpecManager

REPO = Path(__file__).resolve().parents[1]
COURSE = REPO / "course"
MARKER = "@@page_cost@@"

SETUP = """\
import resource as _pc_resource
_pc_marks = []
def _pc_mark():
    usage = _pc_resource.getrusage(_pc_resource.RUSAGE_SELF)
    _pc_marks.append(usage.ru_utime + usage.ru_stime)
_pc_mark()
"""

REPORT = """\
_pc_mark()
def _pc_report():
    import collections, json, sys
    # Linux keeps in ru_maxrss the peak of the process before it ran the kernel (the forked
    # copy of this script), so every kernel reported at least this script's size: the kernel's
    # own peak is VmHWM, which starts afresh with the kernel's program.
    peak_kb = _pc_resource.getrusage(_pc_resource.RUSAGE_SELF).ru_maxrss
    try:
        with open("/proc/self/status") as status:
            peak_kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except (OSError, StopIteration, ValueError):
        pass
    result = {"marks": _pc_marks, "maxrss_kb": peak_kb, "models": 0, "by_class": {},
              "state_bytes": 0, "modules": {m: m in sys.modules for m in ("matplotlib", "pandas", "numpy")}}
    if "ipywidgets" in sys.modules:
        from ipywidgets.widgets import widget
        instances = getattr(widget, "_instances", None)
        if instances is None:
            instances = widget.Widget.widgets
        models = list(instances.values())
        result["models"] = len(models)
        result["by_class"] = dict(collections.Counter(type(m).__name__ for m in models).most_common())
        size = 0
        for model in models:
            try:
                size += len(json.dumps(model.get_state(), default=str))
            except Exception:
                pass
        result["state_bytes"] = size
    print(MARKER + json.dumps(result))
_pc_report()
""".replace("MARKER", repr(MARKER))


def measure(notebook: Path, data_dir: str, cold: bool = False) -> dict:
    """Run ``notebook``'s code cells in a fresh kernel; the kernel's own figures."""
    source = nbformat.read(notebook, as_version=4)
    cells = [nbformat.v4.new_code_cell(SETUP)]
    for cell in source.cells:
        if cell.cell_type == "code":
            cells.append(nbformat.v4.new_code_cell(cell.source))
            cells.append(nbformat.v4.new_code_cell("_pc_mark()"))
    cells[-1] = nbformat.v4.new_code_cell(REPORT)
    run = nbformat.v4.new_notebook(cells=cells, metadata=source.metadata)
    os.environ["COOPCOURSE_DATA_DIR"] = data_dir  # the kernel inherits it
    if cold:
        os.environ["COOPCOURSE_CHART_CACHE"] = "off"
    else:
        os.environ.pop("COOPCOURSE_CHART_CACHE", None)
    client = NotebookClient(
        run,
        timeout=300,
        kernel_name="python3",
        km=AsyncKernelManager(kernel_name="python3", kernel_spec_manager=PageKernelSpecManager()),
        allow_errors=False,
        resources={"metadata": {"path": str(notebook.parent)}},
    )
    client.execute()
    for output in run.cells[-1].outputs:
        if output.get("output_type") == "stream" and MARKER in output.get("text", ""):
            line = next(t for t in output["text"].splitlines() if t.startswith(MARKER))
            result = json.loads(line[len(MARKER) :])
            break
    else:
        raise RuntimeError(f"{notebook}: no report from the kernel")
    marks = result.pop("marks")
    result["kernel_cpu"] = marks[-1]
    result["cells_cpu"] = marks[-1] - marks[0]
    result["first_cell_cpu"] = marks[1] - marks[0] if len(marks) > 2 else result["cells_cpu"]
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="notebooks (default: every one under course/)")
    parser.add_argument("--repeat", type=int, default=1, help="runs per notebook; CPU figures are medians")
    parser.add_argument("--by-class", action="store_true", help="also print widget models by class")
    parser.add_argument("--json", type=Path, help="write every figure to this file")
    parser.add_argument("--cold", action="store_true", help="no kept opening charts: every kernel draws")
    parser.add_argument("--forked", action="store_true", help="kernels forked by the fork server, as Voila's")
    args = parser.parse_args(argv)
    if args.forked:
        deadline = time.monotonic() + 120
        while not FORK_SERVER.ready() and time.monotonic() < deadline:
            time.sleep(0.1)
    else:
        FORK_SERVER.given_up = True
    notebooks = [p.resolve() for p in args.notebooks] or sorted(
        p for p in COURSE.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts
    )
    header = (
        f"{'notebook':<52} {'kernel CPU':>10} {'cells CPU':>9} {'1st cell':>8} {'RSS MB':>7} "
        f"{'models':>6} {'state KB':>8} {'mpl':>4} {'pd':>4}"
    )
    mode = "cold: every kernel draws its charts" if args.cold else "warm: opening charts kept by an unmeasured run"
    mode += ", kernels forked" if args.forked else ", kernels started as new processes"
    print(f"python {sys.version.split()[0]}, {args.repeat} run(s) per notebook, {mode}")
    print(header)
    print("-" * len(header))
    report = {}
    with tempfile.TemporaryDirectory(prefix="page-cost-") as data_dir:
        for notebook in notebooks:
            if not args.cold:
                measure(notebook, data_dir)  # keeps the opening charts, as the page's first visitor does
            runs = [measure(notebook, data_dir, args.cold) for _ in range(args.repeat)]
            last = dict(runs[-1])
            for key in ("kernel_cpu", "cells_cpu", "first_cell_cpu"):
                last[key] = statistics.median(r[key] for r in runs)
            name = notebook.relative_to(COURSE).as_posix() if notebook.is_relative_to(COURSE) else str(notebook)
            report[name] = last
            print(
                f"{name:<52} {last['kernel_cpu']:>10.2f} {last['cells_cpu']:>9.2f} {last['first_cell_cpu']:>8.2f} "
                f"{last['maxrss_kb'] / 1024:>7.0f} {last['models']:>6} {last['state_bytes'] / 1024:>8.0f} "
                f"{'yes' if last['modules']['matplotlib'] else 'no':>4} {'yes' if last['modules']['pandas'] else 'no':>4}",
                flush=True,
            )
            if args.by_class:
                print("    " + ", ".join(f"{cls} {n}" for cls, n in last["by_class"].items()))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
