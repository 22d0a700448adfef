"""Two replicas of every service on PostgreSQL, behind the gateway (itself twice, sharing Redis): a mixed workload
(the office creating and assigning, units accepting and reporting progress, the public submitting, reports read)
runs while one replica of each API is SIGKILLed half-way, and then nothing acknowledged is missing and nothing is
there twice: the issues, their events (the feed gap-free, each once), the notifications of each event, and
report-api's figures agree with issues-api's counts. Besides: the gateways' rate limits hold across them (counted
in Redis), a unit's live inbox stream hears its message on whichever notify-api replica it is open, and a replica
stopped with SIGTERM under load answers what it holds, ends its streams and exits in time while the gateway sends
the load to the others."""

from __future__ import annotations

import asyncio
import json
import signal
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import asyncpg
import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.engine import make_url

from rectify_kit import testing
from rectify_stack import PASSWORD, Replica, Stack, login, running_stack

pytestmark = pytest.mark.skipif(
    testing.pg_admin_url() is None,
    reason="replicas share one database per service: needs PostgreSQL (RECTIFY_TEST_PG_URL)",
)

REDIS_URL = "redis://127.0.0.1:6379/0"
PUBLIC_PER_MINUTE = 5
SETTINGS = {
    "GATEWAY_REDIS_URL": REDIS_URL,
    "NOTIFY_REDIS_URL": REDIS_URL,
    # The test speaks for many citizens: each public submission comes "from" an address of its own.
    "GATEWAY_TRUSTED_PROXIES": '["127.0.0.1"]',
    "GATEWAY_RATE_LIMITS__PUBLIC_PER_MINUTE": str(PUBLIC_PER_MINUTE),
    "GATEWAY_RATE_LIMITS__PUBLIC_PER_DAY": "100000",
    "GATEWAY_RATE_LIMITS__LOGIN_PER_MINUTE": "100000",
    "GATEWAY_RATE_LIMITS__LOGIN_PER_DAY": "1000000",
    "GATEWAY_RATE_LIMITS__SUBJECT_PER_MINUTE": "100000",
    "GATEWAY_HEALTH__INTERVAL_SECONDS": "0.5",
    # A stopped replica answers on for three of the gateway's checks: it is out of rotation before it closes.
    "ISSUES_DRAIN_SECONDS": "1.5",
    "NOTIFY_DRAIN_SECONDS": "1.5",
    "REPORT_DRAIN_SECONDS": "1.5",
    "ISSUES_DEMO_ITEMS": "12",
}
SHANGHAI = ZoneInfo("Asia/Shanghai")
ISSUES, SUBMISSIONS, READS = 24, 16, 40  # about 250 requests
CONCURRENCY = 6


