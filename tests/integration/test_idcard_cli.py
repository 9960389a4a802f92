"""The diagnostics CLI: read (against the simulator on a pty), simulate (a real subprocess),
ports, and the emrtd dispatch."""

from __future__ import annotations

import json
import subprocess
import sys
import types
from collections.abc import Iterator
from pathlib import Path

import pytest

from devices.idcard import cli
from devices.idcard.simulator import ReaderSimulator
from station.identity.samples import SAMPLES

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def simulator() -> Iterator[ReaderSimulator]:
    sim = ReaderSimulator(read_delay_s=0.01, pull_return_after_s=0.3).start()
    yield sim
    sim.stop()


@pytest.mark.parametrize("key", ["resident", "J", "I", "Y"])
def test_read_json_for_every_layout(simulator: ReaderSimulator, key: str, capsys) -> None:
    simulator.place_card(SAMPLES[key])
    code = cli.main(["read", "--port", simulator.port, "--timeout", "3", "--json"])
    out, err = capsys.readouterr()
    assert code == 0, err
    data = json.loads(out)
    card = SAMPLES[key]
    assert data["card_type"] == card.card_type.value
    assert data["id_number"] == card.id_number
    assert data["name"] == card.name and data["name_en"] == card.name_en
    assert data["sex"] in ("男", "女")
    assert data["birth_date"] == card.birth_date.isoformat()
    assert data["valid_to"] == (card.valid_to.isoformat() if card.valid_to else "长期")
    assert data["photo"]["format"] == "wlt" and data["photo"]["size"] == 1024
    assert data["photo"]["decoded"] is False and data["photo"]["reason"]["zh"]
    for field in ("address", "issuing_authority", "nation", "valid_from"):
        assert field in data


@pytest.mark.parametrize("fault", ["noise", "badsum", "pull"])
def test_read_survives_faults(simulator: ReaderSimulator, fault: str, capsys) -> None:
    simulator.set_fault(fault)
    simulator.place_card(SAMPLES["resident"])
    assert cli.main(["read", "--port", simulator.port, "--timeout", "5", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["id_number"] == "11010519491231002X"


def test_read_without_a_card_fails_with_one_line(simulator: ReaderSimulator, capsys) -> None:
    code = cli.main(["read", "--port", simulator.port, "--timeout", "0.6", "--json"])
    out, err = capsys.readouterr()
    assert code != 0 and out == ""
    assert err.count("\n") == 1 and err.startswith("no_card:")


def test_read_with_a_failing_sam(simulator: ReaderSimulator, capsys) -> None:
    simulator.set_fault("samerr")
    simulator.place_card(SAMPLES["resident"])
    code = cli.main(["read", "--port", simulator.port, "--timeout", "0.8"])
    err = capsys.readouterr().err
    assert code != 0 and err.startswith("sam_self_test_failed:") and "SAM" in err


def test_read_from_a_missing_port(tmp_path: Path, capsys) -> None:
    assert cli.main(["read", "--port", str(tmp_path / "nothing"), "--timeout", "1"]) != 0
    assert "cannot open" in capsys.readouterr().err


def test_simulate_subprocess_answers_a_read_subprocess() -> None:
    sim = subprocess.Popen(
        [sys.executable, "-m", "devices.idcard", "simulate", "--card", "Y", "--fault", "noise",
         "--read-delay", "0.01"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert sim.stdout is not None
        port = sim.stdout.readline().strip()
        assert port.startswith("/dev/pts/")
        result = subprocess.run(
            [sys.executable, "-m", "devices.idcard", "read", "--port", port, "--timeout", "5",
             "--json"], cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        data = json.loads(result.stdout)
        assert data["card_type"] == "foreign_permanent_resident"
        assert data["id_number"] == SAMPLES["Y"].id_number
    finally:
        sim.terminate()
        sim.communicate(timeout=10)
    assert sim.returncode == 0


def test_ports_lists_candidates(capsys) -> None:
    assert cli.main(["ports", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert isinstance(listed, list)
    assert all({"device", "score", "why"} <= set(entry) for entry in listed)


def test_emrtd_is_dispatched(monkeypatch) -> None:
    seen: list[list[str]] = []
    module = types.ModuleType("devices.emrtd.cli")
    module.main = lambda argv: seen.append(argv) or 7  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "devices.emrtd.cli", module)
    assert cli.main(["emrtd", "read", "--mrz", "X"]) == 7
    assert seen == [["read", "--mrz", "X"]]


def test_emrtd_missing_gives_a_clear_error(monkeypatch, capsys) -> None:
    monkeypatch.setitem(sys.modules, "devices.emrtd.cli", None)
    assert cli.main(["emrtd", "read"]) != 0
    assert "devices.emrtd" in capsys.readouterr().err
