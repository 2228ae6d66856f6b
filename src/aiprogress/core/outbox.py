"""Delivery through the outbox: claim due rows, send through the platform's sender, record.

Each part is recorded as soon as the platform accepts it, so a crash between "sent" and
"recorded" doubles one part at most, and the next claim resumes after the last recorded one.
A claim is a lease that the living claimer keeps renewing (for the rows waiting their turn in
its batch too), and every send is preceded by a check, in the statement that renews it, that
the row is still this claim's: a process that stalled past its lease and lost rows to another
leaves them to it instead of sending them a second time.
A chat that is gone deactivates its channel and its admins are told; a chat that moved (a
Telegram group upgraded to a supergroup) moves its channel and the row is sent there at once;
a platform that asks to wait gets the row back later; other failures retry with backoff, then
fail for good.
Only the rows of chats on this process's platforms are claimed: a row no sender here can send
waits, without an attempt counted, for a process that has its platform's token.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping, Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta

from aiprogress.core.errors import AppError, ChatGone, ChatMoved, NotFound, RetryLater
from aiprogress.core.messages import message, source_error
from aiprogress.core.ports import Clock, Sender, Store
from aiprogress.core.types import (
    AdminNotice,
    Channel,
    ChannelUpdate,
    ChatKind,
    Delivery,
    Digest,
    Language,
    NoticeKind,
    Platform,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    deactivated: int = 0
    # Rows another process took over after this one's lease lapsed: left to it, not sent.
    taken_over: int = 0
    # Rows queued for chats on platforms this process has no sender for (Telegram's or
    # Discord's, with its token unset here): left queued, not claimed, no attempt counted.
    waiting: int = 0


@dataclass(frozen=True, slots=True)
class OutboxSettings:
    # Rows claimed at a time (kept leased while they wait their turn).
    batch: int = 16
    # Deliveries in flight at once. A process killed mid-send may double each message in
    # flight (sent, not yet recorded), so 1 means at most one doubled message per kill; more
    # buys throughput on a slow link at the price of as many possible doubles.
    concurrency: int = 1
    lease: timedelta = timedelta(minutes=5)
    max_attempts: int = 5
    retry_base: timedelta = timedelta(minutes=1)
    # The language of owner notices for an owner who has no chat with the bot on record.
    language: Language = Language.EN
    # An owner the platform will not let the bot write to (blocked it, never started it, DMs
    # closed) is asked again after this long, not at every delivery run; notices wait stored.
    owner_retry: timedelta = timedelta(hours=1)


# Moves of one chat followed in one claim (a group upgraded to a supergroup is one).
_MOVES = 3


class _TakenOver(Exception):
    """The row this process was delivering is another process's now (see `_deliver`)."""


