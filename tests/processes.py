"""Run a piece of a test as user "nobody": root may write anywhere, so a read-only folder means
nothing to it. Linux only (fork and setuid)."""

from __future__ import annotations

import json
import os
import pwd
from collections.abc import Callable


def as_nobody(action: Callable[[], object]) -> object:
    """``action()`` in a child process as user "nobody" (root may write anywhere, so a read-only
    folder means nothing to it); its JSON result comes back through a pipe."""
    nobody = pwd.getpwnam("nobody")
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop to nobody, act, report, exit without pytest's clean-up
        code = 1
        try:
            os.close(read_end)
            os.setgroups([])
            os.setgid(nobody.pw_gid)
            os.setuid(nobody.pw_uid)
            os.write(write_end, json.dumps(action()).encode())
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        report = pipe.read()
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, "the action failed in the child process"
    return json.loads(report)
