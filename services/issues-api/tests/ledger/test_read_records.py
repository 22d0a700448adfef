"""The hot reads (`GET /api/v1/issues/{id}`, the list) load issues as records, without the ORM, and serialize them
once: their answers must stay exactly what the ORM issue gives (`issue_state`, the same validation)."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, timedelta

import pytest
from starlette.datastructures import QueryParams

from issues_api.assignees.service import summary, with_people
from issues_api.directory.models import User
from issues_api.ledger import lookups, repository
from issues_api.ledger.access import Viewer, allowed_actions
from issues_api.ledger.list_params import parse_list_query
from issues_api.ledger.schemas import IssueOut
from issues_api.ledger.state import is_overdue, issue_detail, issue_state
from issues_testing.ledger import LedgerWorld
from rectify_kit.auth import Principal
from rectify_kit.clock import business_today
from rectify_kit.pagination import Page, decode_cursor, encode_cursor

# On both backends: the records are read without the ORM, with each dialect's statement (`= ANY` or IN).
pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.both_backends]

OFFICE = Viewer.of(Principal(sub="office-1", role="office"))


async def test_an_issue_reads_byte_for_byte_as_the_orm_issue_shows_it(world: LedgerWorld) -> None:
    issue = await world.issue_in("in_progress", co_units=("B", "C"), title="records-detail")
    deadline = (date.fromisoformat(issue["deadline"]) + timedelta(days=9)).isoformat()
    body = {"new_deadline": deadline, "reason": "需要协调"}
    asked = await world.step(issue["id"], "extension-requests", world.headers("unit", "A"), body)
    assert asked.status_code == 201, asked.text
    zhang, now = str(uuid.uuid4()), world.clock.now()
    async with world.database.session() as session:
        unit_a = world.units["A"]
        session.add(User(id=zhang, username=f"p-{zhang[:8]}", display_name="张明", role="unit", unit_id=unit_a,
                         password_hash="x", active=True, created_at=now, updated_at=now))  # fmt: skip
    named = await world.client.put(
        f"/api/v1/issues/{issue['id']}/assignees/{world.units['A']}",
        json={"user_id": zhang},
        headers=world.headers("office"),
    )
    assert named.status_code == 200, named.text
    task = {"title": "梳理材料", "assignee_id": zhang, "deadline": issue["deadline"], "unit_id": world.units["A"]}
    split = await world.client.post(
        f"/api/v1/issues/{issue['id']}/subtasks", json=task, headers=world.headers("office")
    )
    assert split.status_code == 201, split.text
    response = await world.client.get(f"/api/v1/issues/{issue['id']}", headers=world.headers("office"))
    assert response.status_code == 200
    async with world.database.session(write=False) as session:
        loaded = await lookups.get_issue(session, issue["id"])
        assert loaded is not None
        actions = allowed_actions(loaded, OFFICE, pending_extension=True)
        shown = issue_detail(loaded, today=business_today(world.clock), actions=actions)
        expected = await with_people(session, issue=loaded, shown=shown)
    assert response.content == expected.model_dump_json().encode()
    assert response.headers["content-type"] == "application/json"
    assert response.headers["etag"] == f'"{loaded.version}"'
    assert len(response.json()["co_units"]) == 2
    assert "decide_extension" in response.json()["allowed_actions"]
    assert response.json()["responsible"][0]["display_name"] == "张明"
    assert response.json()["subtask_total"] == 1


async def test_a_steps_answer_is_the_issue_as_a_read_shows_it_after_the_step(world: LedgerWorld) -> None:
    """A step answers with the issue as `GET` shows it once the step has committed: the step's changes, the
    caller's next steps and the people included."""
    issue = await world.issue_in("registered", title="records-step")
    body = {"lead_unit_id": world.units["A"], "co_unit_ids": [world.units["B"]], "deadline": "2030-06-30"}
    office, lead = world.headers("office"), world.headers("unit", "A")
    for path, headers, sent in (("assign", office, body), ("accept", lead, None)):
        answer = await world.step(issue["id"], path, headers, sent)
        assert answer.status_code == 200, answer.text
        read = await world.client.get(f"/api/v1/issues/{issue['id']}", headers=headers)
        assert answer.json() == read.json()
    assert (answer.json()["status"], answer.json()["co_unit_ids"]) == ("in_progress", [world.units["B"]])
    assert answer.json()["deadline"] == "2030-06-30"
    assert answer.json()["allowed_actions"] == ["progress", "request_extension"]  # a co-unit has still to file


async def test_a_list_page_reads_byte_for_byte_as_the_orm_issues_show_it(world: LedgerWorld) -> None:
    created = []
    for n in range(3):
        world.clock.advance(timedelta(minutes=1))  # the newest, named below, comes first
        created.append(await world.issue_in("in_progress", co_units=("B", "C")[: n % 3], title=f"records-page-{n}"))
    li, now = str(uuid.uuid4()), world.clock.now()
    async with world.database.session() as session:
        unit_b = world.units["B"]
        session.add(User(id=li, username=f"p-{li[:8]}", display_name="李华", role="unit", unit_id=unit_b,
                         password_hash="x", active=True, created_at=now, updated_at=now))  # fmt: skip
    named = await world.client.put(
        f"/api/v1/issues/{created[2]['id']}/assignees/{world.units['B']}",
        json={"user_id": li},
        headers=world.headers("office"),
    )
    assert named.status_code == 200, named.text
    response = await world.client.get(
        "/api/v1/issues", params={"q": "records-page", "limit": 2}, headers=world.headers("office")
    )
    assert response.status_code == 200
    body = response.json()
    today = business_today(world.clock)
    async with world.database.session(write=False) as session:
        issues, total = await repository.list_issues(
            session,
            filters=repository.IssueFilters(q="records-page"),
            today=today,
            sort="created_at",
            descending=True,
            after=None,
            limit=2,
        )
        people = [(await summary(session, i)).responsible for i in issues]
    expected = Page[IssueOut](
        items=[
            IssueOut.model_validate(
                {**issue_state(i), "overdue": is_overdue(i, today), "responsible": [r.model_dump() for r in named]}
            )
            for i, named in zip(issues, people, strict=True)
        ],
        next_cursor=body["next_cursor"],
        total=total,
    )
    assert total == 3
    assert body["items"][0]["responsible"] == [{"unit_id": world.units["B"], "user_id": li, "display_name": "李华"}]
    assert body["next_cursor"] is not None
    assert response.content == expected.model_dump_json().encode()