@pytest.fixture(scope="module")
def started(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    urls = {
        name: asyncio.run(testing.create_pg_database(f"replicas_{name}")) for name in ("issues", "notify", "report")
    }
    try:
        var_dir = tmp_path_factory.mktemp("replicas")
        with running_stack(var_dir, database_urls=urls, settings=SETTINGS, replicas=2) as stack:
            wait_all_ready(stack)
            yield stack
    finally:
        for url in urls.values():
            asyncio.run(testing.drop_pg_database(url))


@pytest.fixture
def replicated(started: Stack) -> Stack:
    """The module's stack with every replica running and taken by both gateways. A test that stops or kills
    replicas leaves them to be started again here, by the next test, rather than in its own teardown: after the
    last test they would only be stopped again, three processes started for nothing."""
    if stopped := [
        replica for each in started.replicas.values() for replica in each if replica.process.poll() is not None
    ]:
        started.restart(*stopped)
        wait_all_ready(started)
    return started


def wait_all_ready(stack: Stack, *, timeout: float = 120.0) -> None:
    """Until both gateways take every replica (their health checks passed since the last start)."""

    def ready(gateway: Replica) -> bool:
        try:
            answer = http.get(f"{gateway.url}/readyz")
        except httpx.HTTPError:  # a busy machine: ask again
            return False
        replicas = answer.json().get("replicas", {})
        return answer.status_code == 200 and all(s == "ok" for each in replicas.values() for s in each.values())

    deadline = time.monotonic() + timeout
    with httpx.Client(timeout=10) as http:  # one client: a client is a TLS context, 31 ms of CPU
        while not all(ready(gateway) for gateway in stack.replicas["gateway"]):
            if time.monotonic() > deadline:
                raise AssertionError("the gateways never took every replica")
            time.sleep(0.2)


async def until(check: Callable[[], Awaitable[Any]], *, within: float = 120.0, every: float = 0.3) -> Any:
    """Poll `check` until it returns something truthy; the feeds and the replicas' checks are asynchronous."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + within
    while True:
        result = await check()
        if result:
            return result
        if loop.time() > deadline:
            raise AssertionError(f"condition not reached within {within:.0f}s")
        await asyncio.sleep(every)


def metric(text: str, name: str) -> float:
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == name
    )


# --- the people -------------------------------------------------------------------------------------------------


@dataclass
class World:
    """The accounts and ids the workload uses, signed in through the first gateway."""

    campaign_id: str
    office: dict[str, str]
    admin: dict[str, str]
    units: dict[str, dict[str, str]]  # unit id -> its staff's headers
    unit_users: dict[str, set[str]]  # unit id -> the ids of its active staff (role unit)


@pytest.fixture(scope="module")
def world(started: Stack) -> World:
    """Signed in once for the module's tests (a token lasts an hour): each sign-in is an argon2 verification."""
    return world_of(started)


def world_of(stack: Stack) -> World:
    with httpx.Client(base_url=stack.gateway, timeout=60) as client:
        office, admin = login(client, "office"), login(client, "admin")
        campaign_id = client.get("/api/v1/campaigns", headers=office).json()["items"][0]["id"]
        units: dict[str, dict[str, str]] = {}
        for unit in client.get("/api/v1/units", headers=office).json()["items"]:
            if not unit["code"].startswith("KJT-") or len(units) == 3:
                continue
            answer = client.post("/api/v1/auth/token", data={"username": unit["code"], "password": PASSWORD})
            if answer.status_code == 200:
                units[unit["id"]] = {"Authorization": f"Bearer {answer.json()['access_token']}"}
        users = client.get("/api/v1/users", params={"limit": 500}, headers=admin).json()["items"]
    assert len(units) == 3
    unit_users = {
        unit_id: {u["id"] for u in users if u["unit_id"] == unit_id and u["role"] == "unit" and u["active"]}
        for unit_id in units
    }
    return World(campaign_id, office, admin, units, unit_users)


# --- the workload -------------------------------------------------------------------------------------------------


@dataclass
class Ledger:
    """What the workload was told: each write acknowledged (2xx), or left unknown (the answer was lost)."""

    issues: dict[str, str] = field(default_factory=dict)  # title -> issue id (creates are retried until answered)
    assigned: dict[str, str] = field(default_factory=dict)  # issue id -> lead unit id
    closed: set[str] = field(default_factory=set)
    progress: dict[str, bool] = field(default_factory=dict)  # content -> acknowledged
    submissions: dict[str, str] = field(default_factory=dict)  # title -> tracking code
    reads: Counter[int] = field(default_factory=Counter)  # status -> count
    failed_reads: list[str] = field(default_factory=list)  # what each read that failed was answered
    lost: Counter[str] = field(default_factory=Counter)  # what lost its answer, by step


TRANSIENT = {502, 503, 504}


async def send(client: httpx.AsyncClient, method: str, url: str, **kwargs: Any) -> httpx.Response | None:
    """The answer, or None when the connection broke before one came."""
    try:
        return await client.request(method, url, **kwargs)
    except httpx.TransportError:
        return None


async def until_answered(
    client: httpx.AsyncClient, ledger: Ledger, step: str, method: str, url: str, **kwargs: Any
) -> httpx.Response:
    """Send until an answer that is not a gateway's 5xx: for creates with their Idempotency-Key (replayed if an
    earlier try got through), for workflow steps whose repeat is refused as an illegal transition."""
    for _ in range(40):
        answer = await send(client, method, url, **kwargs)
        if answer is not None and answer.status_code not in TRANSIENT and answer.status_code != 409:
            return answer
        if answer is not None and answer.status_code == 409 and answer.json().get("code") != "idempotency-in-flight":
            return answer
        ledger.lost[step] += 1
        await asyncio.sleep(0.3)
    raise AssertionError(f"{step} never answered")


def done_or_done_before(answer: httpx.Response, step: str) -> None:
    """2xx, or 409 because a try whose answer was lost had taken the step."""
    if answer.status_code == 409:
        assert answer.json()["code"] == "illegal-transition", answer.text
    else:
        assert answer.is_success, f"{step}: {answer.status_code} {answer.text}"


async def issue_flow(client: httpx.AsyncClient, world: World, ledger: Ledger, run: str, number: int) -> None:
    """The office registers and assigns; the unit accepts and reports progress; every other one is closed."""
    title = f"副本演练 {run}-{number}：审批材料重复提交"
    unit_id = list(world.units)[number % len(world.units)]
    unit = world.units[unit_id]
    body = {"campaign_id": world.campaign_id, "title": title, "description": "两副本演练", "kind": "problem"}
    created = await until_answered(
        client,
        ledger,
        "create",
        "POST",
        "/api/v1/issues",
        json={**body, "source": "inspection"},
        headers={**world.office, "Idempotency-Key": f"{run}-{number}"},
    )
    assert created.status_code == 201, created.text
    issue_id = created.json()["id"]
    ledger.issues[title] = issue_id
    deadline = (datetime.now(SHANGHAI).date() + timedelta(days=30)).isoformat()
    assign = {"lead_unit_id": unit_id, "co_unit_ids": [], "deadline": deadline}
    url = f"/api/v1/issues/{issue_id}"
    done_or_done_before(
        await until_answered(client, ledger, "assign", "POST", f"{url}/assign", json=assign, headers=world.office),
        "assign",
    )
    ledger.assigned[issue_id] = unit_id
    done_or_done_before(await until_answered(client, ledger, "accept", "POST", f"{url}/accept", headers=unit), "accept")
    content = f"进展 {run}-{number}-{uuid.uuid4().hex[:8]}"
    # Progress is no transition: a repeat would be a second report. Sent once; its answer may be lost.
    answer = await send(client, "POST", f"{url}/progress", json={"content": content, "percent": 50}, headers=unit)
    ledger.progress[content] = answer is not None and answer.is_success
    if answer is None or answer.status_code in TRANSIENT:
        ledger.lost["progress"] += 1
    else:
        assert answer.is_success, answer.text
    if number % 2 == 0:
        summary = {"summary": "已整改"}
        done_or_done_before(
            await until_answered(
                client, ledger, "submit", "POST", f"{url}/submit-completion", json=summary, headers=unit
            ),
            "submit-completion",
        )
        done_or_done_before(
            await until_answered(client, ledger, "close", "POST", f"{url}/close", json={}, headers=world.office),
            "close",
        )
        ledger.closed.add(issue_id)


async def submission_flow(client: httpx.AsyncClient, ledger: Ledger, run: str, number: int) -> None:
    """A citizen (an address of their own) submits, retrying with the same Idempotency-Key until answered."""
    title = f"副本演练诉求 {run}-{number}"
    address = f"10.{int(run[:2], 16)}.{number // 200}.{number % 200 + 1}"
    answer = await until_answered(
        client,
        ledger,
        "submission",
        "POST",
        "/api/v1/public/submissions",
        json={"title": title, "content": "企业反映：同一材料多个窗口重复提交。"},
        headers={"X-Forwarded-For": address, "Idempotency-Key": f"{run}-{number}"},
    )
    assert answer.is_success, answer.text
    ledger.submissions[title] = answer.json()["tracking_code"]


async def read_flow(client: httpx.AsyncClient, world: World, ledger: Ledger, number: int) -> None:
    """Reports and lists as leaders and units read them; a read is retried by the gateway, so it must pass."""
    unit = list(world.units.values())[number % len(world.units)]
    path, headers = [
        ("/api/v1/reports/summary", world.office),
        ("/api/v1/reports/units", world.office),
        ("/api/v1/issues?limit=20", unit),
        ("/api/v1/notifications?limit=20", unit),
    ][number % 4]
    answer = await send(client, "GET", path, headers=headers)
    ledger.reads[answer.status_code if answer is not None else 0] += 1
    if answer is None or answer.status_code != 200:
        ledger.failed_reads.append(f"{path}: {answer.status_code} {answer.text[:500]}" if answer else f"{path}: -")


async def run_workload(stack: Stack, world: World, ledger: Ledger, run: str, *, halfway: Callable[[], None]) -> None:
    flows: list[Callable[[httpx.AsyncClient], Awaitable[None]]] = []
    for n in range(max(ISSUES, SUBMISSIONS, READS)):
        if n < ISSUES:
            flows.append(lambda c, n=n: issue_flow(c, world, ledger, run, n))
        if n < SUBMISSIONS:
            flows.append(lambda c, n=n: submission_flow(c, ledger, run, n))
        if n < READS:
            flows.append(lambda c, n=n: read_flow(c, world, ledger, n))
    gate, finished, killed = asyncio.Semaphore(CONCURRENCY), [0], [False]

    async def one(flow: Callable[[httpx.AsyncClient], Awaitable[None]], client: httpx.AsyncClient) -> None:
        async with gate:
            await flow(client)
        finished[0] += 1
        if not killed[0] and finished[0] >= len(flows) // 2:
            killed[0] = True
            halfway()

    async with httpx.AsyncClient(base_url=stack.gateway, timeout=60) as client:
        await asyncio.gather(*(one(flow, client) for flow in flows))


# --- what is there afterwards -------------------------------------------------------------------------------------


async def whole_feed(client: httpx.AsyncClient, admin: dict[str, str]) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    after = 0
    while True:
        page = (await client.get("/api/v1/events", params={"after": after, "limit": 500}, headers=admin)).json()
        events.extend(page["events"])
        if page["next"] >= page["head"]:
            return events
        after = page["next"]


async def notifications_of(notify_url: str, issue_ids: list[str]) -> list[tuple[str, str, str, str]]:
    """(dedupe key, user id, kind, issue id) of every inbox message about these issues, from notify-api's database."""
    dsn = make_url(notify_url).set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(dsn)
    try:
        rows = await connection.fetch(
            "SELECT dedupe_key, user_id, kind, issue_id FROM notifications WHERE issue_id = ANY($1::text[])",
            issue_ids,
        )
    finally:
        await connection.close()
    return [(r["dedupe_key"], r["user_id"], r["kind"], r["issue_id"]) for r in rows]


# --- live streams -------------------------------------------------------------------------------------------------


@dataclass
class Listener:
    """A unit's inbox stream through the gateway, reconnecting as a browser's EventSource does."""

    heard: list[str] = field(default_factory=list)  # the issue ids of the notifications received
    connections: int = 0
    opened: asyncio.Event = field(default_factory=asyncio.Event)

    async def listen(self, client: httpx.AsyncClient, headers: dict[str, str]) -> None:
        while True:
            try:
                async with client.stream("GET", "/api/v1/notifications/stream", headers=headers) as response:
                    if response.status_code != 200:
                        await asyncio.sleep(0.5)
                        continue
                    self.connections += 1
                    event = ""
                    async for line in response.aiter_lines():
                        if line.startswith("event: "):
                            event = line.removeprefix("event: ")
                            if event == "unread":
                                self.opened.set()
                        elif line.startswith("data: ") and event == "notification":
                            self.heard.append(str(json.loads(line.removeprefix("data: ")).get("issue_id")))
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.5)  # the stream's `retry`


