"""The FastAPI application: routes, authentication, errors, limits, structured logs."""


import logging
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import datetime, timedelta
from functools import cached_property
from typing import Annotated, Any, Literal, TypeVar

from fastapi import Depends, FastAPI, Header, Path, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy import text
from sqlalchemy.exc import DataError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from central import accounts, audit, metrics, persons, published, roster, schemas, stations
from central.audit import Principal
from central.config import CentralConfig
from central.db import make_engine, session_factory
from central.errors import ApiError
from central.events import outbox as event_outbox
from central.events.dispatch import EventDispatcher
from central.intake.analysis import IntakeAnalyser
from central.intake.routes import intake_router
from central.models import utcnow
from central.review import cases, decisions, leases, queue, stats
from central.review.counts import ReviewCounts
from central.review.filters import QueueFilter
from central.sealing import Sealer
from central.sms import NotificationDispatcher, SmsLimits, load_gateway
from central.sync import feed as decisions_feed
from central.sync import ingest as case_ingest
from central.sync import parts, phone
from central.timeouts import BodyTimeouts
from central.upstream import photo as upstream_photo
from central.upstream.handover import HandoverDispatcher
from station import vocabulary
from station.i18n import both
from station.security.crypto import CryptoError
from station.workdays import WorkdayCalendar

log = logging.getLogger("central")
access_log = logging.getLogger("central.access")
T = TypeVar("T")
SHA_PATH = Path(pattern=r"^[0-9a-f]{64}$")
ID_PATH = Path(pattern=r"^[0-9a-f]{32}$")
STATION_CODE_PATH = Path(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_-]+$")
USERNAME_PATH = Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_.@-]+$")
KEY_HEADER = Header(alias="Idempotency-Key", min_length=8, max_length=64,
                    pattern=r"^[A-Za-z0-9_-]+$")
EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "application/pdf": ".pdf",
              "application/x-wlt": ".wlt"}
ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": schemas.ErrorBody} for code in (400, 401, 403, 404, 409, 413, 422, 429, 503)
}


