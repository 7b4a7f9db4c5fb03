"""The kernel a served course page runs: IPython's kernel without its debugger or history.

Two things every kernel does that no page served by Voila uses, paid by every page a room opens:

- ipykernel imports debugpy at start-up for JupyterLab's debugger: about a quarter of the
  kernel's import time (0.1 CPU-s, measured with ``python -X importtime``) and 8 MB;
- IPython writes every cell it runs to ``~/.ipython/profile_default/history.sqlite``: a database
  that grows with every page view and that every kernel of a room writes to at the same time.

``PageKernelSpecManager`` (named in ``voila.json``, so it applies to Voila alone, never to
JupyterLab) starts the Python kernel with ``python -m coopcourse.page_kernel`` instead of
``python -m ipykernel_launcher``, and with IPython's history off. That entry point marks debugpy
as not importable, which ipykernel treats as debugpy not being installed, and then starts
ipykernel as its own launcher does, with ``page_kernel_class.PageKernel`` as the kernel: IPython's
kernel, quiet about a shutdown race that otherwise prints a traceback into the server's log.

On Linux the spec also names ``coopcourse.fork_provisioner``'s provisioner: the kernel is forked
from a process that has already imported the libraries every page's kernel needs, rather than
started as a new Python.
"""

from __future__ import annotations

import sys

from jupyter_client.kernelspec import KernelSpec, KernelSpecManager

IPYKERNEL_LAUNCHER = ["-m", "ipykernel_launcher"]
PAGE_KERNEL = ["-m", "coopcourse.page_kernel"]
NO_HISTORY = "--HistoryManager.enabled=False"


class PageKernelSpecManager(KernelSpecManager):
    """Kernel specs as installed, except that an ipykernel spec starts this module's kernel,
    without IPython's history."""

    def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
        # Imported here: the kernel, which runs this module too, has no use for the provisioner.
        from coopcourse.fork_provisioner import PROVISIONER_NAME, forking_available

        spec = super().get_kernel_spec(kernel_name)
        if spec.argv[1:3] == IPYKERNEL_LAUNCHER:
            spec.argv = [spec.argv[0], *PAGE_KERNEL, *spec.argv[3:], NO_HISTORY]
            spec.metadata = {**spec.metadata, "debugger": False}
            if forking_available():
                spec.metadata["kernel_provisioner"] = {"provisioner_name": PROVISIONER_NAME}
        return spec


def main() -> None:
    # A None entry makes `import debugpy` raise ImportError: ipykernel's "debugpy is not installed".
    sys.modules["debugpy"] = None  # type: ignore[assignment]
    from ipykernel import kernelapp

    from coopcourse.page_kernel_class import PageKernel

    kernelapp.launch_new_instance(kernel_class=PageKernel)


if __name__ == "__main__":
    main()
