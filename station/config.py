"""One typed settings object, loaded from a TOML file with environment overrides.

Precedence (last wins): defaults < profile (demo / kiosk) < TOML file < environment.
Environment variables are ``STATION__<SECTION>__<KEY>`` (e.g. ``STATION__UI__LANGUAGE=en``).
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any, Literal

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError

ENV_PREFIX = "STATION__"


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class StationSection(_Section):
    code: str = "DEMO-0001"
    name: str = "演示服务窗口"
    office: str = "演示车管所"
    mode: Literal["counter", "kiosk"] = "counter"


class StorageSection(_Section):
    data_dir: Path = Field(default_factory=lambda: Path(platformdirs.user_data_dir("counter-station")))
    database_url: str | None = None  # default: SQLite (WAL) in data_dir

    def resolved_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir / 'station.sqlite3'}"


class IdCardSection(_Section):
    port: str | None = None  # None: simulator in demo mode, discovery otherwise
    baud: int = 115200
    timeout_s: float = 5.0
    poll_interval_s: float = 0.2
    wlt_decoder_library: Path | None = None  # vendor libwlt2bmp.so / libwltu.so


class CameraSection(_Section):
    index: int | None = None
    device: str | None = None
    width: int = 1280
    height: int = 720
    fps: int = 30
    replay: list[Path] = Field(default_factory=list)  # video file or still images (demo/tests)


class SignaturePadSection(_Section):
    port: str | None = None
    protocol: Literal["isdv4", "topaz", "tablet"] = "isdv4"
    baud: int | None = None  # None: 38400 then 19200


class EmrtdSection(_Section):
    reader: str | None = None  # PC/SC reader name; None: the first contactless reader
    csca_paths: list[Path] = Field(default_factory=list)  # CSCA certificates / master lists
    chunk_size: int = 0xDF  # READ BINARY length under secure messaging
    use_pace: bool = True


class DevicesSection(_Section):
    simulate: bool = False
    idcard: IdCardSection = Field(default_factory=IdCardSection)
    camera: CameraSection = Field(default_factory=CameraSection)
    sigpad: SignaturePadSection = Field(default_factory=SignaturePadSection)
    emrtd: EmrtdSection = Field(default_factory=EmrtdSection)


class CentralSection(_Section):
    url: str | None = None  # None: embedded central service (SQLite) in demo mode
    embedded: bool = False
    timeout_s: float = 10.0
    sync_interval_s: float = 5.0
    # the office's public address of the applicant's status page, e.g. https://jg.example.cn
    # (the receipt's QR code opens <address>/s/<token>); None: the QR code holds the number
    status_page_url: str | None = None
    # the office's own certificate authority (PEM) when the service's certificate is not
    # signed by one the system trusts; None: the system's trust store
    ca_file: Path | None = None
    # plain http:// is refused for anything but this machine (loopback) unless set
    allow_insecure_http: bool = False


class UiSection(_Section):
    language: Literal["zh_CN", "en"] = "zh_CN"
    # a signature is never accepted by itself (after the pen rests) before the agreement has
    # been on screen this long; the Accept button is the signer's own decision
    agreement_min_reading_s: float = Field(default=10.0, ge=0.0, le=600.0)
    idle_lock_minutes: float = 5.0
    fullscreen: bool = False


class SecuritySection(_Section):
    max_failed_logins: int = 5
    lockout_minutes: float = 15.0
    retention_days: int = 30
    # an enrolled station signs operators in at the central service; while it cannot be
    # reached, an operator the service accepted within this many hours signs in offline
    offline_grace_hours: float = Field(default=72.0, ge=0)


class LoggingSection(_Section):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    max_bytes: int = 5_000_000
    backups: int = 5


class Settings(_Section):
    profile: Literal["default", "demo", "kiosk"] = "default"
    station: StationSection = Field(default_factory=StationSection)
    storage: StorageSection = Field(default_factory=StorageSection)
    devices: DevicesSection = Field(default_factory=DevicesSection)
    central: CentralSection = Field(default_factory=CentralSection)
    ui: UiSection = Field(default_factory=UiSection)
    security: SecuritySection = Field(default_factory=SecuritySection)
    logging: LoggingSection = Field(default_factory=LoggingSection)

    @property
    def demo(self) -> bool:
        return self.profile == "demo"

    @property
    def kiosk(self) -> bool:
        return self.station.mode == "kiosk"


PROFILES: dict[str, dict[str, Any]] = {
    "default": {},
    "demo": {"devices": {"simulate": True}, "central": {"embedded": True}},
    "kiosk": {"station": {"mode": "kiosk"}, "ui": {"fullscreen": True, "idle_lock_minutes": 1.5}},
}


class SettingsError(ValueError):
    """The settings file or environment holds a value that cannot be used."""


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _env_overrides(environ: dict[str, str]) -> dict[str, Any]:
    tree: dict[str, Any] = {}
    for name, value in environ.items():
        if not name.startswith(ENV_PREFIX):
            continue
        path = [part.lower() for part in name[len(ENV_PREFIX) :].split("__") if part]
        if not path:
            continue
        node = tree
        for depth, part in enumerate(path[:-1]):
            node = node.setdefault(part, {})
            if not isinstance(node, dict):
                raise SettingsError(_both_value_and_section(path[: depth + 1]))
        if isinstance(node.get(path[-1]), dict):
            raise SettingsError(_both_value_and_section(path))
        node[path[-1]] = value
    return tree


def _both_value_and_section(path: list[str]) -> str:
    name = ENV_PREFIX + "__".join(part.upper() for part in path)
    return f"{name} is set as a value, but other variables make it a section of settings"


def _file_profiles(value: Any, config_file: Path) -> list[str]:
    """The ``profiles`` of a settings file: a list of known profile names."""
    if not isinstance(value, list) or not all(isinstance(name, str) for name in value):
        raise SettingsError(f"settings file {config_file}: profiles must be a list of names, "
                            f"e.g. profiles = [\"kiosk\"] (not {value!r})")
    unknown = [name for name in value if name not in PROFILES]
    if unknown:
        raise SettingsError(f"settings file {config_file}: unknown settings profile "
                            f"{unknown[0]!r} (known: {', '.join(sorted(PROFILES))})")
    return value


def load_settings(
    config_file: Path | None = None,
    profiles: tuple[str, ...] = (),
    environ: dict[str, str] | None = None,
) -> Settings:
    """Build the settings; raise SettingsError with a readable reason on bad input."""
    data: dict[str, Any] = {}
    for profile in profiles:
        if profile not in PROFILES:
            raise SettingsError(f"unknown settings profile {profile!r}")
        data = _merge(data, PROFILES[profile])
        if profile != "kiosk":
            data["profile"] = profile
    if config_file is not None:
        try:
            file_data = tomllib.loads(Path(config_file).read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise SettingsError(f"settings file not found: {config_file}") from exc
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise SettingsError(f"settings file {config_file} is not valid TOML: {exc}") from exc
        for profile in _file_profiles(file_data.pop("profiles", []), Path(config_file)):
            data = _merge(data, PROFILES[profile])
        data = _merge(data, file_data)
    data = _merge(data, _env_overrides(dict(os.environ if environ is None else environ)))
    try:
        return Settings.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise SettingsError(f"invalid settings: {problems}") from exc
