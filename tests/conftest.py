"""Test session set-up: offline Prefect with its own PREFECT_HOME, before anything imports prefect.

The Prefect test harness (a real temporary API server) is session-scoped and started only by tests
that ask for the `prefect_engine` fixture, so tests of pure code do not pay its ~15 s start-up.
"""

from __future__ import annotations

import os
import tempfile

os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="themewire-prefect-home-")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.pop("PREFECT_API_URL", None)
os.environ.pop("THEMEWIRE_CONFIG", None)
os.environ.pop("THEMEWIRE_DB", None)

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def prefect_engine():
    """A real Prefect engine backed by a temporary API server for the whole session."""
    from prefect.settings import PREFECT_FLOWS_HEARTBEAT_FREQUENCY, temporary_settings
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        with temporary_settings(updates={PREFECT_FLOWS_HEARTBEAT_FREQUENCY: None}):
            yield
