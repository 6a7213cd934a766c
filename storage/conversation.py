"""State the chat side keeps in the database: handled events and pending questions."""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any

from sqlalchemy import String, bindparam, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from storage.domain import RoomId, UserId
from storage.errors import UnknownMember
from storage.members import ensure_member
from storage.models import (
    dialogue_states,
    members,
    pending_questions,
    processed_events,
)
from storage.queries import Tx, upsert
from storage.types import MemberInfo, PendingQuestion


async def claim_event(tx: Tx, event_id: str) -> bool:
    """True only for the first claim of `event_id` (the primary key decides under races)."""
    result = await tx.conn.execute(
        upsert(tx)(processed_events)
        .values(event_id=event_id, claimed_at=tx.now)
        .on_conflict_do_nothing(index_elements=["event_id"])
        .returning(processed_events.c.event_id)
    )
    return result.first() is not None


async def prune_events(tx: Tx, older_than: datetime) -> int:
    """Forget events claimed before `older_than`; returns how many."""
    result = await tx.conn.execute(
        delete(processed_events)
        .where(processed_events.c.claimed_at < older_than)
        .returning(processed_events.c.event_id)
    )
    return len(result.all())


async def save_pending(
    tx: Tx, member: UserId, room: RoomId, kind: str, payload: dict[str, Any], expires_at: datetime
) -> None:
    """Remember a question (replacing the previous one of this member in this room), in one
    statement (`Storage._write_one`); `UnknownMember` when the member does not exist."""
    params = {"member": member, "room": room, "kind": kind, "payload": payload}
    statement = save_pending_statement(tx.is_postgres)
    saved = await tx.conn.execute(statement, {**params, "expires_at": expires_at, "now": tx.now})
    if saved.first() is None:
        raise UnknownMember(member)


async def take_pending(tx: Tx, member: UserId, room: RoomId) -> PendingQuestion | None:
    """Remove and return the member's question in `room`; an expired one is just removed."""
    member_id = select(members.c.id).where(members.c.matrix_id == member).scalar_subquery()
    row = (
        await tx.conn.execute(
            delete(pending_questions)
            .where(pending_questions.c.member_id == member_id, pending_questions.c.room == room)
            .returning(
                pending_questions.c.kind,
                pending_questions.c.payload,
                pending_questions.c.expires_at,
            )
        )
    ).first()
    if row is None or row.expires_at <= tx.now:
        return None
    return PendingQuestion(member, room, row.kind, row.payload, row.expires_at)


async def save_dialogue(
    tx: Tx, member: UserId, room: RoomId, state: dict[str, Any], expires_at: datetime
) -> None:
    """Keep the member's dialogue state in `room` (replacing the previous one), in one
    statement (`Storage._write_one`); `UnknownMember` when the member does not exist."""
    params = {"member": member, "room": room, "state": state, "expires_at": expires_at}
    statement = save_dialogue_statement(tx.is_postgres)
    saved = await tx.conn.execute(statement, {**params, "now": tx.now})
    if saved.first() is None:
        raise UnknownMember(member)


@functools.cache  # built once: constructing it on every turn costs more than sending it
def save_dialogue_statement(postgres: bool, expires_at: str = "expires_at") -> Any:
    """The upsert of (:member, :room)'s dialogue state (:state, bind parameter `expires_at`,
    :now); returns the member id, no row for an unknown member (also a CTE of `storage.turns`)."""
    return _upsert_for_member(
        postgres,
        dialogue_states,
        {"state": "state", "expires_at": expires_at, "updated_at": "now"},
    )


@functools.cache
def save_pending_statement(postgres: bool) -> Any:
    """The upsert of (:member, :room)'s pending question (:kind, :payload, :expires_at, :now);
    returns the member id, no row for an unknown member (also a CTE of `storage.turns`)."""
    return _upsert_for_member(
        postgres,
        pending_questions,
        {"kind": "kind", "payload": "payload", "expires_at": "expires_at", "created_at": "now"},
    )


def _upsert_for_member(postgres: bool, table: Any, values: dict[str, str]) -> Any:
    """INSERT the row of (member :member, :room) of `table` with `values` (column -> bind
    parameter), or replace it, in one statement that reads the member's id itself; returns
    the member id, no row when the member does not exist."""
    insert = (postgresql.insert if postgres else sqlite.insert)(table)
    source = select(
        members.c.id,
        bindparam("room", type_=String),
        *(bindparam(param, type_=table.c[name].type) for name, param in values.items()),
    ).where(members.c.matrix_id == bindparam("member", type_=String))
    return (
        insert.from_select(["member_id", "room", *values], source)
        .on_conflict_do_update(
            index_elements=["member_id", "room"],
            set_={name: insert.excluded[name] for name in values},
        )
        .returning(table.c.member_id)
    )


async def load_dialogue(tx: Tx, member: UserId, room: RoomId) -> dict[str, Any] | None:
    """The member's dialogue state in `room`, or None when there is none or it expired."""
    member_id = select(members.c.id).where(members.c.matrix_id == member).scalar_subquery()
    row = (
        await tx.conn.execute(
            select(dialogue_states.c.state, dialogue_states.c.expires_at).where(
                dialogue_states.c.member_id == member_id, dialogue_states.c.room == room
            )
        )
    ).first()
    if row is None or row.expires_at <= tx.now:
        return None
    return dict(row.state)


async def open_turn(
    tx: Tx, member: UserId, display_name: str | None, room: RoomId
) -> tuple[MemberInfo, dict[str, Any] | None, PendingQuestion | None]:
    """The start of a message in one transaction rather than two: the member (created on
    first contact), their dialogue state and their (removed) pending question."""
    info = await ensure_member(tx, member, display_name)
    return info, await load_dialogue(tx, member, room), await take_pending(tx, member, room)


async def clear_dialogue(tx: Tx, member: UserId, room: RoomId) -> None:
    """Forget the member's dialogue state in `room`."""
    member_id = select(members.c.id).where(members.c.matrix_id == member).scalar_subquery()
    await tx.conn.execute(
        delete(dialogue_states).where(
            dialogue_states.c.member_id == member_id, dialogue_states.c.room == room
        )
    )


async def begin_turn(
    tx: Tx, member: UserId, room: RoomId
) -> tuple[dict[str, Any] | None, PendingQuestion | None]:
    """The dialogue state and the (removed) pending question, in one transaction."""
    return await load_dialogue(tx, member, room), await take_pending(tx, member, room)


async def end_turn(
    tx: Tx,
    member: UserId,
    room: RoomId,
    state: dict[str, Any] | None,
    state_expires_at: datetime,
    question: PendingQuestion | None,
) -> None:
    """The end of a message in one transaction: the dialogue state kept (`{}` forgets it, None
    leaves it as it is) and the question asked, if any (`Storage.end_turn`)."""
    if state == {}:
        await clear_dialogue(tx, member, room)
    elif state is not None:
        await save_dialogue(tx, member, room, state, state_expires_at)
    if question is not None:
        await save_pending(tx, member, room, question.kind, question.payload, question.expires_at)
