"""Task retries decided by the error's outcome, on the real Prefect engine, for async tasks too (in an async
task Prefect's `State.result()` would hand back a coroutine: the condition must read the state synchronously)."""

from __future__ import annotations

import pytest

from flows.tasks import retry_if_transient
from warehouse import WarehouseBusy


def _flaky_flow(error: Exception):
    from prefect import flow, task

    attempts: list[int] = []

    @task(retries=2, retry_delay_seconds=0, retry_condition_fn=retry_if_transient)
    async def flaky() -> str:
        attempts.append(1)
        if len(attempts) == 1:
            raise error
        return "done"

    @flow
    async def run() -> str:
        return await flaky()

    return run, attempts


@pytest.mark.usefixtures("prefect_engine")
def test_an_async_task_is_retried_after_a_transient_error():
    import asyncio

    run, attempts = _flaky_flow(WarehouseBusy("/tmp/x.lock", 0.1, "pid 1"))
    assert asyncio.run(run()) == "done" and len(attempts) == 2


@pytest.mark.usefixtures("prefect_engine")
def test_an_async_task_is_not_retried_after_a_terminal_error():
    import asyncio

    run, attempts = _flaky_flow(ValueError("a bug, not the weather"))
    with pytest.raises(ValueError):
        asyncio.run(run())
    assert len(attempts) == 1