async def streams_open(stack: Stack) -> list[float]:
    async with httpx.AsyncClient(timeout=10) as client:
        return [
            metric((await client.get(f"{r.url}/metrics")).text, "notify_inbox_streams")
            for r in stack.replicas["notify"]
        ]


@asynccontextmanager
async def listening_on_both(stack: Stack, headers: dict[str, str]) -> AsyncIterator[list[Listener]]:
    """Streams of one unit user opened through the gateway until each notify-api replica holds one."""
    listeners: list[Listener] = []
    tasks: list[asyncio.Task[None]] = []
    async with httpx.AsyncClient(base_url=stack.gateway, timeout=httpx.Timeout(60, read=None)) as client:
        try:
            for _ in range(8):
                listener = Listener()
                tasks.append(asyncio.create_task(listener.listen(client, headers)))
                listeners.append(listener)
                await asyncio.wait_for(listener.opened.wait(), 60)

                async def counted(expected: int = len(listeners)) -> list[float] | None:
                    counts = await streams_open(stack)
                    return counts if sum(counts) >= expected else None

                if all(count >= 1 for count in await until(counted, within=30)):
                    break
            else:
                raise AssertionError("the gateway never opened a stream on each notify-api replica")
            yield listeners
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)


async def assign_new_issue(client: httpx.AsyncClient, world: World, unit_id: str, title: str) -> str:
    created = await client.post(
        "/api/v1/issues",
        headers=world.office,
        json={
            "campaign_id": world.campaign_id,
            "title": title,
            "description": "两副本演练",
            "kind": "problem",
            "source": "inspection",
        },
    )
    assert created.status_code == 201, created.text
    deadline = (datetime.now(SHANGHAI).date() + timedelta(days=30)).isoformat()
    issue_id = str(created.json()["id"])
    assigned = await client.post(
        f"/api/v1/issues/{issue_id}/assign",
        headers=world.office,
        json={"lead_unit_id": unit_id, "co_unit_ids": [], "deadline": deadline},
    )
    assert assigned.status_code == 200, assigned.text
    return issue_id


