"""`make serve WARM=path:n`: the value's checks, the Voila settings written for it, and the pool
manager's rule that only ready kernels count (coopcourse.serving, coopcourse.kernel_limit). A
running Voila with WARM: tests/browser/test_warm_serving.py."""

from __future__ import annotations

import asyncio
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from traitlets import Unicode
from traitlets.config import Configurable
from voila.voila_kernel_manager import voila_kernel_manager_factory

from coopcourse import serving
from coopcourse.kernel_limit import LimitedKernelManager
from coopcourse.text import plural, text
from tests.event_loop import run_async

REPO = Path(__file__).resolve().parents[1]
COURSE = REPO / "course"
FEASIBILITY = "start_coop/02_feasibility.ipynb"
GOVERNANCE = "manage_coop/01_governance_and_leadership.ipynb"


def voila_pool_keys(root: Path) -> set[str]:
    """The keys Voila 0.5 gives the pools of a served folder (VoilaKernelManager.__init__)."""
    return {str(x.relative_to(root)) for x in root.rglob("*.ipynb") if ".ipynb_checkpoints" not in str(x)}


# --- the value of WARM -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (f"{FEASIBILITY}:10", [(FEASIBILITY, 10)]),
        (f" {FEASIBILITY} : 3 ", [(FEASIBILITY, 3)]),
        (f"course/{FEASIBILITY}:2", [(FEASIBILITY, 2)]),  # written from the repository's root
        ("./start_coop//02_feasibility.ipynb:2", [(FEASIBILITY, 2)]),
        (f"{FEASIBILITY}:4,{GOVERNANCE}:1,", [(FEASIBILITY, 4), (GOVERNANCE, 1)]),
    ],
)
def test_warm_names_notebooks_by_voilas_pool_keys(value: str, expected: list[tuple[str, int]]) -> None:
    pools = serving.parse_warm(value, COURSE)
    assert [(p.notebook, p.size) for p in pools] == expected
    assert {p.notebook for p in pools} <= voila_pool_keys(COURSE)


@pytest.mark.parametrize(
    ("value", "key", "params"),
    [
        (FEASIBILITY, "serving.warm_format", {"value": FEASIBILITY}),
        ("", "serving.warm_format", {"value": ""}),
        (":3", "serving.warm_format", {"value": ":3"}),
        (f"{FEASIBILITY}:0", "serving.warm_bad_number", {"number": "0", "notebook": FEASIBILITY}),
        (f"{FEASIBILITY}:-2", "serving.warm_bad_number", {"number": "-2", "notebook": FEASIBILITY}),
        (f"{FEASIBILITY}:ten", "serving.warm_bad_number", {"number": "ten", "notebook": FEASIBILITY}),
        (f"{FEASIBILITY}:2.5", "serving.warm_bad_number", {"number": "2.5", "notebook": FEASIBILITY}),
        (f"{FEASIBILITY}:2,{FEASIBILITY}:1", "serving.warm_twice", {"notebook": FEASIBILITY}),
        ("start_coop/99_nothing.ipynb:2", "serving.warm_not_found", None),
        ("../pyproject.toml:2", "serving.warm_not_found", None),
        (f"{COURSE / FEASIBILITY}:2", "serving.warm_not_found", None),  # absolute: never a pool key
    ],
)
def test_a_bad_value_is_refused_in_plain_words(
    value: str, key: str, params: dict[str, str] | None, learner_message: Any
) -> None:
    with pytest.raises(serving.WarmError) as refused:
        serving.parse_warm(value, COURSE)
    message = str(refused.value)
    learner_message(message)
    if params is not None:
        assert message == text(key, **params)
    else:
        assert message.startswith(text(key, notebook=value.rpartition(":")[0], suggestion="")[:40])


def test_a_misspelt_module_gets_a_suggestion() -> None:
    with pytest.raises(serving.WarmError) as refused:
        serving.parse_warm("start_coop/02_feasability.ipynb:3", COURSE)
    assert text("serving.warm_suggestion", notebook=FEASIBILITY) in str(refused.value)


# --- the settings written for Voila ------------------------------------------------------------


def test_the_settings_warm_the_named_notebooks_and_no_other() -> None:
    pools = serving.parse_warm(f"{FEASIBILITY}:10,{GOVERNANCE}:2", COURSE)
    settings = serving.warm_settings(pools)
    assert settings["VoilaConfiguration"] == {"preheat_kernel": True}
    manager = settings["VoilaKernelManager"]
    assert manager["kernel_pools_config"] == {
        "default": {"pool_size": 0},
        FEASIBILITY: {"pool_size": 10},
        GOVERNANCE: {"pool_size": 2},
    }
    assert manager["fill_delay"] == serving.WARM_FILL_DELAY_S
    assert serving.warm_kernel_count(pools, serving.served_notebooks(COURSE)) == 12


def test_pool_gives_the_other_notebooks_their_pool() -> None:
    pools = serving.parse_warm(f"{FEASIBILITY}:5", COURSE)
    notebooks = serving.served_notebooks(COURSE)
    assert serving.warm_settings(pools, pool=1)["VoilaKernelManager"]["kernel_pools_config"]["default"] == {
        "pool_size": 1
    }
    assert serving.warm_kernel_count(pools, notebooks, pool=1) == 5 + len(notebooks) - 1
    assert plural("serving.warm_others_pool", 1) in serving.warm_lines(pools, pool=1)


