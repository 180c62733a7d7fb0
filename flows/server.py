"""Which Prefect server a run talks to: with `PREFECT_API_URL` set, the server at that address;
without it, a temporary server Prefect starts for the process."""
from __future__ import annotations

SERVE_NEEDS_SERVER = ("error: --serve needs a running Prefect server to hold the schedule: run "
                      "`prefect server start` and set PREFECT_API_URL=http://127.0.0.1:4200/api "
                      "(README, 'Scheduling')")


def api_url() -> str | None:
    from prefect.settings import PREFECT_API_URL

    return PREFECT_API_URL.value()
