"""Which Prefect server a run talks to.

With `PREFECT_API_URL` set, the server at that address. Without it, Prefect 3.8 starts a
temporary server for the process (`prefect.server.api.server.SubprocessASGIServer`: a uvicorn
subprocess, ~230 MB) and stops it from an `atexit` hook, which a process killed with SIGKILL
never runs: the server then lived on for ever. `die_with_parent()` registers a temporary server
whose process gets Linux's parent-death signal, so it ends whenever the run's process ends.
"""
from __future__ import annotations

import ctypes
import os
import signal
import subprocess
import sys
import threading

SERVE_NEEDS_SERVER = ("error: --serve needs a running Prefect server to hold the schedule: run "
                      "`prefect server start` and set PREFECT_API_URL=http://127.0.0.1:4200/api "
                      "(README, 'Scheduling')")

_PR_SET_PDEATHSIG = 1  # linux/prctl.h


def api_url() -> str | None:
    from prefect.settings import PREFECT_API_URL

    return PREFECT_API_URL.value()


def die_with_parent() -> None:
    """Make the temporary server Prefect starts for this process (if it needs one) a child that
    gets SIGTERM when this process ends, also by SIGKILL. Call it before the first flow runs;
    a no-op with `PREFECT_API_URL` set, off Linux, or when a temporary server is registered already
    (e.g. by `prefect_test_harness`)."""
    if not sys.platform.startswith("linux") or api_url():
        return
    from prefect.server.api.server import SubprocessASGIServer

    class ChildServer(SubprocessASGIServer):
        def _run_uvicorn_command(self) -> subprocess.Popen:
            if threading.current_thread() is not threading.main_thread():
                # the signal follows the thread that started the child: only the main thread lives as long as us
                return super()._run_uvicorn_command()
            return _start_uvicorn(self.port)

    # Prefect's code asks `SubprocessASGIServer()` (port None) for the temporary server and gets
    # the instance registered under None: the mechanism `prefect_test_harness` uses for its server.
    if None not in SubprocessASGIServer._instances:
        ChildServer()


def _start_uvicorn(port: int) -> subprocess.Popen:
    """Prefect 3.8's command and environment for its temporary server
    (`SubprocessASGIServer._run_uvicorn_command`), plus a parent-death signal set in the child
    between fork and exec."""
    import prefect
    from prefect.settings import get_current_settings

    libc = ctypes.CDLL(None, use_errno=True)
    parent = os.getpid()

    def die_with_parent_hook() -> None:
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # the parent died before the signal was set
            os._exit(1)

    env = {**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1",
           **get_current_settings().to_environment_variables(exclude_unset=True)}
    return subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--app-dir", str(prefect.__module_path__.parent), "--factory",
         "prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(port), "--log-level", "error",
         "--lifespan", "on"],
        env=env, preexec_fn=die_with_parent_hook)
