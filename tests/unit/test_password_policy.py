"""Issue 21 item 6: operators' passwords meet a policy, at the station and at the central
service alike (too short, too simple, too common, the user name again: refused, saying why)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from station import i18n, operators
from station.db.database import Database
from station.db.models import Role
from station.operators import AccountError
from station.security.passwords import password_problem
from tests.helpers.central import PASSWORD, Clock, RunningCentral, running_central
from tests.helpers.processes import PROJECT_ROOT


@pytest.mark.parametrize(("password", "username", "refused"), [
    ("short", "", "at least 8 characters"),
    ("12345678", "", "too simple"),
    ("87654321", "", "too simple"),
    ("aaaaaaaaaa", "", "too simple"),
    ("abcdefgh", "", "too simple"),
    ("password1", "", "guessers try"),
    ("Admin123", "", "guessers try"),
    ("zhang2024", "zhang", "user name"),
    ("Zhang_2024!", "zhang", "user name"),
    ("x" * 300, "", "too long"),
])
def test_weak_passwords_are_refused_with_a_reason(password: str, username: str,
                                                  refused: str) -> None:
    problem = password_problem(password, username)
    assert problem is not None and refused in problem.source


@pytest.mark.parametrize("password", ["clerk-pass", "correct horse", "交管窗口2号密码",
                                      "Tr4in-station-07"])
def test_ordinary_passwords_pass(password: str) -> None:
    assert password_problem(password, "clerk") is None


def test_the_station_refuses_a_weak_operator_password_in_chinese(database: Database) -> None:
    before = i18n.current_language()
    i18n.set_language("zh_CN")
    try:
        with pytest.raises(AccountError) as refused:
            database.write(lambda s: operators.create_operator(
                s, "wang", "王", Role.CLERK, "wang1234"))
        assert str(refused.value) == "密码不能是用户名（无论是否附加数字）。"
    finally:
        i18n.set_language(before)
    database.write(lambda s: operators.create_operator(s, "wang", "王", Role.CLERK,
                                                       "counter-seven"))


@pytest.fixture
def central(tmp_path: Path) -> Iterator[RunningCentral]:
    with running_central(tmp_path, {"admin1": "admin"}, Clock()) as running:
        yield running


def test_the_central_service_refuses_a_weak_operator_password(central: RunningCentral) -> None:
    with httpx.Client(base_url=central.base_url, timeout=10) as http:
        token = http.post("/v1/auth/login", json={"username": "admin1", "password": PASSWORD})
        headers = {"Authorization": f"Bearer {token.json()['token']}"}
        weak = http.post("/v1/admin/users", headers=headers, json={
            "username": "sup9", "role": "supervisor", "password": "12345678"})
        assert weak.status_code == 422 and weak.json()["error"]["code"] == "weak_password"
        assert weak.json()["error"]["message_zh"].startswith("密码过于简单")
        assert http.post("/v1/admin/users", headers=headers, json={
            "username": "sup9", "role": "supervisor",
            "password": "review-desk-9"}).status_code == 201
    done = subprocess.run([sys.executable, "-m", "central", "create-user", "--db",
                           central.db_url, "sup10", "--role", "supervisor"], cwd=PROJECT_ROOT,
                          input="password1\n", capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "guessers try" in done.stderr
