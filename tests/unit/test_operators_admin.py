"""Administering the station's operators (the operators page's core): edit name and role,
disable and enable, reset the password under the policy, lift a lockout; each change audited;
nobody disables themselves and the station keeps an active administrator."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from station import audit, operators
from station.db.models import AuditEvent, Operator, Role

LOCK = timedelta(minutes=15)


@pytest.fixture
def accounts(database):  # type: ignore[no-untyped-def]
    database.write(lambda s: operators.create_operator(s, "admin", "王管理", Role.ADMIN, "admin-pass-1"))
    database.write(lambda s: operators.create_operator(s, "li", "李警官", Role.CLERK, "clerk-pass-1"))
    return database


def _audit(database) -> list[tuple[str, str, dict]]:  # type: ignore[no-untyped-def]
    with database.session() as session:
        assert audit.verify_chain(session) == []
        return [(e.actor, e.action, e.details) for e in session.scalars(
            select(AuditEvent).order_by(AuditEvent.seq))]


def _row(database, username: str) -> operators.OperatorRow:  # type: ignore[no-untyped-def]
    with database.session() as session:
        return next(r for r in operators.list_accounts(session) if r.username == username)


def test_edit_name_and_role_is_audited(accounts) -> None:  # type: ignore[no-untyped-def]
    accounts.write(lambda s: operators.update_operator(s, "li", " 李明 ", Role.SUPERVISOR, "admin"))
    row = _row(accounts, "li")
    assert (row.display_name, row.role) == ("李明", Role.SUPERVISOR)
    assert _audit(accounts)[-1] == ("admin", "operator.updated", {
        "operator": "li", "display_name": "李明", "role": "supervisor"})
    before = len(_audit(accounts))
    accounts.write(lambda s: operators.update_operator(s, "li", "李明", Role.SUPERVISOR, "admin"))
    assert len(_audit(accounts)) == before  # nothing changed, nothing recorded
    with pytest.raises(operators.AccountError):
        accounts.write(lambda s: operators.update_operator(s, "admin", "x", Role.CLERK, "admin"))
    with pytest.raises(operators.AccountError):
        accounts.write(lambda s: operators.update_operator(s, "nobody", "x", Role.CLERK, "admin"))


def test_disable_enable_and_the_rules_that_keep_an_administrator(accounts) -> None:  # type: ignore[no-untyped-def]
    accounts.write(lambda s: operators.set_active(s, "li", False, "admin"))
    assert not _row(accounts, "li").active
    with pytest.raises(operators.AccountError):  # a disabled account does not sign in
        accounts.write(lambda s: operators.authenticate(s, "li", "clerk-pass-1", 3, LOCK))
    accounts.write(lambda s: operators.set_active(s, "li", True, "admin"))
    assert accounts.write(lambda s: operators.authenticate(
        s, "li", "clerk-pass-1", 3, LOCK)).username == "li"
    actions = [(actor, action) for actor, action, _d in _audit(accounts)]
    assert ("admin", "operator.disabled") in actions and ("admin", "operator.enabled") in actions

    with pytest.raises(operators.AccountError, match=r"自己|own"):
        accounts.write(lambda s: operators.set_active(s, "admin", False, "admin"))
    # a second administrator disables the first; the one left cannot be demoted or disabled
    accounts.write(lambda s: operators.create_operator(s, "root2", "赵", Role.ADMIN, "second-admin-1"))
    accounts.write(lambda s: operators.set_active(s, "admin", False, "root2"))  # one is left
    with pytest.raises(operators.AccountError, match=r"最后|last"):
        accounts.write(lambda s: operators.update_operator(s, "root2", "赵", Role.CLERK, "li"))
    with pytest.raises(operators.AccountError, match=r"最后|last"):
        accounts.write(lambda s: operators.set_active(s, "root2", False, "li"))
    with accounts.session() as session:
        admins = [o.username for o in session.scalars(select(Operator).where(
            Operator.role == Role.ADMIN, Operator.active.is_(True)))]
    assert admins == ["root2"]


def test_reset_password_follows_the_policy_and_lifts_a_lockout(accounts) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        with pytest.raises(operators.AccountError):
            accounts.write(lambda s: operators.authenticate(s, "li", "wrong-one", 3, LOCK))
    assert _row(accounts, "li").locked_until is not None
    for weak in ("short", "12345678", "password", "aaaaaaaa"):
        with pytest.raises(operators.AccountError):
            accounts.write(lambda s, p=weak: operators.reset_password(s, "li", p, "admin"))
    assert _row(accounts, "li").locked_until is not None  # a refused reset changes nothing
    accounts.write(lambda s: operators.reset_password(s, "li", "new secret words", "admin"))
    assert _row(accounts, "li").locked_until is None
    with pytest.raises(operators.AccountError):
        accounts.write(lambda s: operators.authenticate(s, "li", "clerk-pass-1", 3, LOCK))
    assert accounts.write(lambda s: operators.authenticate(
        s, "li", "new secret words", 3, LOCK)).username == "li"
    entries = _audit(accounts)
    reset = next(e for e in entries if e[1] == "operator.password_reset")
    assert reset == ("admin", "operator.password_reset", {"operator": "li"})  # no password
    assert not any("new secret words" in str(e) for e in entries)


def test_unlock_lifts_a_lockout_before_it_runs_out(accounts) -> None:  # type: ignore[no-untyped-def]
    for _ in range(3):
        with pytest.raises(operators.AccountError):
            accounts.write(lambda s: operators.authenticate(s, "li", "wrong-one", 3, LOCK))
    with pytest.raises(operators.AccountError, match=r"锁定|locked"):
        accounts.write(lambda s: operators.authenticate(s, "li", "clerk-pass-1", 3, LOCK))
    accounts.write(lambda s: operators.unlock(s, "li", "admin"))
    assert _row(accounts, "li").locked_until is None
    assert accounts.write(lambda s: operators.authenticate(
        s, "li", "clerk-pass-1", 3, LOCK)).username == "li"
    assert ("admin", "operator.unlocked", {"operator": "li"}) in _audit(accounts)


def test_central_accounts_are_changed_at_the_central_service(accounts) -> None:  # type: ignore[no-untyped-def]
    from station.signin import apply_roster

    accounts.write(lambda s: apply_roster(s, [{"username": "zhao", "display_name": "赵",
                                               "role": "supervisor", "active": True}]))
    assert _row(accounts, "zhao").central
    for change in (lambda s: operators.set_active(s, "zhao", False, "admin"),
                   lambda s: operators.reset_password(s, "zhao", "new secret words", "admin"),
                   lambda s: operators.update_operator(s, "zhao", "x", Role.CLERK, "admin")):
        with pytest.raises(operators.AccountError, match=r"中心|central"):
            accounts.write(change)
