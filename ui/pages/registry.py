"""Which pages each role sees, in navigation order. Pages are built on first visit."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from app.runtime import StationRuntime
from station.db.models import Role
from station.operators import OperatorInfo

PageFactory = Callable[[StationRuntime, OperatorInfo], QWidget]


@dataclass(frozen=True)
class PageSpec:
    key: str
    roles: frozenset[Role]
    title: Callable[[], str]
    factory: PageFactory


_PAGES: list[PageSpec] = []


def register(key: str, roles: set[Role], title: Callable[[], str], factory: PageFactory) -> None:
    _PAGES[:] = [p for p in _PAGES if p.key != key]
    _PAGES.append(PageSpec(key, frozenset(roles), title, factory))


def pages_for(role: Role) -> list[PageSpec]:
    return [p for p in _PAGES if role in p.roles or role == Role.ADMIN]


def register_builtin_pages() -> None:
    """The pages of the foundation; later features register theirs the same way."""
    from ui.pages.admin_devices import DevicesPage
    from ui.pages.admin_operators import OperatorsPage
    from ui.pages.admin_settings import SettingsPage
    from ui.pages.cases import CasesPage
    from ui.pages.registration import RegistrationPage

    everyone = {Role.CLERK, Role.SUPERVISOR}
    register("registration", {Role.CLERK},
             lambda: QCoreApplication.translate("Navigation", "New registration"), RegistrationPage)
    register("cases", everyone, lambda: QCoreApplication.translate("Navigation", "Cases"), CasesPage)
    register("operators", {Role.ADMIN},
             lambda: QCoreApplication.translate("Navigation", "Operators"), OperatorsPage)
    register("devices", {Role.ADMIN},
             lambda: QCoreApplication.translate("Navigation", "Devices"), DevicesPage)
    register("settings", {Role.ADMIN},
             lambda: QCoreApplication.translate("Navigation", "Station settings"), SettingsPage)