class Outbox:
    def __init__(
        self,
        *,
        store: Store,
        senders: Mapping[Platform, Sender],
        clock: Clock,
        settings: OutboxSettings = OutboxSettings(),
    ) -> None:
        self._store = store
        self._senders = dict(senders)
        self._clock = clock
        self._settings = settings
        self._stopping = False
        # Owners found unreachable (`ChatGone`), and when this process asks them again.
        self._unreachable: dict[tuple[Platform, str], datetime] = {}

    def stop(self) -> None:
        """The process is stopping: the digests being sent finish (all their parts), but no
        other starts. The rows this process holds and has not begun go back to the queue at
        once, for the next run to take without waiting out their lease."""
        self._stopping = True

    @property
    def platforms(self) -> frozenset[Platform]:
        return frozenset(self._senders)

    async def deliver_pending(self) -> DeliveryReport:
        """Deliver every due row, batch after batch, until none is left."""
        totals = {"sent": 0, "retried": 0, "failed": 0, "deactivated": 0, "taken_over": 0}
        digests: dict[int, Digest] = {}
        gate = asyncio.Semaphore(self._settings.concurrency)
        while not self._stopping:
            claimed = await self._store.deliveries.claim(
                self._clock.now(),
                limit=self._settings.batch,
                lease=self._settings.lease,
                platforms=self.platforms,
            )
            if not claimed:
                break
            outcomes = await self._deliver_batch(claimed, digests, gate)
            for outcome in outcomes:
                totals[outcome] += 1
        waiting = await self._store.deliveries.waiting(self.platforms)
        return DeliveryReport(**totals, waiting=waiting)

    async def _deliver_batch(
        self, claimed: list[Delivery], digests: dict[int, Digest], gate: asyncio.Semaphore
    ) -> list[str]:
        # The rows of this batch not finished yet, kept leased while this process lives.
        held = {delivery.id: delivery for delivery in claimed}

        async def one(delivery: Delivery) -> str:
            try:
                async with gate:
                    return await self._deliver(delivery, digests)
            finally:
                held.pop(delivery.id, None)

        renewing = asyncio.create_task(self._keep_leased(held))
        try:
            return await asyncio.gather(*(one(d) for d in claimed))
        finally:
            renewing.cancel()
            with suppress(asyncio.CancelledError):
                await renewing

    async def _keep_leased(self, held: dict[int, Delivery]) -> None:
        """Renews the lease of the held rows a few times per lease: a row waiting its turn in
        the batch, or on a slow send (a 429 waited out), is not taken for abandoned while its
        claimer lives. A row this process lost is not renewed (`hold` fences it)."""
        every = max(self._settings.lease.total_seconds() / 3, 0.01)
        while True:
            await asyncio.sleep(every)
            try:
                await self._store.deliveries.hold(list(held.values()), self._clock.now())
            except AppError as error:  # the next renewal, or the check before a send, decides
                logger.warning("could not renew the delivery lease: %s", error)

    async def _deliver(self, delivery: Delivery, digests: dict[int, Digest]) -> str:
        deliveries = self._store.deliveries
        # Just before sending, and in the same statement that renews the lease: is the row
        # still ours? A process that stalled past its lease may have lost it to another, which
        # sends it; sending it here too would double the message.
        if self._stopping:
            return await self._released(delivery)
        if delivery.id not in await deliveries.hold([delivery], self._clock.now()):
            return self._taken_over(delivery)
        try:
            channel = await self._store.channels.get(delivery.channel_id)
            if delivery.digest_id not in digests:
                digests[delivery.digest_id] = await self._store.digests.get(delivery.digest_id)
        except NotFound as error:
            await deliveries.mark_failed(delivery, str(error))
            return "failed"
        if not channel.active:
            await deliveries.mark_failed(delivery, "the channel is not active")
            return "failed"
        sender = self._senders.get(channel.platform)
        if sender is None:  # `claim` takes no such row but one that was reactivated meanwhile
            await deliveries.retry_at(
                delivery,
                self._clock.now() + self._settings.retry_base,
                f"no {channel.platform.value} sender in this process",
            )
            return "retried"

        sent = delivery.parts_sent

        async def part_sent(count: int) -> None:
            nonlocal sent
            if not await deliveries.record_part(delivery, count, self._clock.now()):
                raise _TakenOver()  # the next part is the new claimer's to send
            sent = count

        moves = 0
        while True:
            try:
                await sender.send_digest(
                    channel, digests[delivery.digest_id], start_part=sent, part_sent=part_sent
                )
            except _TakenOver:
                return self._taken_over(delivery)
            except ChatGone as error:
                await deliveries.mark_failed(delivery, str(error))
                await self._deactivate(channel, sender, str(error))
                return "deactivated"
            except ChatMoved as error:
                # The chat's new address becomes the channel's, in storage (after a restart
                # too, for its queued rows and its next digests); this row goes there now,
                # after the parts sent, in this claim.
                moves += 1
                followed = await self._follow(channel, error.address)
                if followed is not None and followed.id == channel.id and moves <= _MOVES:
                    channel = followed
                    continue
                if followed is not None and moves <= _MOVES:
                    # The new address had a subscribed chat of its own, which took this row
                    # (or had this digest queued already): its next claim sends it there.
                    await deliveries.retry_at(delivery, self._clock.now(), str(error))
                    return "retried"
                return await self._retry_or_fail(delivery, error)
            except RetryLater as error:
                when = self._clock.now() + timedelta(seconds=error.seconds)
                await deliveries.retry_at(delivery, when, str(error))
                return "retried"
            except Exception as error:  # a platform library's own failure too: never lost
                if not isinstance(error, AppError):
                    logger.warning("delivery %s: unexpected %r", delivery.id, error)
                return await self._retry_or_fail(delivery, error)
            break
        if not await deliveries.mark_sent(delivery, self._clock.now()):
            # Sent all the same: the new claimer resumes after the last recorded part.
            self._taken_over(delivery)
        return "sent"

    async def _retry_or_fail(self, delivery: Delivery, error: Exception) -> str:
        """Retried with backoff, then failed for good after `max_attempts` claims."""
        deliveries = self._store.deliveries
        if delivery.attempts >= self._settings.max_attempts:
            await deliveries.mark_failed(delivery, str(error))
            return "failed"
        backoff = self._settings.retry_base * 2 ** (delivery.attempts - 1)
        await deliveries.retry_at(delivery, self._clock.now() + backoff, str(error))
        return "retried"

    async def _follow(self, channel: Channel, address: str) -> Channel | None:
        moved = await self._store.channels.move(channel.platform, channel.address, address)
        logger.warning(
            "%s chat %s moved to %s: its channel follows it",
            channel.platform.value,
            channel.address,
            address,
        )
        return moved

    async def _released(self, delivery: Delivery) -> str:
        # Due at once: the next run (this process's successor) takes it. The claim's attempt
        # stays counted.
        await self._store.deliveries.retry_at(
            delivery, self._clock.now(), "not finished when the process stopped"
        )
        return "retried"

    @staticmethod
    def _taken_over(delivery: Delivery) -> str:
        logger.warning(
            "delivery %s: another process took it over after this one's lease lapsed; left "
            "to it (raise AIPROGRESS_DELIVERY_LEASE if this process is often this slow)",
            delivery.id,
        )
        return "taken_over"

    async def deliver_notices(self, platform: Platform, admin_addresses: Sequence[str]) -> int:
        """Tell the owners, in private, what admins must know (a source disabled after its
        failures, a channel deactivated). A notice is marked delivered once one owner got it;
        with no owner reachable it stays pending for a later run. An owner the platform will
        not let the bot write to (blocked, never started, DMs closed) is logged as such and
        asked again after `owner_retry`, not at every run."""
        sender = self._senders.get(platform)
        if sender is None or not admin_addresses:
            return 0
        notices = await self._store.notices.pending()
        if not notices:
            return 0
        now = self._clock.now()
        owners = [
            address
            for address in admin_addresses
            if self._unreachable.get((platform, address), now) <= now
        ]
        languages = {address: await self._owner_language(platform, address) for address in owners}
        delivered: list[int] = []
        for notice in notices:
            told = False
            for address in list(owners):
                try:
                    await sender.send_text(address, notice_text(notice, languages[address]))
                    told = True
                    self._unreachable.pop((platform, address), None)
                except ChatGone as error:
                    owners.remove(address)
                    self._unreachable[(platform, address)] = now + self._settings.owner_retry
                    logger.warning(
                        "cannot tell %s owner %s: %s; notices wait stored for an owner who can "
                        "be written to (this one is asked again in %s)",
                        platform.value,
                        address,
                        error,
                        self._settings.owner_retry,
                    )
                except AppError as error:
                    logger.warning("could not tell %s owner %s: %s", platform.value, address, error)
            if told and notice.id is not None:
                delivered.append(notice.id)
        await self._store.notices.mark_delivered(delivered, self._clock.now())
        return len(delivered)

    async def _owner_language(self, platform: Platform, address: str) -> Language:
        """The language of the owner's private chat with the bot (set with /lang)."""
        chat = await self._store.channels.find(platform, address)
        return chat.language if chat is not None else self._settings.language

    async def _deactivate(self, channel: Channel, sender: Sender, reason: str) -> None:
        await self._store.channels.update(
            channel.id, ChannelUpdate(active=False, deactivated_reason=reason)
        )
        if channel.kind is ChatKind.PRIVATE:
            # A user who blocked the bot (or deleted their account) chose so; the one admin of
            # their chat is them, whom the bot cannot write to, and the owners need not hear of
            # every such user. /subscribe in the chat turns it back on.
            logger.info("%s chat %s deactivated: %s", channel.platform.value, channel.id, reason)
            return
        name = channel.title or channel.address
        text = message(
            "channel.deactivated",
            channel.language,
            channel=name,
            reason=gone_reason(reason, channel.language),
        )
        await self._store.notices.add(
            AdminNotice(
                kind=NoticeKind.CHANNEL_DEACTIVATED,
                text=text,
                created_at=self._clock.now(),
                subject=name,
                detail=reason,
            )
        )
        for admin in channel.admin_ids:
            try:
                await sender.send_text(admin, text)
            except AppError as error:  # an admin who blocked the bot too: the notice stays stored
                logger.warning("could not tell admin %s: %s", admin, error)


