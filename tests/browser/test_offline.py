"""Works with no internet: a workshop on a local network must get every byte from the laptop
serving the course.

Every request a page makes is recorded (documents, scripts, styles, fonts, images, fetches, the
kernel websockets, and requests from workers and service workers, which Playwright reports on the
browser context) and the test fails on any whose host is not the serving host. The pages are the
tree page ``make serve`` opens, and every notebook (parametrised by discovery). The served HTML is
also read for scripts, styles or ``import()`` pointing elsewhere: a CDN fallback that only fires in
some situations (nbconvert's mermaid loader, MathJax) is caught even when this run did not trigger it.
A probe notebook with maths and a mermaid diagram checks those two cases for real.
"""

from __future__ import annotations

import re
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import nbformat
import pytest

from tests.browser.conftest import running_voila
from tests.browser.voila_app import KernelMonitor, course_notebooks, render_url, translated_notebooks, wait_rendered

# The address in <script src=...>, <link href=...>, <img src=...>, import("...") and url(...),
# when it is absolute (http://, https:// or protocol-relative //).
LOADED_URL = re.compile(
    r"""(?:<script[^>]*\bsrc|<link[^>]*\bhref|<img[^>]*\bsrc)\s*=\s*["']((?:https?:)?//[^"'\s>]+)|"""
    r"""\bimport\s*\(\s*["']((?:https?:)?//[^"'\s)]+)|url\(\s*["']?((?:https?:)?//[^"')\s]+)""",
    re.IGNORECASE,
)


@dataclass
class RequestLog:
    """Every URL a browser context asked for, websockets and workers included."""

    urls: list[str] = field(default_factory=list)

    def attach(self, page: object) -> None:
        context = page.context  # type: ignore[attr-defined]
        # The context sees the page's requests and those of its workers and service workers.
        context.on("request", lambda request: self.urls.append(request.url))
        page.on("websocket", lambda ws: self.urls.append(ws.url))  # type: ignore[attr-defined]
        page.on("worker", lambda worker: self.urls.append(worker.url))  # type: ignore[attr-defined]

    def foreign(self, base_url: str) -> list[str]:
        serving = urlsplit(base_url).netloc
        return sorted(
            {
                url
                for url in self.urls
                if urlsplit(url).scheme not in ("data", "blob", "about") and urlsplit(url).netloc != serving
            }
        )


def external_loads(html: str, base_url: str) -> list[str]:
    """Absolute addresses the HTML loads from a host other than the serving one."""
    serving = urlsplit(base_url).netloc
    urls = {next(group for group in match.groups() if group) for match in LOADED_URL.finditer(html)}
    return sorted(url for url in urls if urlsplit(url).netloc != serving)


def _fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.read().decode("utf-8", errors="replace")


def _visit(page: object, base_url: str, notebook: Path | None) -> tuple[RequestLog, KernelMonitor]:
    log, monitor = RequestLog(), KernelMonitor()
    log.attach(page)
    monitor.attach(page)  # type: ignore[arg-type]
    if notebook is None:
        page.goto(base_url + "/", timeout=60_000)  # type: ignore[attr-defined]
        page.wait_for_load_state("networkidle")  # type: ignore[attr-defined]
    else:
        page.goto(render_url(base_url, notebook), timeout=60_000)  # type: ignore[attr-defined]
        wait_rendered(page, notebook)  # type: ignore[arg-type]
        monitor.wait_idle(page)  # type: ignore[arg-type]
        page.wait_for_load_state("networkidle")  # type: ignore[attr-defined]
    return log, monitor


def _check(log: RequestLog, base_url: str, what: str, html: str) -> None:
    assert log.urls, f"{what}: no request recorded at all (is the recorder attached?)"
    foreign = log.foreign(base_url)
    assert not foreign, (
        f"{what} asked for {len(foreign)} address(es) outside the serving host "
        f"{urlsplit(base_url).netloc}; offline they fail:\n  " + "\n  ".join(foreign)
    )
    loads = external_loads(html, base_url)
    assert not loads, f"{what}: the served HTML loads from another host:\n  " + "\n  ".join(loads)


def test_tree_page_needs_no_internet(page, voila_server: str) -> None:
    log, _ = _visit(page, voila_server, None)
    _check(log, voila_server, "the tree page", _fetch(voila_server + "/"))


@pytest.mark.parametrize("notebook", course_notebooks() + translated_notebooks(), ids=lambda p: p.as_posix())
def test_app_needs_no_internet(page, voila_server: str, notebook: Path) -> None:
    log, monitor = _visit(page, voila_server, notebook)
    assert any("/api/kernels/" in url for url in log.urls) or not monitor.sockets, "kernel websocket not recorded"
    _check(log, voila_server, str(notebook), page.content())  # type: ignore[attr-defined]
    _check(log, voila_server, str(notebook), _fetch(render_url(voila_server, notebook)))


# --- maths and diagrams: what the course does not use yet, but a notebook author might ----------

PROBE_MARKDOWN = """# Probe: maths and a diagram

Inline maths $x^2 + y_1$ and display maths:

$$\\sum_{i=1}^{n} s_i = S$$

```mermaid
graph LR
  A[Members] --> B[Cooperative]
```
"""


@pytest.fixture(scope="module")
def probe_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("probe")
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.cells = [nbformat.v4.new_markdown_cell(PROBE_MARKDOWN), nbformat.v4.new_code_cell("1 + 1")]
    nbformat.write(notebook, root / "probe.ipynb")
    with running_voila(root, root / "voila.log", tmp_path_factory.mktemp("probedata")) as base_url:
        yield base_url


def test_maths_and_mermaid_need_no_cdn(page, probe_server: str) -> None:
    log = RequestLog()
    log.attach(page)
    page.goto(probe_server + "/voila/render/probe.ipynb", timeout=60_000)
    page.wait_for_selector("#loading", state="hidden", timeout=120_000)
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(1500)  # MathJax and the mermaid loader start after the page has loaded
    _check(
        log,
        probe_server,
        "a notebook with maths and a mermaid diagram",
        _fetch(probe_server + "/voila/render/probe.ipynb"),
    )
    typeset = page.locator("mjx-container, .MathJax, .jp-RenderedMermaid, .mermaid svg").count()
    assert typeset or "$x^2" in page.content(), "the maths vanished from the page"