SHAPES = [
    "q=shapes-",
    "q=shapes-&status=in_progress&limit=2",
    "q=shapes-&status=assigned&status=closed&sort=deadline",
    "q=shapes-&open=true&sort=urgency",
    "q=shapes-&open=false&sort=-code",
    "q=shapes-&overdue=true",
    "q=shapes-&sort=updated_at&limit=3&offset=1",
    "q=shapes-&sort=deadline&limit=2",
    "q=shapes-&sort=-urgency&limit=3",
    "q=shapes-&sort=code&limit=1",
    "q=shapes-&extension_pending=true",
    "q=shapes-&to_accept=true",
    "q=shapes-&mine=false&rework=false&sort=created_at",
    "q=no-such-item",
]


async def _orm_page(world: LedgerWorld, query: str, today: date) -> bytes:
    """The page of `query` as the ORM issues show it, validated by `Page[IssueOut]`: what the list's answer must be
    byte for byte (its items written straight from the rows, `state.row_out`, or records, `state.record_out`)."""
    parsed = parse_list_query(QueryParams(query))
    assert parsed is not None
    key = parsed.sort.lstrip("-")
    after = None
    if parsed.cursor:
        value, last_id = decode_cursor(parsed.cursor, length=2)
        after = (value, str(last_id))
    async with world.database.session(write=False) as session:
        issues, total = await repository.list_issues(
            session,
            filters=replace(parsed.filters, person_id=OFFICE.sub),
            today=today,
            sort=key,
            descending=parsed.sort.startswith("-"),
            after=after,
            limit=parsed.limit,
            offset=parsed.offset,
        )
        people = [(await summary(session, i)).responsible for i in issues]
    last = issues[-1] if len(issues) == parsed.limit else None
    items = [
        IssueOut.model_validate(
            {**issue_state(i), "overdue": is_overdue(i, today), "responsible": [r.model_dump() for r in named]}
        )
        for i, named in zip(issues, people, strict=True)
    ]
    cursor = None if last is None else encode_cursor([repository.sort_value(last, key), last.id])
    return Page[IssueOut](items=items, next_cursor=cursor, total=total).model_dump_json().encode()


async def test_list_pages_of_every_shape_read_byte_for_byte_as_the_model_writes_them(world: LedgerWorld) -> None:
    """The list writes its items straight from its rows (`state.row_out`; SQLite: records, `state.record_out`) and
    `pydantic_core.to_json`, not through `IssueOut`'s validation: the bytes must be the model's of the ORM issues,
    whatever the page holds (co-units, deadline history and extensions, a responsible person, quotes, times with and
    without microseconds, no items), and the next cursor the one the ORM issue makes, in every sort."""
    shown = [await world.issue_in(s, co_units=("B", "C"), title=f"shapes-{s}") for s in ("in_progress", "closed")]
    shown.append(await world.issue_in("assigned", co_units=(), title="shapes-assigned"))
    shown.append(await world.create_issue(title='shapes-registered 带"引号"与\\'))
    late = (date.fromisoformat(shown[0]["deadline"]) + timedelta(days=3)).isoformat()
    extension = {"new_deadline": late, "reason": "需要协调"}
    asked = await world.step(shown[0]["id"], "extension-requests", world.headers("unit", "A"), extension)
    assert asked.status_code == 201, asked.text
    wang, now = str(uuid.uuid4()), world.clock.now()
    async with world.database.session() as session:
        session.add(User(id=wang, username=f"p-{wang[:8]}", display_name="王芳", role="unit", unit_id=world.units["C"],
                         password_hash="x", active=True, created_at=now, updated_at=now))  # fmt: skip
    path = f"/api/v1/issues/{shown[0]['id']}/assignees/{world.units['C']}"
    named = await world.client.put(path, json={"user_id": wang}, headers=world.headers("office"))
    assert named.status_code == 200, named.text
    world.clock.advance(timedelta(days=400))  # past every deadline: overdue
    world.clock.advance(timedelta(microseconds=123_457))
    await world.issue_in("in_progress", title="shapes-late")
    today = business_today(world.clock)
    for query in SHAPES:
        response = await world.client.get(f"/api/v1/issues?{query}", headers=world.headers("office"))
        assert response.status_code == 200, (query, response.text)
        assert response.content == await _orm_page(world, query, today), query
        assert response.headers["content-type"] == "application/json"
        cursor = response.json()["next_cursor"]
        if cursor is not None:  # the page after it: the cursor's sort value read back from the answer
            after = await world.client.get(f"/api/v1/issues?{query}&cursor={cursor}", headers=world.headers("office"))
            assert after.status_code == 200, (query, after.text)
            assert after.content == await _orm_page(world, f"{query}&cursor={cursor}", today), query
    everything = await world.client.get(f"/api/v1/issues?{SHAPES[0]}", headers=world.headers("office"))
    assert '\\"引号\\"' in everything.text
    assert any(i["responsible"] for i in everything.json()["items"])
    assert any(i["overdue"] for i in everything.json()["items"])