# --- the tests ----------------------------------------------------------------------------------------------------


async def test_a_units_stream_hears_its_message_on_either_notify_replica(replicated: Stack, world: World) -> None:
    unit_id = list(world.units)[1]
    async with (
        listening_on_both(replicated, world.units[unit_id]) as listeners,
        httpx.AsyncClient(base_url=replicated.gateway, timeout=60) as client,
    ):
        # One message, written by whichever replica's feed consumer takes the event, heard on both replicas.
        issue_id = await assign_new_issue(client, world, unit_id, f"副本推送演练 {uuid.uuid4().hex[:6]}")

        async def everyone_heard() -> bool:
            return all(issue_id in listener.heard for listener in listeners)

        await until(everyone_heard, within=90)


async def test_the_gateways_count_a_clients_requests_together(replicated: Stack) -> None:
    address = f"10.251.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250 + 1}"
    gateways = [gateway.url for gateway in replicated.replicas["gateway"]]
    statuses = []
    async with httpx.AsyncClient(timeout=60) as client:
        for n in range(PUBLIC_PER_MINUTE + 3):
            answer = await client.post(
                f"{gateways[n % 2]}/api/v1/public/submissions",
                json={"title": f"限流演练 {uuid.uuid4().hex[:6]}", "content": "同一地址分别经两个网关提交。"},
                headers={"X-Forwarded-For": address},
            )
            statuses.append(answer.status_code)
            if answer.status_code == 429:
                assert int(answer.headers["retry-after"]) >= 1
    # Five in the minute from one address, whichever gateway took them: the sixth on is refused by both.
    assert [status < 300 for status in statuses] == [True] * PUBLIC_PER_MINUTE + [False] * 3, statuses
    assert statuses[PUBLIC_PER_MINUTE:] == [429] * 3