class Limits:
    """Pure ASGI middleware: refuse bodies over the size limit without reading them all."""

    def __init__(self, app: ASGIApp, case_bytes: int, part_bytes: int,
                 batch_bytes: int, intake_bytes: int) -> None:
        self.app, self.case_bytes, self.part_bytes = app, case_bytes, part_bytes
        self.batch_bytes, self.intake_bytes = batch_bytes, intake_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"]
        limit = self.part_bytes if path.startswith("/v1/parts/") else \
            self.batch_bytes if path == "/v1/cases/batch" else \
            self.intake_bytes if path.startswith("/v1/intake/") else self.case_bytes
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _too_large(send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > limit:
                raise BodyTooLarge
            return message

        try:
            await self.app(scope, counted, send)
        except BodyTooLarge:
            await _too_large(send)


class BodyTooLarge(Exception):
    pass


async def _too_large(send: Send) -> None:
    body = ApiError(413, "too_large", both("CentralApi", "The request body is too large.")).body()
    response = JSONResponse(body, status_code=413)
    await response({"type": "http"}, _empty_receive, send)


async def _empty_receive() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


class NoSniff:
    """Every response says its Content-Type is meant (no browser guesses HTML from bytes)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def marked(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() != b"x-content-type-options"]
                message = {**message, "headers": [*headers,
                                                  (b"x-content-type-options", b"nosniff")]}
            await send(message)

        await self.app(scope, receive, marked)


class AccessLog:
    """One structured line per request (method, path, status, milliseconds)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = {"code": 500}

        async def watched(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, watched)
        finally:
            metrics.observe(scope["method"], metrics.route_of(scope), status["code"],
                            time.perf_counter() - started)
            if access_log.isEnabledFor(logging.INFO):
                access_log.info("%s %s %s", scope["method"], scope["path"], status["code"],
                                extra={"event": "http", "status": status["code"],
                                       "ms": round((time.perf_counter() - started) * 1000, 1)})


class Central:
    """Per-process state shared by the routes."""

    def __init__(self, config: CentralConfig, clock: Callable[[], datetime] = utcnow) -> None:
        self.config = config
        self.engine = make_engine(config.db_url, config.pool_size)
        self.sessions = session_factory(self.engine)
        # read-only work without BEGIN/COMMIT round trips (same pool)
        self.autocommit = self.engine.execution_options(isolation_level="AUTOCOMMIT")
        self.read_sessions = session_factory(self.autocommit)
        # the published calendar.json over --calendar-file, followed without a restart
        self.calendars = published.PublishedCalendar(config.calendar_file, self.read)
        self.clock = clock
        self.gateway = load_gateway(config.sms_gateway, config.data_dir)
        self.login_limits = accounts.LoginLimits(
            max_failures=config.max_failed_logins,
            lockout=timedelta(minutes=config.lockout_minutes),
            max_address_failures=config.max_failed_logins_per_address,
            address_window=timedelta(minutes=config.lockout_minutes))
        self.sms_limits = SmsLimits(per_number=config.sms_per_number_per_hour,
                                    per_sender=config.sms_per_station_per_hour)
        self.counts = ReviewCounts()  # this process's review counts, dropped on a change
        self.upstream = config.traffic_system()  # the traffic-management system, if any

    @property
    def calendar(self) -> WorkdayCalendar:
        return self.calendars.get()

    @cached_property
    def sealer(self) -> Sealer:
        """Read (or on first use create) the data key when first needed, not when the app is
        built: building it only to publish the OpenAPI document must not write a key file."""
        return Sealer.from_key_file(self.config.key_file)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with self.sessions.begin() as session:
            yield session

    @contextmanager
    def queue_changing(self) -> Iterator[None]:
        """Around work that adds or decides cases: this process's review counts are dropped
        once it is committed (or failed), so its next listing counts the change."""
        try:
            yield
        finally:
            self.counts.changed()

    def run(self, work: Callable[[Session], T]) -> T:
        with self.transaction() as session:
            return work(session)

    def read(self, work: Callable[[Session], T]) -> T:
        """Reads in autocommit: each statement sees what is committed when it starts."""
        with self.read_sessions() as session:
            return work(session)

    def run_core(self, work: Callable[[Any], T]) -> T:
        """For the hot paths (parts, ingest): a Core connection skips the ORM's bookkeeping;
        the service functions use only ``execute``/``scalars`` and so accept either."""
        with self.engine.begin() as connection:
            return work(connection)

    def principal(self, token: str) -> Principal | None:
        """Looked up at every request (one indexed read in autocommit), never cached: a
        logout, a disabled station or operator is refused at once by every API process."""
        with self.autocommit.connect() as connection:
            return accounts.principal_for(connection, token, self.clock())

    def warm_pool(self) -> None:
        """Open the pool's PostgreSQL connections before the first requests: else the first
        burst of reviewers (all refreshing after a restart) waits for each connection's
        start and catalogue reads, on top of its query."""
        if self.engine.dialect.name != "postgresql":
            return
        connections = []
        try:
            for _ in range(self.config.pool_size):
                connection = self.engine.connect()
                connections.append(connection)
                connection.execute(text("SELECT count(*) FROM cases WHERE false"))
        except SQLAlchemyError:  # not fatal: the requests open them (and report) as before
            log.warning("could not open the database connections ahead of requests")
        finally:
            for connection in connections:
                connection.close()


bearer = HTTPBearer(auto_error=False)


def create_app(config: CentralConfig, clock: Callable[[], datetime] = utcnow) -> FastAPI:
    central = Central(config, clock)
    dispatcher = NotificationDispatcher(central.sessions, central.gateway,
                                        lambda: central.sealer)
    analyser = IntakeAnalyser()  # models load on the first platform submission
    events = EventDispatcher(central.sessions, lambda: central.sealer, config.amqp_url)
    handovers = HandoverDispatcher(central.sessions, lambda: central.sealer, central.upstream,
                                   clock=clock) if central.upstream is not None else None

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        central.warm_pool()
        if config.dispatch_notifications:
            dispatcher.start()
            events.start()
            if handovers is not None:
                handovers.start()
        yield
        dispatcher.stop()
        events.stop()
        if handovers is not None:
            handovers.stop()
        if central.upstream is not None:
            central.upstream.close()
        analyser.close()
        central.engine.dispose()

    app = FastAPI(
        title="Counter Station central service", version="1.0.0", lifespan=lifespan,
        description="Case ingest, parts, decisions feed and review queue for counter stations.",
    )
    app.state.central = central
    app.add_middleware(BodyTimeouts, idle_s=config.body_idle_timeout_s,
                       total_s=config.body_timeout_s)  # inside Limits: see BodyTimeouts
    app.add_middleware(Limits, case_bytes=config.max_case_bytes,
                       part_bytes=config.max_part_bytes + 65_536,
                       batch_bytes=config.max_batch_bytes,
                       intake_bytes=config.max_intake_bytes)
    app.add_middleware(NoSniff)
    app.add_middleware(AccessLog)
    _install_error_handlers(app)

    def authenticated(
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> Principal:
        found = central.principal(credentials.credentials) if credentials else None
        if found is None:
            raise ApiError(401, "unauthenticated", both(
                "CentralApi", "Sign in first (missing, wrong or expired token)."))
        return found

    def role(*allowed: str) -> Any:
        def check(who: Annotated[Principal, Depends(authenticated)]) -> Principal:
            if who.role not in allowed:
                raise ApiError(403, "forbidden", both(
                    "CentralApi", "Your role is not allowed to do this."), role=who.role)
            return who

        return Depends(check)

    station_only = role("station")
    reviewer = role("supervisor")
    viewer = role("supervisor", "admin")
    admin = role("admin")
    platform_only = role("platform")
    app.include_router(intake_router(central, platform_only, ERRORS, analyser))

    gauges = metrics.DatabaseGauges(central.read, central.clock)

    @app.get("/metrics", tags=["system"], response_class=Response,
             responses={200: {"content": {"text/plain": {}}}})
    def prometheus_metrics() -> Response:
        """Prometheus text format: requests and latencies (all API processes), review queue
        depth, overdue cases, each station's sync backlog, last sync and configuration."""
        body, media_type = metrics.exposition(gauges)
        return Response(content=body, media_type=media_type)

    @app.get("/health", response_model=schemas.Health, tags=["system"])
    def health() -> schemas.Health:
        try:
            central.run(lambda s: s.execute(text("SELECT 1")))
            database = "ok"
        except OperationalError:
            database = "unavailable"
        return schemas.Health(status="ok" if database == "ok" else "degraded",
                              database=database, time=central.clock())

    # --- accounts ---------------------------------------------------------------------

    @app.post("/v1/auth/login", response_model=schemas.LoginOut, responses=ERRORS,
              tags=["auth"])
    def login(body: schemas.LoginIn, request: Request) -> schemas.LoginOut:
        """Sign in. Wrong passwords lock the user name (403 account_locked) and, from one
        client address, slow it down (429 too_many_attempts with Retry-After)."""
        address = request.client.host if request.client else "unknown"
        return accounts.sign_in(central.run, body, address, central.clock(),
                                config.token_hours, central.login_limits)

    @app.post("/v1/auth/logout", status_code=204, responses=ERRORS, tags=["auth"])
    def logout(
        _who: Annotated[Principal, Depends(authenticated)],
        credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
    ) -> Response:
        assert credentials is not None
        central.run(lambda s: accounts.logout(s, credentials.credentials))
        return Response(status_code=204)

    @app.post("/v1/admin/users", response_model=schemas.UserOut, status_code=201,
              responses=ERRORS, tags=["admin"])
    def create_user(body: schemas.UserIn, who: Principal = admin) -> schemas.UserOut:
        central.run(lambda s: accounts.create_user(s, body, who))
        return schemas.UserOut(username=body.username, display_name=body.display_name,
                               role=body.role)

    @app.post("/v1/admin/enrolment-codes", response_model=schemas.EnrolmentCodeOut,
              status_code=201, responses=ERRORS, tags=["admin"])
    def enrolment_code(body: schemas.EnrolmentCodeIn,
                       who: Principal = admin) -> schemas.EnrolmentCodeOut:
        return central.run(lambda s: accounts.issue_enrolment_code(
            s, body, who, central.clock(), config.enrolment_code_hours))

    @app.get("/v1/admin/stations", response_model=list[schemas.StationOut], responses=ERRORS,
             tags=["admin"])
    def list_stations(_who: Principal = admin) -> list[schemas.StationOut]:
        """Every station: enrolled, disabled, last seen, its backlog and configuration."""
        return central.read(stations.list_stations)

    @app.post("/v1/admin/stations/{code}/disable", response_model=schemas.StationOut,
              responses=ERRORS, tags=["admin"])
    def disable_station(code: Annotated[str, STATION_CODE_PATH],
                        who: Principal = admin) -> schemas.StationOut:
        """Refuse the station's credential from now on (in every API process); its cases
        and credential are kept, and enabling it again restores it as it was."""
        return central.run(lambda s: stations.set_disabled(s, code, True, who, central.clock()))

    @app.post("/v1/admin/stations/{code}/enable", response_model=schemas.StationOut,
              responses=ERRORS, tags=["admin"])
    def enable_station(code: Annotated[str, STATION_CODE_PATH],
                       who: Principal = admin) -> schemas.StationOut:
        return central.run(lambda s: stations.set_disabled(s, code, False, who, central.clock()))

    @app.get("/v1/stations/me", response_model=schemas.StationOut, responses=ERRORS,
             tags=["stations"])
    def whoami(who: Principal = station_only) -> schemas.StationOut:
        """The station this credential belongs to (a station's connection test)."""
        return central.read(lambda s: stations.describe(s, who))

    @app.post("/v1/stations/heartbeat", status_code=204, responses=ERRORS, tags=["stations"])
    def heartbeat(body: schemas.StationHeartbeatIn, who: Principal = station_only) -> Response:
        """The station's backlog and configuration version, sent at each sync round."""
        central.run(lambda s: stations.record_heartbeat(s, who, body, central.clock()))
        return Response(status_code=204)

    @app.post("/v1/stations/sign-in", response_model=schemas.LoginOut, responses=ERRORS,
              tags=["stations"])
    def station_sign_in(body: schemas.LoginIn, request: Request,
                        _who: Principal = station_only) -> schemas.LoginOut:
        """An operator signs in at a station (the station's credential as Bearer token): as
        /v1/auth/login, and refused while the station is disabled."""
        address = request.client.host if request.client else "unknown"
        return accounts.sign_in(central.run, body, address, central.clock(),
                                config.token_hours, central.login_limits)

    @app.get("/v1/stations/operators", response_model=schemas.OperatorRoster,
             responses={304: {"description": "the roster is still the If-None-Match one"},
                        **ERRORS}, tags=["stations"])
    def operator_roster(
        _who: Principal = station_only,
        if_none_match: Annotated[str | None, Header(alias="If-None-Match",
                                                    max_length=200)] = None,
    ) -> Response:
        """Every operator account (active, locked) for the stations to mirror at each sync."""
        entries = central.read(lambda s: roster.roster(s, central.clock()))
        etag = roster.roster_etag(entries)
        if if_none_match == etag:
            return Response(status_code=304, headers={"ETag": etag})
        body = schemas.OperatorRoster(operators=entries).model_dump(mode="json")
        return JSONResponse(body, headers={"ETag": etag})

    @app.get("/v1/admin/users", response_model=list[schemas.OperatorEntry], responses=ERRORS,
             tags=["admin"])
    def list_users(_who: Principal = admin) -> list[schemas.OperatorEntry]:
        return central.read(lambda s: roster.roster(s, central.clock()))

    @app.post("/v1/admin/users/{username}/disable", response_model=schemas.OperatorEntry,
              responses=ERRORS, tags=["admin"])
    def disable_user(username: Annotated[str, USERNAME_PATH],
                     who: Principal = admin) -> schemas.OperatorEntry:
        """Sign-ins refused from now on (stations learn it at their next sync) and the
        user's tokens deleted."""
        return central.run(lambda s: roster.set_active(s, username, False, who, central.clock()))

    @app.post("/v1/admin/users/{username}/enable", response_model=schemas.OperatorEntry,
              responses=ERRORS, tags=["admin"])
    def enable_user(username: Annotated[str, USERNAME_PATH],
                    who: Principal = admin) -> schemas.OperatorEntry:
        return central.run(lambda s: roster.set_active(s, username, True, who, central.clock()))

    @app.patch("/v1/admin/users/{username}", response_model=schemas.OperatorEntry,
               responses=ERRORS, tags=["admin"])
    def update_user(username: Annotated[str, USERNAME_PATH], body: schemas.UserChangeIn,
                    who: Principal = admin) -> schemas.OperatorEntry:
        """Name or role (not one's own role; the last administrator stays one)."""
        return central.run(lambda s: roster.update_user(s, username, body, who,
                                                        central.clock()))

    @app.post("/v1/admin/users/{username}/password", response_model=schemas.OperatorEntry,
              responses=ERRORS, tags=["admin"])
    def reset_user_password(username: Annotated[str, USERNAME_PATH], body: schemas.PasswordIn,
                            who: Principal = admin) -> schemas.OperatorEntry:
        """A new password under the policy (422 weak_password says why); lifts a lockout and
        ends the account's other sessions."""
        return central.run(lambda s: roster.reset_password(s, username, body.password, who,
                                                           central.clock()))

    @app.post("/v1/admin/users/{username}/unlock", response_model=schemas.OperatorEntry,
              responses=ERRORS, tags=["admin"])
    def unlock_user(username: Annotated[str, USERNAME_PATH],
                    who: Principal = admin) -> schemas.OperatorEntry:
        """Lift a lockout after repeated wrong passwords (stations learn it at their next
        sync)."""
        return central.run(lambda s: roster.unlock(s, username, who, central.clock()))

    @app.get("/v1/stations/config", response_model=schemas.PublishedConfigOut | None,
             responses={304: {"description": "the newest version is the If-None-Match one"},
                        **ERRORS}, tags=["stations"])
    def station_config(
        _who: Principal = station_only,
        if_none_match: Annotated[str | None, Header(alias="If-None-Match",
                                                    max_length=200)] = None,
    ) -> Response:
        """The newest published configuration (null before the first is published)."""
        row = central.read(published.latest)
        if row is None:
            return JSONResponse(None)
        etag = published.entity_tag(row)
        if if_none_match == etag:
            return Response(status_code=304, headers={"ETag": etag})
        return JSONResponse(published.describe(row, with_files=True), headers={"ETag": etag})

    @app.post("/v1/stations/enrol", response_model=schemas.EnrolOut, status_code=201,
              responses=ERRORS, tags=["stations"])
    def enrol(body: schemas.EnrolIn) -> schemas.EnrolOut:
        try:
            return central.run(lambda s: accounts.enrol(s, body, central.clock()))
        except ApiError:
            central.run(lambda s: audit.audit(s, None, "station.enrol_refused",
                                                station=body.station_code[:32]))
            raise

    # --- station sync -----------------------------------------------------------------

    @app.get("/v1/parts/{sha256}", response_model=schemas.PartStatus, responses=ERRORS,
             tags=["sync"])
    def part_status(sha256: Annotated[str, SHA_PATH],
                    who: Principal = station_only) -> schemas.PartStatus:
        """What this station has uploaded of the part (nothing is said of other stations')."""
        return central.run(lambda s: parts.part_status(s, who, sha256))

    @app.put("/v1/parts/{sha256}", response_model=schemas.PartStatus, responses={
        201: {"model": schemas.PartStatus, "description": "stored (whole part or last chunk)"},
        202: {"model": schemas.PartStatus, "description": "chunk stored; resume at offset"},
        **ERRORS},
             tags=["sync"], openapi_extra={"requestBody": {"required": True, "content": {
                 "application/octet-stream": {"schema": {"type": "string",
                                                         "format": "binary"}}}}})
    async def upload_part(
        request: Request, sha256: Annotated[str, SHA_PATH], response: Response,
        upload_offset: Annotated[int | None, Header(alias="Upload-Offset", ge=0)] = None,
        upload_length: Annotated[int | None, Header(alias="Upload-Length", ge=1)] = None,
        who: Principal = station_only,
    ) -> Any:
        """Whole part in one PUT, or resumable chunks with Upload-Offset/Upload-Length."""
        from starlette.concurrency import run_in_threadpool

        body = await request.body()
        if upload_offset is None and upload_length is None:
            if len(body) > config.max_part_bytes:
                raise ApiError(413, "too_large", both(
                    "CentralApi", "The request body is too large."))

            created = await run_in_threadpool(central.run_core, lambda s: parts.store_blob(
                s, who, sha256, body, central.clock(), central.sealer))
            return JSONResponse({"sha256": sha256, "complete": True, "offset": len(body),
                                 "size": len(body)}, status_code=201 if created else 200)
        if upload_offset is None or upload_length is None:
            raise ApiError(422, "upload_headers", both(
                "CentralApi", "Chunked uploads need both Upload-Offset and Upload-Length."))
        if upload_length > config.max_part_bytes or len(body) > config.chunk_bytes:
            raise ApiError(413, "too_large", both("CentralApi", "The request body is too large."))
        status = await run_in_threadpool(central.run, lambda s: parts.append_chunk(
            s, who, sha256, upload_offset, upload_length, body, central.clock(), central.sealer,
            timedelta(hours=config.upload_expiry_hours)))
        if isinstance(status, parts.UploadRestart):
            raise status.error  # after the reset's commit: the station restarts at 0
        response.status_code = 201 if status.complete else 202
        return status

    @app.post("/v1/cases", response_model=schemas.Receipt, status_code=201, responses={
        200: {"model": schemas.Receipt, "description": "a repeated delivery: the first receipt"},
        **ERRORS},
              tags=["sync"])
    def ingest(body: schemas.CaseIn,
               idempotency_key: Annotated[str, KEY_HEADER],
               who: Principal = station_only) -> Any:
        """Deliver a case. Repeating a delivery returns the first receipt and changes nothing.
        Upload the parts first: a case naming a missing part gets 409 parts_missing."""
        now = central.clock()
        with central.queue_changing():
            receipt, replayed = central.run_core(lambda s: case_ingest.ingest_case(
                s, who, idempotency_key, body, now, central.calendar, central.sealer))
        if replayed:
            return JSONResponse(receipt, status_code=200,
                                headers={"Idempotent-Replayed": "true"})
        return JSONResponse(receipt, status_code=201)

    @app.post("/v1/cases/batch", response_model=schemas.BatchOut, responses=ERRORS,
              tags=["sync"])
    def ingest_batch(body: schemas.CaseBatchIn, who: Principal = station_only) -> Any:
        """Deliver several cases (a station's backlog) with their parts inline, in one
        request and one transaction. Each case is answered on its own, as ``POST /v1/cases``
        would: 201 stored, 200 a repeated delivery with the first receipt, 409/422 refused
        (parts missing or corrupt, key used for another case) without holding up the rest.
        Parts already on the server (or too large to send inline) may be left out."""
        parts: dict[str, bytes] = {}
        for part in body.parts:
            if len(part.data) > config.max_part_bytes:
                raise ApiError(413, "too_large", both(
                    "CentralApi", "The request body is too large."))
            parts[part.sha256] = part.data
        now = central.clock()
        valid = [(item.idempotency_key, item.case) for item in body.cases
                 if isinstance(item.case, schemas.CaseIn)]
        with central.queue_changing():
            stored = central.run_core(lambda s: case_ingest.ingest_cases(
                s, who, valid, parts, now, central.calendar, central.sealer)) if valid else []
        outcomes = {outcome.idempotency_key: outcome for outcome in stored}
        for item in body.cases:
            if isinstance(item.case, schemas.RefusedCase):
                outcomes[item.idempotency_key] = case_ingest.IngestOutcome(
                    item.idempotency_key, error=ApiError(422, "invalid_request", both(
                        "CentralApi", "The request is not valid; see the listed problems."),
                        problems=item.case.problems))
        return JSONResponse({"results": [
            {"idempotency_key": outcome.idempotency_key, "status": outcome.status,
             "receipt": outcome.receipt,
             "error": outcome.error.body()["error"] if outcome.error else None}
            for outcome in (outcomes[item.idempotency_key] for item in body.cases)]})

    @app.get("/v1/feed", response_model=schemas.FeedPage, responses=ERRORS, tags=["sync"])
    def feed(cursor: Annotated[int, Query(ge=0)] = 0,
             limit: Annotated[int, Query(ge=1, le=500)] = 100,
             who: Principal = station_only) -> schemas.FeedPage:
        """Decisions for this station's cases after ``cursor`` (a server-side sequence)."""
        return central.run(lambda s: decisions_feed.read_feed(s, who, cursor, limit))

    @app.post("/v1/phone-verifications", response_model=schemas.PhoneVerificationOut,
              status_code=201, responses=ERRORS, tags=["sync"])
    def phone_verification(body: schemas.PhoneVerificationIn,
                           who: Principal = station_only) -> schemas.PhoneVerificationOut:
        """Send an SMS code to an applicant's mobile number (the code never leaves the server
        except in the SMS)."""
        return central.run(lambda s: phone.start_phone_verification(
            s, who, body, central.clock(), central.sealer, central.sms_limits))

    @app.post("/v1/phone-verifications/{verification_id}/check",
              response_model=schemas.PhoneCodeOut, responses=ERRORS, tags=["sync"])
    def phone_code(verification_id: Annotated[str, ID_PATH], body: schemas.PhoneCodeIn,
                   who: Principal = station_only) -> schemas.PhoneCodeOut:
        return central.run(lambda s: phone.check_phone_code(s, who, verification_id, body,
                                                              central.clock()))

    @app.post("/v1/persons/lookup", response_model=schemas.PersonLookupOut,
              responses=ERRORS, tags=["sync"])
    def person_lookup(body: schemas.PersonLookupIn,
                      _who: Principal = station_only) -> schemas.PersonLookupOut:
        """Before a clerk submits: does this person have an open or recent case? (The number
        is hashed with the service's lookup key and never stored.)"""
        digest = central.sealer.lookup_digest(body.id_number)
        found = central.read(lambda s: persons.other_cases(s, digest, central.clock()))
        return schemas.PersonLookupOut(
            open_cases=sum(1 for c in found if c["review_state"] in persons.OPEN_STATES),
            cases=found)

    @app.post("/v1/stations/audit-anchor", response_model=schemas.AuditAnchorOut,
              responses=ERRORS, tags=["sync"])
    def audit_anchor(body: schemas.AuditAnchorIn,
                     who: Principal = station_only) -> schemas.AuditAnchorOut:
        """Anchor a new head of the station's audit chain (sent at each sync) with the entries
        since the last anchored one; 409 when it does not extend that anchor."""
        try:
            return central.run(lambda s: audit.record_audit_anchor(s, who, body,
                                                                   central.clock()))
        except ApiError as refused:
            details = refused.extra  # kept in a transaction of its own: the refusal's rolled back
            central.run(lambda s: audit.audit(s, who, "audit.anchor_refused", seq=body.seq,
                                              **details))
            raise

    @app.get("/v1/stations/audit-anchor", response_model=schemas.AuditAnchorOut | None,
             responses=ERRORS, tags=["sync"])
    def latest_anchor(who: Principal = station_only) -> schemas.AuditAnchorOut | None:
        """The station's newest anchored audit hash (None before the first sync)."""
        return central.run(lambda s: audit.latest_audit_anchor(s, who))

    # --- review -----------------------------------------------------------------------

    def queue_filter(
        kind: Annotated[schemas.CaseKindName | None, Query()] = None,
        reason: Annotated[str | None, Query(max_length=48)] = None,
        station: Annotated[str | None, Query(max_length=32)] = None,
        clerk: Annotated[str | None, Query(max_length=64)] = None,
        state: Annotated[schemas.StateName | None, Query()] = None,
        min_age_minutes: Annotated[float | None, Query(ge=0, le=1e6)] = None,
        max_age_minutes: Annotated[float | None, Query(ge=0, le=1e6)] = None,
        due_before: Annotated[datetime | None, Query()] = None,
        overdue: Annotated[bool | None, Query()] = None,
    ) -> QueueFilter:
        return QueueFilter(kind, reason, station, clerk, state, min_age_minutes,
                                   max_age_minutes, due_before, overdue)

    QueueFilterDep = Annotated[QueueFilter, Depends(queue_filter)]
    SortName = Literal["due_at", "-due_at", "received_at", "-received_at", "kind", "-kind",
                       "station", "-station", "clerk", "-clerk", "number", "-number"]

    @app.get("/v1/review/queue", response_model=schemas.QueuePage, responses=ERRORS,
             tags=["review"])
    def review_queue(flt: QueueFilterDep, sort: SortName = "due_at",
                     offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
                     limit: Annotated[int, Query(ge=1, le=200)] = 50,
                     _who: Principal = viewer) -> schemas.QueuePage:
        return central.read(lambda s: queue.list_queue(s, central.counts, flt, sort, offset, limit,
                                                         central.clock()))

    @app.get("/v1/review/counts", response_model=dict[str, int], responses=ERRORS,
             tags=["review"])
    def review_counts(flt: QueueFilterDep, _who: Principal = viewer) -> dict[str, int]:
        return central.read(lambda s: central.counts.queue_counts(s, flt, central.clock()))

    @app.post("/v1/review/claim-next", response_model=schemas.Lease | None, responses=ERRORS,
              tags=["review"])
    def claim_next(flt: QueueFilterDep, who: Principal = reviewer) -> schemas.Lease | None:
        """The most urgent free case matching the filters, or null when none is free."""
        return central.run(lambda s: leases.claim_next(s, who, flt, central.clock(),
                                                        config.lease_seconds))

    @app.post("/v1/review/cases/{case_id}/claim", response_model=schemas.Lease,
              responses=ERRORS, tags=["review"])
    def claim(case_id: Annotated[str, ID_PATH], who: Principal = reviewer) -> schemas.Lease:
        return central.run(lambda s: leases.claim(s, who, case_id, central.clock(),
                                                   config.lease_seconds))

    @app.post("/v1/review/cases/{case_id}/renew", response_model=schemas.Lease,
              responses=ERRORS, tags=["review"])
    def renew(case_id: Annotated[str, ID_PATH], body: schemas.LeaseIn,
              who: Principal = reviewer) -> schemas.Lease:
        return central.run(lambda s: leases.renew(s, who, case_id, body.lease_token,
                                                   central.clock(), config.lease_seconds))

    @app.post("/v1/review/cases/{case_id}/release", status_code=204, responses=ERRORS,
              tags=["review"])
    def release(case_id: Annotated[str, ID_PATH], body: schemas.LeaseIn,
                who: Principal = reviewer) -> Response:
        central.run(lambda s: leases.release(s, who, case_id, body.lease_token))
        return Response(status_code=204)

    @app.post("/v1/review/cases/{case_id}/decision", response_model=schemas.DecisionOut,
              status_code=201, responses=ERRORS, tags=["review"])
    def decide(case_id: Annotated[str, ID_PATH], body: schemas.DecideIn,
               who: Principal = reviewer) -> schemas.DecisionOut:
        """Approve, reject (reason code required) or return for more information (note
        required). Only a supervisor holding the case's lease may decide."""
        with central.queue_changing():
            out = central.run(lambda s: decisions.decide(s, who, case_id, body,
                                                         central.clock(), central.sealer))
        if handovers is not None and out.decision == "approved":
            handovers.wake()  # hand it over now rather than at the next round
        return out

    @app.get("/v1/vocabulary", response_model=schemas.Vocabulary, tags=["vocabulary"])
    def vocabulary_terms() -> schemas.Vocabulary:
        """The codes people see named, with their Chinese and English labels: routing flags
        (why a case is in the review queue; with an explanation), decision reasons (why a
        case was rejected or returned) and part kinds (what a case's parts are)."""
        return vocabulary.vocabulary(published.flags_of(central.read(published.latest)))

    @app.get("/v1/review/reason-codes", response_model=list[schemas.ReasonCode],
             tags=["review"])
    def reason_codes() -> list[schemas.ReasonCode]:
        """The decision reasons alone (``GET /v1/vocabulary`` has them with the rest)."""
        return [schemas.ReasonCode(code=term.code, zh=term.label.zh, en=term.label.en)
                for term in vocabulary.decision_reasons()]

    @app.get("/v1/review/stats", response_model=schemas.Stats, responses=ERRORS,
             tags=["review"])
    def review_stats(days: Annotated[int, Query(ge=1, le=3660)] = 30,
                     since: Annotated[datetime | None, Query()] = None,
                     _who: Principal = viewer) -> schemas.Stats:
        """Figures since ``since`` (e.g. today 00:00 Beijing) or over the last ``days``."""
        now = central.clock()
        start = since if since is not None and since.tzinfo is not None else \
            (since.replace(tzinfo=now.tzinfo) if since is not None else now - timedelta(days=days))
        return central.run(lambda s: stats.stats(s, start, now))

    @app.get("/v1/events", response_model=list[dict[str, Any]], responses=ERRORS,
             tags=["events"])
    def events_after(after: Annotated[int, Query(ge=0)] = 0,
                     limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                     topic: Annotated[Literal["case.received", "case.decided"] | None,
                                      Query()] = None,
                     _who: Principal = admin) -> list[dict[str, Any]]:
        """The event stream from a position (``seq`` > ``after``), in commit order: for a
        consumer's replay or catch-up. Schema: docs/events.schema.json."""
        return central.read(lambda s: event_outbox.read_events(s, after, limit, topic))

    @app.get("/v1/cases/{case_id}", response_model=schemas.CaseDetail, responses=ERRORS,
             tags=["review"])
    def case_detail(case_id: Annotated[str, ID_PATH],
                    _who: Principal = viewer) -> schemas.CaseDetail:
        return central.run(lambda s: cases.case_detail(s, case_id, central.clock(),
                                                         central.sealer))

    @app.get("/v1/cases/{case_id}/photo-on-file", response_model=schemas.PhotoOnFileOut,
             responses=ERRORS, tags=["review"])
    def photo_on_file(case_id: Annotated[str, ID_PATH],
                      who: Principal = viewer) -> schemas.PhotoOnFileOut:
        """The applicant's photo in the traffic-management system, asked for now (by the
        case's identity number) and not kept; ``state`` says why there is none. Each look-up
        is in the case's audit trail."""
        number = central.read(lambda s: upstream_photo.case_id_number(s, case_id,
                                                                      central.sealer))
        found = upstream_photo.look_up(central.upstream, number)
        central.run(lambda s: audit.audit(s, who, "upstream.photo_on_file", case_id,
                                          state=found.state))
        return found

    @app.get("/v1/cases/{case_id}/parts/{sha256}", responses={
        200: {"content": {"application/octet-stream": {}}}, **ERRORS}, tags=["review"])
    def download_part(case_id: Annotated[str, ID_PATH], sha256: Annotated[str, SHA_PATH],
                      _who: Principal = viewer) -> Response:
        data, media_type = central.run(lambda s: cases.part_of_case(s, case_id, sha256,
                                                                          central.sealer))
        # only an allowed type is served as itself (older rows may hold anything), never
        # sniffed by the browser, and as a download rather than a page
        served = media_type if media_type in schemas.PART_MEDIA_TYPES \
            else "application/octet-stream"
        return Response(content=data, media_type=served, headers={
            "ETag": f'"{sha256}"', "Cache-Control": "private", "X-Content-Type-Options": "nosniff",
            "Content-Disposition": f'attachment; filename="{sha256}{EXTENSIONS.get(served, "")}"'})

    return app


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def api_error(_request: Request, exc: ApiError) -> JSONResponse:
        retry = exc.extra.get("retry_after_s")
        return JSONResponse(exc.body(), status_code=exc.status,
                            headers={"Retry-After": str(retry)} if retry is not None else None)

    @app.exception_handler(RequestValidationError)
    async def invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = [{"loc": [str(p) for p in err.get("loc", ())], "msg": err.get("msg", ""),
                     "type": err.get("type", "")} for err in exc.errors()]
        error = ApiError(422, "invalid_request", both(
            "CentralApi", "The request is not valid; see the listed problems."),
            problems=problems)
        return JSONResponse(error.body(), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        messages = {
            400: both("CentralApi", "The request body could not be read (malformed JSON?)."),
            404: both("CentralApi", "Not found."),
            405: both("CentralApi", "This method is not allowed here."),
        }
        message = messages.get(exc.status_code, both("CentralApi", "The request was refused."))
        return JSONResponse(ApiError(exc.status_code, f"http_{exc.status_code}", message).body(),
                            status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(DataError)
    async def bad_value(_request: Request, exc: DataError) -> JSONResponse:
        # e.g. a NUL character, which PostgreSQL text cannot hold
        error = ApiError(422, "invalid_value", both(
            "CentralApi", "A value in the request cannot be stored."))
        return JSONResponse(error.body(), status_code=422)

    @app.exception_handler(CryptoError)
    async def unreadable(_request: Request, exc: CryptoError) -> JSONResponse:
        log.error("sealed data could not be opened: %s", exc)
        error = ApiError(500, "data_unreadable", both(
            "CentralApi", "Stored data could not be decrypted (wrong data key or altered "
            "data); tell the administrator."))
        return JSONResponse(error.body(), status_code=500)

    @app.exception_handler(OperationalError)
    async def database_down(_request: Request, exc: OperationalError) -> JSONResponse:
        log.warning("database unavailable: %s", str(exc).splitlines()[0][:200])
        error = ApiError(503, "database_unavailable", both(
            "CentralApi", "The database is unavailable; try again shortly."))
        return JSONResponse(error.body(), status_code=503, headers={"Retry-After": "2"})


def app_from_env() -> FastAPI:
    """Factory for uvicorn worker processes (``--workers N``)."""
    import os

    from central.logs import configure

    configure(os.environ.get("CENTRAL_LOG_LEVEL", "INFO"))
    return create_app(CentralConfig.from_env())