def test_warm_kernels_count_towards_the_limit(tmp_path: Path, learner_message: Any) -> None:
    assert serving.prepare_warm(f"{FEASIBILITY}:4", COURSE, tmp_path / "ok", max_kernels=4)
    with pytest.raises(serving.WarmError) as refused:
        serving.prepare_warm(f"{FEASIBILITY}:5", COURSE, tmp_path / "over", max_kernels=4)
    assert str(refused.value) == text("serving.warm_over_limit", count=5, limit=4)
    learner_message(str(refused.value))
    assert not (tmp_path / "over").exists(), "nothing is written for a refused value"


def test_the_command_writes_the_settings_and_says_what_is_warmed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COOPCOURSE_MAX_KERNELS", "50")
    out = tmp_path / "warm"
    assert serving.main(["warm", f"{FEASIBILITY}:10", "--course", str(COURSE), "--out", str(out)]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == text("serving.warm_line", notebook=FEASIBILITY, count=10)
    assert printed[1] == text("serving.warm_others_none")
    written = json.loads((out / "voila.json").read_text())
    assert written == serving.warm_settings(serving.parse_warm(f"{FEASIBILITY}:10", COURSE))

    assert serving.main(["warm", f"{FEASIBILITY}:x", "--course", str(COURSE), "--out", str(tmp_path / "no")]) == 2
    err = capsys.readouterr().err
    assert text("serving.warm_bad_number", number="x", notebook=FEASIBILITY) in err
    assert text("serving.warm_not_started") in err
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize("target", ["serve", "serve-lan"])
def test_make_reads_the_warm_settings_first(target: str) -> None:
    def commands(*variables: str) -> str:
        done = subprocess.run(
            ["make", "-n", "-C", str(REPO), target, *variables], capture_output=True, text=True, timeout=60, check=True
        )
        return done.stdout

    warm = commands(f"WARM={FEASIBILITY}:3")
    assert f"coopcourse.serving warm '{FEASIBILITY}:3'" in warm
    voila = next(line for line in warm.splitlines() if "-m coopcourse.course_voila " in line)
    paths = [arg for arg in voila.split() if arg.startswith("--Voila.config_file_paths=")]
    assert paths[0].endswith("/warm'") and len(paths) == (4 if target == "serve-lan" else 3)
    assert paths[1].endswith("/language'"), "the server's language (language/voila.py) comes before voila.json"
    plain = commands()
    assert "coopcourse.serving warm" not in plain and "/warm'" not in plain


# --- only ready kernels count as the pool ---------------------------------------------------------


class FakeVoila(Configurable):
    """What VoilaKernelManager reads from its parent, for a served folder with no notebook."""

    root_dir = Unicode()
    notebook_path = None
    base_url = "/"
    server_url = "/"
    port = 0


def _pool_manager(root: Path) -> Any:
    cls = voila_kernel_manager_factory(LimitedKernelManager, True, 0)
    return cls(parent=FakeVoila(root_dir=str(root)), max_kernels=10)


class _Renderer:
    def __init__(self) -> None:
        self.stop_generator = False
        self.rendered_cache = ["<p>cells</p>"]


def test_a_page_gets_a_ready_kernel_never_a_waiting_refill(tmp_path: Path) -> None:
    async def scenario() -> tuple[int, int, str, int]:
        manager = _pool_manager(tmp_path)
        loop = asyncio.get_running_loop()

        async def ready(kernel_id: str) -> dict:
            task = loop.create_task(asyncio.sleep(0, result=([], None)))
            return {"renderer": _Renderer(), "task": task, "kernel_id": kernel_id}

        async def failed() -> dict:
            raise RuntimeError("refused at the limit")

        waiting = loop.create_task(asyncio.sleep(3600))  # a refill in its fill_delay
        done = loop.create_task(ready("ready-kernel"))
        broken = loop.create_task(failed())
        await asyncio.sleep(0.01)
        manager._pools[FEASIBILITY] = [waiting, done, broken]
        counted = manager.get_pool_size(FEASIBILITY)
        left = len(manager._pools[FEASIBILITY])
        _, _, kernel_id = await manager.get_rendered_notebook(notebook_name=FEASIBILITY)
        empty = manager.get_pool_size(FEASIBILITY)
        waiting.cancel()
        return counted, left, kernel_id, empty

    counted, left, kernel_id, empty = run_async(scenario())
    assert counted == 1, "a refill still waiting is not a kernel a page can have"
    assert left == 2, "the failed start is dropped from the pool"
    assert kernel_id == "ready-kernel"
    assert empty == 0, "with only a waiting refill left, the next page starts its own kernel"


def test_without_preheating_the_manager_is_unchanged() -> None:
    cls = voila_kernel_manager_factory(LimitedKernelManager, False, 0)
    manager = cls(max_kernels=3)
    assert manager.get_pool_size(FEASIBILITY) == 0
    assert not hasattr(manager, "get_rendered_notebook")