async def test_killing_one_replica_of_each_api_half_way_loses_nothing_and_does_nothing_twice(
    replicated: Stack, world: World
) -> None:
    stack = replicated
    run, ledger = uuid.uuid4().hex[:6], Ledger()
    listened = next(iter(world.units))
    doomed = [stack.replicas[service][0] for service in ("issues", "notify", "report")]

    def kill_one_of_each() -> None:
        for replica in doomed:
            replica.process.send_signal(signal.SIGKILL)

    async with listening_on_both(stack, world.units[listened]) as listeners:
        await run_workload(stack, world, ledger, run, halfway=kill_one_of_each)
        for replica in doomed:
            assert replica.process.wait(timeout=10) == -signal.SIGKILL
        # The gateway sent every read on to the surviving replica: none failed.
        assert set(ledger.reads) == {200}, (ledger.reads, ledger.failed_reads)
        async with httpx.AsyncClient(base_url=stack.gateway, timeout=60) as client:
            last = await assign_new_issue(client, world, listened, f"副本演练 {run}-last")
            ledger.assigned[last] = listened

            async def everyone_heard() -> bool:
                return all(last in listener.heard for listener in listeners)

            # The stream on the killed replica ended; reopened through the gateway, it hears the survivor.
            await until(everyone_heard, within=90)
        assert max(listener.connections for listener in listeners) >= 2
    await assert_nothing_lost_or_twice(stack, world, ledger)


