"""Offline Prefect settings, applied by the project itself before prefect is imported.

Measured (docs/performance.md; ../shared/notes/prefect-3.9-offline.md): client telemetry adds 5-10 s at exit when its endpoint is
unreachable; the server's analytics heartbeat logs errors offline; the temporary API server needs more
than its default 20 s to start on a busy 2-core machine. Values a user already set are kept.
"""

from __future__ import annotations

import os
from pathlib import Path

OFFLINE_DEFAULTS = {
    "DO_NOT_TRACK": "1",  # client telemetry off
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",  # server telemetry heartbeat off
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    "PREFECT_LOGGING_EXTRA_LOGGERS": "extractors,warehouse,flows",  # our module logs in the run log
}


def ensure_prefect_offline() -> None:
    """Idempotent: set the offline defaults and make sure PREFECT_HOME's parent exists."""
    for key, value in OFFLINE_DEFAULTS.items():
        os.environ.setdefault(key, value)
    home = Path(os.environ.get("PREFECT_HOME", Path.home() / ".prefect")).expanduser()
    home.parent.mkdir(parents=True, exist_ok=True)