def notice_text(notice: AdminNotice, language: Language) -> str:
    """A notice worded for an owner who reads `language`; one stored before notices kept
    their subject and detail (revision 0012) is sent as it was stored."""
    if not notice.detail:
        return notice.text
    if notice.kind is NoticeKind.SOURCE_DISABLED:
        return message(
            "notice.source_disabled",
            language,
            id=notice.source_id if notice.source_id is not None else "?",
            name=notice.subject,
            reason=source_error(notice.detail, language),
        )
    return message(
        "channel.deactivated",
        language,
        channel=notice.subject,
        reason=gone_reason(notice.detail, language),
    )


# Why a platform refuses a chat, as its error says it (Telegram's description, Discord's code),
# and the catalogue's words for it; another reason is told as the platform wrote it.
_GONE_REASONS = (
    ("bot was kicked", "delivery.gone.kicked"),
    ("bot is not a member", "delivery.gone.kicked"),
    ("chat not found", "delivery.gone.not_found"),
    ("(code 10003)", "delivery.gone.not_found"),  # Discord's Unknown Channel
    ("not enough rights", "delivery.gone.rights"),
    ("need administrator rights", "delivery.gone.rights"),
    ("have no rights to send", "delivery.gone.rights"),
    ("(code 50001)", "delivery.gone.rights"),  # Discord's Missing Access
    ("(code 50013)", "delivery.gone.rights"),  # Discord's Missing Permissions
    ("bot was blocked", "delivery.gone.blocked"),
)


def gone_reason(reason: str, language: Language) -> str:
    """Why a chat stopped accepting the bot, in `language` where the catalogue words it."""
    lowered = reason.lower()
    for marker, key in _GONE_REASONS:
        if marker in lowered:
            return message(key, language)
    return reason
