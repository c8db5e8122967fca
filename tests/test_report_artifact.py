"""The run summary artifact: attached to the flow run that made it, not created outside a run."""

from __future__ import annotations

import asyncio
import warnings

from prefect import flow
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

from flows import report


def _keys(key: str) -> list:
    async def read():
        async with get_client() as client:
            arts = await client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key])))
            return [a.flow_run_id for a in arts]
    return asyncio.run(read())


def test_an_artifact_is_created_in_a_flow_run_and_names_that_run(prefect_engine):
    @flow
    async def summarise() -> tuple[bool, str]:
        from prefect.runtime import flow_run
        made = await report.publish_artifact("themewire-test-in-flow", "# summary", "test")
        return made, flow_run.id

    made, run_id = asyncio.run(summarise())
    assert made is True
    assert [str(r) for r in _keys("themewire-test-in-flow")] == [run_id]


def test_outside_a_run_no_artifact_is_made_and_prefect_does_not_warn(prefect_engine):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # Prefect's FutureWarning for artifacts outside a run would raise here
        made = asyncio.run(report.publish_artifact("themewire-test-outside", "# summary", "test"))
    assert made is False
    assert _keys("themewire-test-outside") == []
