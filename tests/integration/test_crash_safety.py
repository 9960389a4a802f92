"""SIGKILL the station mid-capture and mid-sync a few times (the benchmark does hundreds):
no confirmed step is lost, every committed case reaches the central service exactly once."""

from __future__ import annotations

from bench.crash import run


def test_kills_lose_nothing_and_deliver_once() -> None:
    result = run(runs=5, seed=7, central_db=None)
    assert result["steps_confirmed"] > 0, result
    assert result["steps_lost"] == 0, result
    assert result["cases_committed"] > 0, result
    assert result["lost"] == 0 and result["duplicated"] == 0, result
    assert result["audit_chain_ok"], result