async def assert_nothing_lost_or_twice(stack: Stack, world: World, ledger: Ledger) -> None:
    async with httpx.AsyncClient(base_url=stack.gateway, timeout=60) as client:
        events = await whole_feed(client, world.admin)
        # The feed: every sequence number once, in order, no gap; every event once.
        assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
        assert len({e["id"] for e in events}) == len(events)
        created = Counter(e["data"]["issue"]["title"] for e in events if e["type"] == "issue.created")
        assert all(created[title] == 1 for title in ledger.issues), "an issue created twice or not at all"
        steps: dict[str, Counter[str]] = {issue_id: Counter() for issue_id in ledger.assigned}
        for e in events:
            issue = e["data"].get("issue")
            if e["type"].startswith("issue.") and issue and issue["id"] in steps:
                steps[issue["id"]][e["type"]] += 1
        for issue_id, counted in steps.items():
            assert counted["issue.created"] == counted["issue.assigned"] == 1, counted
            if issue_id in ledger.closed:
                assert counted["issue.accepted"] == counted["issue.completion_submitted"] == 1, counted
                assert counted["issue.closed"] == 1, counted
        reported = Counter(e["data"]["progress"]["content"] for e in events if e["type"] == "issue.progress_reported")
        for content, acknowledged in ledger.progress.items():
            assert reported[content] == 1 if acknowledged else reported[content] <= 1, content
        submitted = Counter(e["data"]["intake"]["title"] for e in events if e["type"] == "intake.submitted")
        assert all(submitted[title] == 1 for title in ledger.submissions), "a submission lost or twice"
        for title, code in ledger.submissions.items():
            tracked = await client.get(f"/api/v1/public/submissions/{code}")
            assert tracked.status_code == 200, (title, tracked.text)

        # Every assignment told each of its unit's staff once (one inbox message per event and person).
        assignments = {e["id"]: e["data"]["issue"] for e in events if e["type"] == "issue.assigned"}
        ours = {event_id: issue for event_id, issue in assignments.items() if issue["id"] in steps}
        expected = {
            f"evt:{event_id}:{user_id}"
            for event_id, issue in ours.items()
            for user_id in world.unit_users[issue["lead_unit_id"]]
        }
        notify_url = stack.env["NOTIFY_DATABASE_URL"]

        told: set[str] = set()

        async def all_told() -> list[tuple[str, str, str, str]] | None:
            rows = await notifications_of(notify_url, list(steps))
            told.update(row[0] for row in rows)
            return rows if expected <= told else None

        try:
            rows = await until(all_told, within=120)
        except AssertionError:
            raise AssertionError(f"never told: {sorted(expected - told)}") from None
        about = Counter((user_id, kind, issue_id) for _, user_id, kind, issue_id in rows)
        assert max(about.values()) == 1, [key for key, n in about.items() if n > 1]

        # report-api, once it has read the feed to its head, counts what issues-api holds.
        head = events[-1]["seq"]

        async def caught_up() -> dict[str, Any] | None:
            answer = await client.get(
                "/api/v1/reports/summary", params={"campaign_id": world.campaign_id}, headers=world.office
            )
            body: dict[str, Any] = answer.json()
            return body if answer.status_code == 200 and body["as_of_seq"] >= head else None

        figures = await until(caught_up, within=120)

        async def ledger_total(**filters: str) -> int:
            params = {"campaign_id": world.campaign_id, "limit": "1", **filters}
            return int((await client.get("/api/v1/issues", params=params, headers=world.office)).json()["total"])

        assert figures["total"] == await ledger_total()
        assert figures["closed"] == await ledger_total(status="closed")
        assert figures["open"] == await ledger_total(open="true")
        audit = await client.get("/api/v1/audit/verify", headers=world.admin)
        assert audit.json()["ok"] is True, audit.text


# --- a clean stop under load --------------------------------------------------------------------------------------


async def in_progress(client: httpx.AsyncClient, replica: Replica) -> float:
    """The requests the replica is answering now, the scrape asking included."""
    return metric((await client.get(f"{replica.url}/metrics")).text, "http_requests_in_progress")


