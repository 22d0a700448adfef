"""The delivery worker: lease due deliveries, send them outside any transaction, record each result."""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Mapping
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from notify_api.config import DeliverySettings
from notify_api.delivery import repository, service
from notify_api.delivery.channels import Sender, SendResult
from notify_api.delivery.models import Delivery
from notify_api.metrics import WorkMetrics, work_metrics
from notify_api.webhooks.models import WebhookSubscription
from notify_api.webhooks.service import signing_secrets
from rectify_kit.clock import Clock
from rectify_kit.db import Database


class DeliveryWorker:
    """At-least-once sending with a stable id per delivery (header, Message-ID) so receivers can dedupe.

    A worker that dies while sending leaves its lease behind; once it expires, another run sends again.
    """

    def __init__(
        self,
        *,
        database: Database,
        senders: Mapping[str, Sender],
        clock: Clock,
        settings: DeliverySettings,
        concurrency: int = 10,
        metrics: WorkMetrics | None = None,
    ) -> None:
        self.database = database
        self.senders = senders
        self.clock = clock
        self.settings = settings
        self.metrics = metrics or work_metrics()
        self._semaphore = asyncio.Semaphore(concurrency)
        self._next_due: datetime | None = None

    async def run_once(self) -> int:
        """Send one batch of due deliveries; returns how many were attempted."""
        now = self.clock.now()
        async with self.database.session() as session:
            await repository.dead_letter_orphans(session, reason=service.SUBSCRIPTION_DELETED)
            claimed = await repository.claim_due(
                session,
                now=now,
                limit=self.settings.batch_size,
                lease_until=now + timedelta(seconds=self.settings.lease_seconds),
            )
            secrets = await self._secrets(session, claimed)
            sendable = [d for d in claimed if d.id in secrets]
            # Nothing to send: when will there be (read in the same transaction, for `seconds_idle`)?
            self._next_due = None if claimed else await repository.next_due(session)
        await asyncio.gather(*(self._deliver(d, secrets[d.id]) for d in sendable))
        return len(claimed)

    def seconds_idle(self, *, at_most: float) -> float:
        """After a `run_once` that claimed nothing: how long until a delivery it knows of falls due (a retry, a
        lease running out), at most `at_most`. One already due that it could not claim (another replica holds
        it) is looked at again after a second."""
        if self._next_due is None:
            return at_most
        seconds = (self._next_due - self.clock.now()).total_seconds()
        return min(seconds, at_most) if seconds > 0 else 1.0

    async def _secrets(self, session: AsyncSession, claimed: list[Delivery]) -> dict[str, list[str]]:
        """The signing secret of each delivery: its subscription's, or its channel's (DingTalk, SMS).

        A webhook delivery goes to its subscription's address as it is now (a changed URL applies to every
        later attempt). One whose subscription was deleted (queued by a transaction that raced the delete, or
        leased before it) becomes a dead letter here instead of going out unsigned; it is left out of the map.
        """
        channels = await repository.channel_settings(session)
        now = self.clock.now()
        found: dict[str, list[str]] = {}
        for d in claimed:
            if d.subscription_id:
                sub = await session.get(WebhookSubscription, d.subscription_id)
                if sub is None:
                    await repository.release(
                        session, d.id, status="dead", lease_until=None, last_error=service.SUBSCRIPTION_DELETED
                    )
                    continue
                d.target = sub.url
                found[d.id] = signing_secrets(sub, now)
            else:
                channel = channels.get(d.channel)
                secret = channel.config.get("secret") if channel else None
                found[d.id] = [str(secret)] if secret else []
        return found

    async def _deliver(self, delivery: Delivery, secrets: list[str]) -> None:
        sender = self.senders.get(delivery.channel)
        started = time.monotonic()
        async with self._semaphore:
            if sender is None:
                result = SendResult(ok=False, error=f"no sender for channel {delivery.channel}")
            else:
                result = await sender.send(delivery, secrets)
        duration = int((time.monotonic() - started) * 1000)
        async with self.database.session() as session:
            await service.record_result(
                session,
                delivery_id=delivery.id,
                result=result,
                at=self.clock.now(),
                duration_ms=duration,
                settings=self.settings,
                jitter=random.random(),  # noqa: S311 - jitter, not a secret
            )
        self.metrics.deliveries.labels(delivery.channel, "sent" if result.ok else "failed").inc()
