"""The audit chain: verification names the first tampered event; the published head catches a full rewrite."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import text

from issues_api.auth.keys import known_public_keys, load_keys, remember_public_key
from issues_api.config import Settings, TokenSettings
from issues_api.events.anchor import anchors_path, publish_anchor
from issues_api.events.models import events
from issues_testing.ledger import LedgerWorld
from rectify_kit.outbox import GENESIS_HASH, canonical, iter_events

# On both backends: the append-only guard is a trigger of each dialect's own.
pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.both_backends]


async def verify(world: LedgerWorld) -> dict[str, object]:
    response = await world.client.get("/api/v1/audit/verify", headers=world.headers("office"))
    assert response.status_code == 200, response.text
    result: dict[str, object] = response.json()
    return result


async def edit_event_data(world: LedgerWorld, seq: int, data: dict[str, object]) -> None:
    """What an intruder with database access does; the PostgreSQL trigger has to be switched off first."""
    async with world.database.session() as session:
        postgres = session.get_bind().dialect.name == "postgresql"
        if postgres:
            await session.execute(text("ALTER TABLE events DISABLE TRIGGER events_append_only"))
        await session.execute(events.update().where(events.c.seq == seq).values(data=data))
        if postgres:
            await session.execute(text("ALTER TABLE events ENABLE TRIGGER events_append_only"))


async def test_intact_chain_verifies(world: LedgerWorld) -> None:
    await world.issue_in("closed")
    report = await verify(world)
    assert report["ok"] is True
    assert report["first_bad_seq"] is None
    assert report["checked"] == 6


async def test_units_and_clients_cannot_run_the_audit(world: LedgerWorld) -> None:
    for headers in (world.headers("unit", "A"), world.client_headers("events:read")):
        response = await world.client.get("/api/v1/audit/verify", headers=headers)
        assert response.status_code == 403


async def test_a_plain_update_of_an_event_is_refused_or_caught(world: LedgerWorld) -> None:
    """PostgreSQL's trigger refuses UPDATE and DELETE; SQLite has none, and there the chain names the edit."""
    async with world.database.session() as session:
        postgres = session.get_bind().dialect.name == "postgresql"
        original = await session.scalar(text("SELECT type FROM events WHERE seq = 2"))
    if postgres:
        for statement in ("UPDATE events SET type = 'x' WHERE seq = 2", "DELETE FROM events WHERE seq = 2"):
            with pytest.raises(Exception, match="append-only"):
                async with world.database.session() as session:
                    await session.execute(text(statement))
        assert (await verify(world))["ok"] is True
        return
    async with world.database.session() as session:
        await session.execute(text("UPDATE events SET type = 'issue.forged' WHERE seq = 2"))
    try:
        assert (await verify(world))["first_bad_seq"] == 2
    finally:
        async with world.database.session() as session:
            await session.execute(text("UPDATE events SET type = :t WHERE seq = 2"), {"t": original})


async def test_editing_a_stored_event_is_reported_at_its_sequence_number(world: LedgerWorld) -> None:
    async with world.database.session() as session:
        rows = [e async for e in iter_events(session, events)]
    target = rows[3]
    await edit_event_data(world, target.seq, {**target.data, "comment": "改过了"})
    try:
        report = await verify(world)
    finally:
        await edit_event_data(world, target.seq, target.data)
    assert report == {"ok": False, "checked": 3, "first_bad_seq": target.seq, "anchors_checked": 0}
    assert (await verify(world))["ok"] is True


async def test_a_rewritten_chain_is_caught_by_the_published_head(world: LedgerWorld) -> None:
    async with world.database.session() as session:
        anchor = await publish_anchor(
            session, signer=world.app.state.keys, path=anchors_path(world.settings.var_dir), clock=world.clock
        )
    assert anchor is not None
    line = json.loads(anchors_path(world.settings.var_dir).read_text().splitlines()[-1])
    assert (line["seq"], line["hash"]) == (anchor.seq, anchor.hash)
    assert world.app.state.keys.verify(anchor.payload(), line["signature"])
    assert (await verify(world))["anchors_checked"] == 1

    async with world.database.session() as session:
        original = [e async for e in iter_events(session, events)]
    await rewrite_chain(world, original, tamper_seq=2)
    try:
        report = await verify(world)
    finally:
        await rewrite_chain(world, original, tamper_seq=None)
    assert report["ok"] is False
    assert report["first_bad_seq"] == anchor.seq
    assert (await verify(world))["ok"] is True


async def rewrite_chain(world: LedgerWorld, original: list, *, tamper_seq: int | None) -> None:  # type: ignore[type-arg]
    """Rewrite every hash after changing one event, so the chain alone looks intact."""
    prev = GENESIS_HASH
    async with world.database.session() as session:
        postgres = session.get_bind().dialect.name == "postgresql"
        if postgres:
            await session.execute(text("ALTER TABLE events DISABLE TRIGGER events_append_only"))
        for ev in original:
            data = {**ev.data, "rewritten": True} if ev.seq == tamper_seq else ev.data
            data = json.loads(canonical(data))
            digest = replace(ev, data=data).chained_to(prev)
            await session.execute(
                events.update().where(events.c.seq == ev.seq).values(data=data, prev_hash=prev, hash=digest)
            )
            prev = digest
        if postgres:
            await session.execute(text("ALTER TABLE events ENABLE TRIGGER events_append_only"))


async def test_anchors_of_a_rotated_out_key_still_verify_and_still_catch_a_rewrite(
    world: LedgerWorld, tmp_path: Path
) -> None:
    """A new signing key must not erase the evidence the old one signed: its public key stays in the keyring."""
    old_settings = Settings(var_dir=tmp_path, tokens=TokenSettings(private_key_file=tmp_path / "old.pem"))
    new_settings = Settings(var_dir=tmp_path, tokens=TokenSettings(private_key_file=tmp_path / "new.pem"))
    old_key, new_key = load_keys(old_settings), load_keys(new_settings)
    remember_public_key(old_key, old_settings)
    await world.issue_in("assigned")
    path = anchors_path(world.settings.var_dir)
    path.unlink(missing_ok=True)  # only this test's anchor: the earlier ones were signed with the world's key
    async with world.database.session() as session:
        anchor = await publish_anchor(session, signer=old_key, path=path, clock=world.clock)
    assert anchor is not None
    saved = world.app.state.keys, world.app.state.public_keys
    remember_public_key(new_key, new_settings)  # the service restarts with the new key
    world.app.state.keys, world.app.state.public_keys = new_key, known_public_keys(new_settings)
    async with world.database.session() as session:
        original = [e async for e in iter_events(session, events)]
    try:
        assert set(world.app.state.public_keys) == {old_key.kid, new_key.kid}
        intact = await verify(world)
        await rewrite_chain(world, original, tamper_seq=2)
        rewritten = await verify(world)
        await rewrite_chain(world, original, tamper_seq=None)
        world.app.state.public_keys = {new_key.kid: new_key.public_pem}  # the old public key lost
        unverifiable = await verify(world)
    finally:
        world.app.state.keys, world.app.state.public_keys = saved
        path.unlink()
    assert (intact["ok"], intact["anchors_checked"]) == (True, 1)
    assert (rewritten["ok"], rewritten["first_bad_seq"]) == (False, anchor.seq)
    assert (unverifiable["ok"], unverifiable["first_bad_seq"]) == (False, anchor.seq)