async def read_to_the_end(lines: AsyncIterator[str]) -> list[str]:
    return [line async for line in lines]


async def test_a_replica_stopped_under_load_answers_what_it_holds_ends_its_streams_and_exits_in_time(
    replicated: Stack, world: World
) -> None:
    """SIGTERM to one replica of each API while they hold long-polls and streams and the gateway sends them load:
    what they hold is answered (200) or ended with the stream's `retry` line, their shutdown hooks run (notify-api's
    loops and broker stop), each exits within 10 s, and no request through the gateway fails meanwhile."""
    stack = replicated
    unit = next(iter(world.units.values()))
    issues, notify, report = (stack.replicas[service][0] for service in ("issues", "notify", "report"))
    stopped_before = {r.name: stack.log(r.service).count("Application shutdown complete") for r in (issues, notify)}
    direct = httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_keepalive_connections=0))
    through = httpx.AsyncClient(base_url=stack.gateway, timeout=60)
    held: list[asyncio.Task[httpx.Response]] = []
    streams: list[asyncio.Task[list[str]]] = []
    answers: Counter[int] = Counter()
    loading = asyncio.Event()
    try:
        # Held on the replicas to be stopped: issues-api's feed long-polls with nothing new to hand out (the load
        # below writes no issue event), and notify-api's live inbox streams.
        feed = f"{issues.url}/api/v1/events"
        head = (await direct.get(feed, params={"limit": 1}, headers=world.admin)).json()["head"]
        for _ in range(3):
            held.append(asyncio.create_task(direct.get(feed, params={"after": head, "wait": 30}, headers=world.admin)))
        for _ in range(2):
            response = await direct.send(
                direct.build_request("GET", f"{notify.url}/api/v1/notifications/stream", headers=unit), stream=True
            )
            lines = response.aiter_lines()
            assert await anext(lines) == "event: unread"
            streams.append(asyncio.create_task(read_to_the_end(lines)))

        async def all_held() -> bool:
            return await in_progress(direct, issues) >= 4 and await in_progress(direct, notify) >= 3

        await until(all_held, within=30)

        async def load(worker: int) -> None:
            requests = [
                ("GET", "/api/v1/issues?limit=20", unit),
                ("GET", "/api/v1/reports/summary", world.office),
                ("GET", "/api/v1/notifications?limit=20", unit),
                ("POST", "/api/v1/notifications/read-all", unit),
                ("GET", "/api/v1/reports/units", world.office),
            ]
            turn = worker
            while loading.is_set():
                method, path, headers = requests[turn % len(requests)]
                answer = await send(through, method, path, headers=headers)
                answers[answer.status_code if answer is not None else 0] += 1
                turn += 1

        loading.set()
        workers = [asyncio.create_task(load(n)) for n in range(4)]

        async def loaded() -> bool:
            return answers.total() >= 20

        await until(loaded, within=60)
        assert not any(task.done() for task in [*held, *streams])
        stopped_at = time.monotonic()
        for replica in (issues, notify, report):
            replica.process.send_signal(signal.SIGTERM)
        exits = await asyncio.gather(
            *(asyncio.to_thread(r.process.wait, 10) for r in (issues, notify, report)), return_exceptions=True
        )
        took = time.monotonic() - stopped_at
        answered = answers.total()

        async def more_after() -> bool:  # the load goes on against the replicas left
            return answers.total() >= answered + 20

        await until(more_after, within=60)
        loading.clear()
        await asyncio.gather(*workers)

        assert all(code in (0, -signal.SIGTERM) for code in exits), exits  # uvicorn re-raises the signal it caught
        assert took < 10, took
        for poll in held:
            answer = await poll
            assert answer.status_code == 200, answer.text
        for stream in streams:
            assert "retry: 1000" in await stream
        for replica in (issues, notify):
            # Their lifespan's shutdown hooks finished: notify-api's stopped its loops and its inbox broker.
            log = stack.log(replica.service)
            assert log.count("Application shutdown complete") == stopped_before[replica.name] + 1, log[-3000:]
        assert set(answers) == {200}, answers
    finally:
        loading.clear()
        for task in [*held, *streams]:
            task.cancel()
        await asyncio.gather(*held, *streams, return_exceptions=True)
        await direct.aclose()
        await through.aclose()
