"""The sync worker: its own thread, delivers the outbox and pulls decisions.

Survives the server or the network going away at any point: every outcome is written to the
local database before the next step (delivered, retry-at, dead), the server deduplicates by
idempotency key, so a delivery cut off after the server stored it is simply repeated and
replayed. The feed cursor is the server's sequence number, so station clock skew does not
matter.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any

from station import audit, published
from station.db.database import Database
from station.db.models import Case, OutboxItem
from station.enrolment import record_link
from station.events import (
    CaseChanged,
    ConfigChanged,
    DeviceState,
    DeviceStatus,
    EventBus,
    OperatorsRevoked,
    SyncStatusChanged,
)
from station.i18n import tr
from station.signin import apply_roster, roster_version, set_roster_version
from station.sync import decisions, outbox
from station.sync.client import (
    CentralClient,
    CentralError,
    CentralUnavailable,
    CredentialRefused,
)
from station.sync.payload import CasePayload, PayloadError, build_case_payload
from station.wire import BatchOutcome, Receipt

log = logging.getLogger(__name__)
PERMANENT_CODES_RETRYABLE = {"parts_missing"}  # 409s that a new attempt can fix
INLINE_PART_BYTES = 2_000_000  # larger parts use the resumable upload, not the batch
MAX_BATCH_CASES = 20  # the server takes up to 50
HEARTBEAT_EVERY_S = 60.0  # the backlog is reported when it changes, else this often
BATCH_BYTES = 6_000_000  # inline bytes per request (base64 adds a third)


@dataclass(frozen=True)
class SyncSnapshot:
    pending: int
    failed: int
    online: bool
    detail: str
    link: str = ""


class SyncWorker:
    def __init__(self, database: Database, client: CentralClient, bus: EventBus,
                 interval_s: float = 5.0, office: str = "",
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC),
                 rng: random.Random | None = None, backoff_base_s: float = 2.0,
                 backoff_cap_s: float = 300.0, batching: bool = True,
                 batch_bytes: int = BATCH_BYTES,
                 inline_part_bytes: int = INLINE_PART_BYTES,
                 station_code: str | None = None,
                 on_refused: Callable[[CredentialRefused], None] | None = None) -> None:
        """``station_code``: record each round's outcome in the station's row (last sync,
        credential state). ``on_refused``: called on the worker thread when the service
        refuses the credential (e.g. to pick up a credential enrolled meanwhile)."""
        self.database = database
        self.client = client
        self.bus = bus
        self.interval_s = interval_s
        self.office = office
        self.clock = clock
        self.rng = rng or random.Random()
        self.backoff_base_s = backoff_base_s
        self.backoff_cap_s = backoff_cap_s
        self.batching = batching  # off by itself against a server without batch ingest
        self.batch_bytes = batch_bytes
        self.inline_part_bytes = inline_part_bytes
        self.station_code = station_code
        self.on_refused = on_refused
        self.refused: CredentialRefused | None = None  # the last round's refusal
        self.heartbeats = True  # off by itself against a service without them
        # mirror the central operators at each round (a real service; not the demo's, whose
        # accounts are the station's own)
        self.roster = False
        # fetch the published configuration at each round (station.published)
        self.configuration = True
        self._config_etag: str | None = None
        self.config_version: Callable[[], int | None] = lambda: published.active().version
        self._last_heartbeat: tuple[tuple[int, int, int | None] | None, datetime] = (
            None, datetime.min.replace(tzinfo=UTC))
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._anchor_lock = threading.Lock()  # the loop and an explicit call must not race
        self._thread: threading.Thread | None = None
        self._offline_failures = 0
        self._last_published: SyncSnapshot | None = None
        self.online = False
        self.rounds = 0

    # --- lifecycle ---------------------------------------------------------------------

    def start(self) -> None:
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._run, name="sync-worker", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=timeout)
        self._thread = None

    def wake(self) -> None:
        """Deliver now (e.g. right after a case was committed)."""
        self._wake.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except Exception:  # a bug must not kill syncing for good; log and keep going
                log.exception("sync round failed")
                self.online = False
                self._offline_failures += 1
            self._wake.wait(self._sleep_seconds())
            self._wake.clear()

    def _sleep_seconds(self) -> float:
        if not self.online:
            return outbox.backoff_seconds(self._offline_failures, base=self.backoff_base_s / 2,
                                          cap=min(self.backoff_cap_s, 30.0), rng=self.rng)
        with self.database.session() as session:
            due = outbox.next_due_at(session)
        if due is None:
            return self.interval_s
        return max(0.05, min(self.interval_s, (due - self.clock()).total_seconds()))

    # --- one round ---------------------------------------------------------------------

    def run_once(self) -> None:
        """Deliver what is due, pull decisions, publish the status."""
        try:
            self.deliver_due()
            self.pull_decisions()
            self.anchor_audit()
            self.pull_operators()
            self.pull_config()
            self.send_heartbeat()
        except CentralUnavailable as exc:
            self.online = False
            self._offline_failures += 1
            self.publish_status(str(exc.message))
            return
        except CredentialRefused as exc:
            self._credential_refused(exc)
            return
        self.online = True
        self.refused = None
        self._offline_failures = 0
        self.rounds += 1
        self._record_link("active", self.clock())
        self.publish_status()

    def _credential_refused(self, exc: CredentialRefused) -> None:
        """Disabled or no longer known: every case stays queued (nothing about them was
        judged) and the station says why until an administrator acts."""
        self.online = False
        first = self.refused is None or self.refused.code != exc.code
        self.refused = exc
        self._offline_failures += 1
        link = "disabled" if exc.code == "station_disabled" else "refused"
        self._record_link(link)
        if link == "disabled":
            detail = tr("Sync", "The central service has disabled this station; cases are kept "
                        "locally until its administrator enables it again.")
        else:
            detail = tr("Sync", "The central service no longer accepts this station's "
                        "credential; enrol the station again (settings page).")
        if first:  # once per change, not at every retry
            log.error("central refused the station credential: %s", exc)
        self.publish_status(detail, link=link)
        if self.on_refused is not None:
            self.on_refused(exc)

    def _record_link(self, state: str, synced_at: datetime | None = None) -> None:
        if self.station_code is None:
            return
        code = self.station_code
        self.database.write(lambda s: record_link(s, code, state, synced_at))

    def deliver_due(self, limit: int = 20) -> int:
        delivered = 0
        while not self._stop.is_set():
            with self.database.session() as session:
                ids = outbox.due_item_ids(session, self.clock(), limit)
            if not ids:
                return delivered
            if self.batching:
                delivered += self.deliver_batch(ids)
                continue
            for item_id in ids:
                if self._stop.is_set():
                    return delivered
                delivered += self.deliver_item(item_id)
        return delivered

    def deliver_batch(self, item_ids: list[str]) -> int:
        """Deliver several due cases in as few requests as fit, their parts inline.

        Outcomes are recorded per case in one local transaction; a batch the server refuses
        as a whole (or a server without the batch endpoint) falls back to one case at a
        time, so every case still gets its own answer."""
        payloads: list[tuple[str, CasePayload]] = []
        unsendable: list[tuple[str, str]] = []
        with self.database.session() as session:
            for item_id in item_ids:
                item = session.get(OutboxItem, item_id)
                case = session.get(Case, item.case_id) if item is not None else None
                if case is not None:
                    try:
                        payloads.append((item_id, build_case_payload(session, case, self.office)))
                    except PayloadError as exc:
                        unsendable.append((item_id, str(exc)))
                elif item is not None:
                    unsendable.append((item_id, "the case is gone"))
        if unsendable:
            self._bury(unsendable)
        delivered = 0
        for group in pack_batches(payloads, self.batch_bytes, self.inline_part_bytes):
            if self._stop.is_set():
                break
            delivered += self._deliver_group(group)
        return delivered

    def _deliver_group(self, group: list[tuple[str, CasePayload]]) -> int:
        limit = self.inline_part_bytes
        inline = {part.sha256: part.data for _item_id, payload in group
                  for part in payload.parts if len(part.data) <= limit}
        large = {part.sha256: part.data for _item_id, payload in group
                 for part in payload.parts if len(part.data) > limit}
        try:
            for sha, data in large.items():  # large scans go first, resumably
                self.client.upload_part(sha, data)
            results = self.client.ingest_batch(
                [(payload.idempotency_key, payload.body) for _item_id, payload in group], inline)
        except CentralUnavailable as exc:
            now, error = self.clock(), str(exc)
            def retry_later(session: Any) -> None:
                for item_id, _payload in group:
                    outbox.mark_retry(session, item_id, error, now, self.rng,
                                      self.backoff_base_s, self.backoff_cap_s)

            self.database.write(retry_later)
            raise
        except CredentialRefused:
            raise
        except CentralError as exc:
            if exc.status in (404, 405):
                log.warning("the central service has no batch ingest; delivering one by one")
                self.batching = False
            else:
                log.warning("central refused a batch (%s); delivering one by one", exc)
            return sum(self.deliver_item(item_id) for item_id, _payload in group)
        by_key = {result.idempotency_key: result for result in results}
        outcomes = [(item_id, payload.idempotency_key, by_key.get(payload.idempotency_key))
                    for item_id, payload in group]
        now = self.clock()
        synced = self.database.write(lambda s: [
            self._settle(s, item_id, key, result, now) for item_id, key, result in outcomes])
        for case_id in synced:
            if case_id:
                self.bus.publish(CaseChanged(case_id=case_id, state="synced"))
        return sum(1 for case_id in synced if case_id)

    def _settle(self, session: Any, item_id: str, key: str, result: BatchOutcome | None,
                now: datetime) -> str | None:
        """Record one case's answer from a batch; returns the case id when it synced."""
        if result is None:  # the server did not answer for it: try again later
            outbox.mark_retry(session, item_id, "no answer in the batch", now, self.rng,
                              self.backoff_base_s, self.backoff_cap_s)
            return None
        receipt = result.settled_receipt()
        if receipt is not None:
            if result.receipt is None:
                log.warning("case %s changed after its first delivery; the first stands", key)
            return _record_delivery(session, item_id, receipt, now)
        error = result.error or {}
        text = f"{result.status} {error.get('code')}: {error.get('message_en', '')}"
        if error.get("code") in PERMANENT_CODES_RETRYABLE:
            outbox.mark_retry(session, item_id, text, now, self.rng, self.backoff_base_s,
                              self.backoff_cap_s)
        else:
            outbox.mark_dead(session, item_id, text)
            log.error("central refused case delivery %s: %s", key, text)
        return None

    def deliver_item(self, item_id: str) -> int:
        with self.database.session() as session:
            item = session.get(OutboxItem, item_id)
            if item is None:
                return 0
            case = session.get(Case, item.case_id)
            if case is None:
                return 0
            try:
                payload = build_case_payload(session, case, self.office)
                refusal = None
            except PayloadError as exc:
                refusal = str(exc)
        if refusal is not None:  # buried after the read session ended (SQLite locks)
            self._bury([(item_id, refusal)])
            return 0
        key = payload.idempotency_key
        try:
            result = BatchOutcome(idempotency_key=key, status=200, receipt=self._send(payload))
        except CentralUnavailable as exc:
            self._retry_later(item_id, str(exc))
            raise
        except CredentialRefused:
            raise
        except CentralError as exc:  # answered like a refusal inside a batch
            result = BatchOutcome(idempotency_key=key, status=exc.status, error={
                **exc.body, "code": exc.code, "message_en": exc.message_en})
        now = self.clock()
        case_id = self.database.write(
            lambda s: self._settle(s, item_id, key, result, now))
        if case_id:
            self.bus.publish(CaseChanged(case_id=case_id, state="synced"))
        return int(result.settled_receipt() is not None)

    def _bury(self, unsendable: list[tuple[str, str]]) -> None:
        """(item id, why) of cases that can never be sent: dead, never due again."""
        def bury(session: Any) -> None:
            for item_id, why in unsendable:
                outbox.mark_dead(session, item_id, why)

        self.database.write(bury)
        for item_id, why in unsendable:
            log.error("outbox item %s cannot be delivered: %s", item_id, why)

    def _retry_later(self, item_id: str, error: str) -> None:
        now = self.clock()
        self.database.write(lambda s: outbox.mark_retry(
            s, item_id, error, now, self.rng, self.backoff_base_s, self.backoff_cap_s))

    def _send(self, payload: CasePayload) -> Receipt:
        for part in payload.parts:
            self.client.upload_part(part.sha256, part.data)
        try:
            return self.client.ingest_case(payload.body, payload.idempotency_key)
        except CentralError as exc:
            if exc.code != "parts_missing":
                raise
            wanted = {part.sha256: part for part in payload.parts}
            for sha in exc.body.get("missing", []):  # e.g. the server lost an upload
                if sha in wanted:
                    self.client.upload_part(sha, wanted[sha].data)
            return self.client.ingest_case(payload.body, payload.idempotency_key)

    def pull_decisions(self) -> int:
        with self.database.session() as session:
            cursor = decisions.read_cursor(session)
        applied = 0
        while not self._stop.is_set():
            page = self.client.feed(cursor)
            entries, new_cursor = page["entries"], int(page["cursor"])
            if new_cursor == cursor and not entries:
                break
            changed: list[str] = self.database.write(
                partial(decisions.apply_feed_page, entries=entries, cursor=new_cursor))
            for case_id in changed:
                self.bus.publish(CaseChanged(case_id=case_id, state="decided"))
            applied += len(changed)
            cursor = new_cursor
            if not page.get("more"):
                break
        return applied

    def anchor_audit(self) -> bool:
        """Anchor the newest audit entries at the central service, with the entries since its
        last anchor as the proof that the chain continues it (in steps of
        audit.MAX_PROOF_ENTRIES). Returns whether anything was anchored.

        A refusal (409), or a local chain that no longer holds the central service's anchor,
        means the chain was altered: logged as an error for the administrator; it never
        stops the delivery of cases."""
        with self._anchor_lock:
            with self.database.session() as session:
                if audit.newest_unanchored(session) is None:
                    return False
            anchored = self.client.latest_audit_anchor()
            base_seq = int(anchored["seq"]) if anchored else 0
            sent = False
            while True:
                with self.database.session() as session:
                    altered = audit.anchor_problems(session, base_seq, anchored["hash"]) \
                        if anchored else []
                    proof = [] if altered else audit.continuity_proof(session, base_seq)
                if altered:
                    log.error("the audit log no longer holds entry %d anchored at the central "
                              "service (%s)", base_seq, altered[0].problem)
                    return sent
                if not proof:
                    return sent
                seq, digest = int(proof[-1]["seq"]), str(proof[-1]["hash"])
                try:
                    self.client.anchor_audit(seq, digest, proof)
                except (CentralUnavailable, CredentialRefused):
                    raise
                except CentralError as exc:
                    log.error("audit anchor %d refused: %s (%s)", seq, exc.message_en,
                              exc.body.get("reason", ""))
                    return sent
                self.database.write(partial(audit.acknowledged, seq=seq, hash_hex=digest,
                                            at=self.clock()))
                sent = True
                anchored, base_seq = {"seq": seq, "hash": digest}, seq
                if len(proof) < audit.MAX_PROOF_ENTRIES:
                    return sent

    def pull_config(self) -> int | None:
        """Fetch the newest published configuration when it changed; validated and put in
        force (ConfigChanged), or refused with the last good version kept. Returns the
        version now in force, None when nothing changed."""
        config_store = published.store()
        if not self.configuration or config_store is None:
            return None
        try:
            answer = self.client.published_config(self._config_etag)
        except (CentralUnavailable, CredentialRefused):
            raise
        except CentralError as exc:
            if exc.status in (404, 405):  # an older service publishes nothing
                self.configuration = False
            else:
                log.warning("the central service refused the configuration: %s", exc)
            return None
        if answer is None:
            return None
        etag, body = answer
        current = config_store.current()
        version = int(body.get("version") or 0)
        if version <= current.version:  # nothing newer (or a version this station is past)
            self._config_etag = etag
            return None
        refused = config_store.rejected()
        if refused is not None and refused.get("version") == version:  # already judged
            self._config_etag = etag
            return None
        sent = body.get("files")
        files: dict[str, str] = dict(sent) if isinstance(sent, dict) else {}
        try:
            installed = config_store.install(version, files, str(body.get("sha256", "")))
        except published.ConfigInvalid as exc:
            self._config_etag = etag  # not again every round: the next version may be good
            log.error("published configuration %d refused, version %d stays: %s", version,
                      current.version, "; ".join(exc.problems)[:2000])
            self.bus.publish(ConfigChanged(version=current.version, rejected=version))
            return None
        self._config_etag = etag
        log.info("published configuration %d in force", installed.version)
        self.bus.publish(ConfigChanged(version=installed.version))
        return installed.version

    def pull_operators(self) -> list[str]:
        """Mirror the central service's operators (when its roster changed); returns the
        user names disabled since, after announcing them (OperatorsRevoked)."""
        if not self.roster:
            return []
        with self.database.session() as session:
            etag = roster_version(session)
        try:
            answer = self.client.operator_roster(etag)
        except (CentralUnavailable, CredentialRefused):
            raise
        except CentralError as exc:
            if exc.status in (404, 405):  # an older service without a roster
                self.roster = False
            else:
                log.warning("the central service refused the operator roster: %s", exc)
            return []
        if answer is None:
            return []
        new_etag, entries = answer

        def apply(session: Any) -> list[str]:
            revoked = apply_roster(session, entries)
            set_roster_version(session, new_etag)
            return revoked

        revoked = self.database.write(apply)
        if revoked:
            self.bus.publish(OperatorsRevoked(usernames=tuple(revoked)))
        return revoked

    def send_heartbeat(self, force: bool = False) -> bool:
        """Report the backlog to the service when it changed, else once a minute."""
        if not self.heartbeats:
            return False
        with self.database.session() as session:
            counts = outbox.counts(session)
        report = (counts["pending"], counts["dead"], self.config_version())
        now = self.clock()
        if not force and report == self._last_heartbeat[0] and \
                (now - self._last_heartbeat[1]).total_seconds() < HEARTBEAT_EVERY_S:
            return False
        try:
            self.client.heartbeat(*report)
        except (CentralUnavailable, CredentialRefused):
            raise
        except CentralError as exc:
            if exc.status in (404, 405):  # an older service: it has no station monitoring
                self.heartbeats = False
            else:  # never a reason to stop syncing cases
                log.warning("the central service refused the heartbeat: %s", exc)
            return False
        self._last_heartbeat = (report, now)
        return True

    # --- status --------------------------------------------------------------------------

    def snapshot(self, detail: str = "", link: str = "") -> SyncSnapshot:
        with self.database.session() as session:
            counts = outbox.counts(session)
        if not detail:
            if not self.online:
                detail = tr("Sync", "Central service unreachable; cases are kept locally.")
            elif counts["dead"]:
                detail = tr("Sync", "Some cases were refused by the central service.")
            elif counts["pending"]:
                detail = tr("Sync", "Sending cases to the central service.")
            else:
                detail = tr("Sync", "All cases are synchronised.")
        return SyncSnapshot(pending=counts["pending"], failed=counts["dead"],
                            online=self.online, detail=detail, link=link)

    def publish_status(self, detail: str = "", link: str = "") -> None:
        snap = self.snapshot(detail, link)
        if snap == self._last_published:
            return
        self._last_published = snap
        state = (DeviceState.READY if snap.online and not snap.failed
                 else DeviceState.ERROR if snap.online or snap.link else DeviceState.ABSENT)
        self.bus.publish(SyncStatusChanged(
            status=DeviceStatus(kind="central", state=state, detail=snap.detail,
                                name=self.client.base_url),
            pending=snap.pending, failed=snap.failed, online=snap.online, detail=snap.detail,
            link=snap.link))


def _record_delivery(session: Any, item_id: str, receipt: Receipt,
                     now: datetime) -> str | None:
    changed = outbox.mark_delivered(session, item_id, receipt, now)
    if changed is None:
        return None
    audit.record(session, "system", "case.synced", changed.id,
                 {"central_case_id": receipt.case_id, "replayed": receipt.replayed})
    return changed.id


def pack_batches(payloads: list[tuple[str, CasePayload]], budget: int,
                 inline_part_bytes: int = INLINE_PART_BYTES) -> list[list[tuple[str, CasePayload]]]:
    """Group cases so each request's inline parts stay within ``budget`` bytes (a case
    larger than that travels alone) and no request carries more than MAX_BATCH_CASES."""
    groups: list[list[tuple[str, CasePayload]]] = []
    current: list[tuple[str, CasePayload]] = []
    size = 0
    for entry in payloads:
        weight = sum(len(p.data) for p in entry[1].parts if len(p.data) <= inline_part_bytes)
        if current and (size + weight > budget or len(current) >= MAX_BATCH_CASES):
            groups.append(current)
            current, size = [], 0
        current.append(entry)
        size += weight
    if current:
        groups.append(current)
    return groups
