"""`python -m issues_api demo`: the demo campaign, its accounts and generated items, replayed into a database once."""

from __future__ import annotations

from datetime import date, datetime, time

from sqlalchemy.ext.asyncio import AsyncSession

from issues_api.campaigns import repository as campaigns_repository
from issues_api.campaigns import service as campaigns_service
from issues_api.campaigns.definition import (
    CampaignDefinition,
    default_definition_path,
    load_definition,
    shift_for_demo,
)
from issues_api.config import Settings
from issues_api.demo.generator import DemoItem, DemoStep, generate_items
from issues_api.directory import repository as directory_repository
from issues_api.directory import service as directory_service
from issues_api.directory.passwords import hash_secret
from issues_api.directory.provisioning import SERVICE_CLIENTS, provision_client, service_scopes
from issues_api.directory.schemas import UserCreate
from issues_api.events.service import SYSTEM_ACTOR
from issues_api.intake import followup as intake_followup
from issues_api.intake import service as intake_service
from issues_api.intake import triage as intake_triage
from issues_api.intake.schemas import AcceptBody, FeedbackCreate, SubmissionCreate
from issues_api.ledger import service as ledger_service
from issues_api.ledger.replay import ReplayStep, replay_steps, replay_viewer
from issues_api.ledger.schemas import IssueCreate
from rectify_kit.clock import BUSINESS_TZ, Clock, FixedClock, SystemClock, business_today
from rectify_kit.db import Database

DEMO_PASSWORD = "demo12345"  # noqa: S105 - the documented password of the demo accounts, demo mode only


def _at_nine(day: date) -> datetime:
    return datetime.combine(day, time(9, 0), BUSINESS_TZ)


async def _demo_users(session: AsyncSession, definition: CampaignDefinition, *, clock: Clock) -> int:
    """admin, office, leader, and one `unit` user per unit (username = unit code), password demo12345."""
    office_unit = await directory_repository.get_unit_by_code(session, "KJT-ZCFG")
    people: list[UserCreate] = [
        UserCreate(username="admin", display_name="系统管理员", role="admin", password=DEMO_PASSWORD),
        UserCreate(
            username="office",
            display_name="领导小组办公室",
            role="office",
            unit_id=office_unit.id if office_unit else None,
            password=DEMO_PASSWORD,
        ),
        UserCreate(username="leader", display_name="领导小组组长", role="leader", password=DEMO_PASSWORD),
    ]
    for unit_def in definition.units:
        unit = await directory_repository.get_unit_by_code(session, unit_def.code)
        if unit is not None:
            people.append(
                UserCreate(
                    username=unit_def.code,
                    display_name=f"{unit_def.name}经办人",
                    role="unit",
                    unit_id=unit.id,
                    password=DEMO_PASSWORD,
                )
            )
    created = 0
    shared_hash: str | None = None
    for person in people:
        if await directory_repository.get_user_by_username(session, person.username) is None:
            shared_hash = shared_hash or hash_secret(DEMO_PASSWORD)
            await directory_service.create_user(
                session, data=person, actor=SYSTEM_ACTOR, clock=clock, password_hash=shared_hash
            )
            created += 1
    return created


class _Replayer:
    """Replays generated items through the intake and ledger services, each step at its own time."""

    def __init__(self, session: AsyncSession, *, campaign_id: str, units: dict[str, str], categories: dict[str, str]):
        self.session = session
        self.campaign_id = campaign_id
        self.units = units
        self.categories = categories

    async def item(self, item: DemoItem) -> None:
        create, rest = item.steps[0], item.steps[1:]
        submission = None
        office = replay_viewer("office", None)
        if item.submission is not None:
            sent = item.submission
            data = SubmissionCreate(
                title=sent.title[:200],
                content=sent.content[:5000],
                city=sent.city,
                enterprise_name=sent.enterprise_name,
            )
            submission, _ = await intake_service.submit(self.session, data=data, clock=FixedClock(sent.submitted_at))
            body = AcceptBody(category_id=self.categories.get(item.category), title=item.title)
            submission = await intake_triage.accept(
                self.session, submission_id=submission.id, data=body, viewer=office, clock=FixedClock(create.at)
            )
            issue_id = submission.issue_id or ""
        else:
            issue = await ledger_service.create_issue(
                self.session, data=self._issue_create(create), actor=office.actor, clock=FixedClock(create.at)
            )
            issue_id = issue.id
        pending: list[ReplayStep] = []
        lead: str | None = None
        for step in rest:
            if step.action == "feedback" and submission is not None:
                await replay_steps(self.session, issue_id=issue_id, steps_=pending)
                pending = []
                rating = FeedbackCreate(satisfied=step.payload["satisfied"], rating=step.payload["rating"])
                await intake_followup.give_feedback(
                    self.session, submission=submission, data=rating, clock=FixedClock(step.at)
                )
                continue
            if step.action in {"assign", "reassign"}:
                lead = self.units[step.payload["lead_unit"]]
            pending.append(self._replay_step(step, lead))
        await replay_steps(self.session, issue_id=issue_id, steps_=pending)

    def _issue_create(self, step: DemoStep) -> IssueCreate:
        p = step.payload
        return IssueCreate(
            campaign_id=self.campaign_id,
            title=p["title"],
            description=p["description"],
            kind=p.get("kind", "problem"),
            source=p["source"],
            category_id=self.categories.get(p.get("category", "")),
            cause=p.get("cause"),
            measures=p.get("measures"),
            city=p.get("city"),
        )

    def _replay_step(self, step: DemoStep, lead: str | None) -> ReplayStep:
        body = dict(step.payload)
        if step.action in {"assign", "reassign"}:
            body = {
                "lead_unit_id": self.units[body["lead_unit"]],
                "co_unit_ids": [self.units[c] for c in body["co_units"]],
                "deadline": body["deadline"],
                "requirements": body.get("requirements"),
            }
        if step.actor == "co_unit":
            unit_id = self.units[body.pop("unit")]
            return ReplayStep(step.action, "unit", step.at, body, unit_id=unit_id, target_unit_id=unit_id)
        if step.actor == "unit":
            return ReplayStep(step.action, "unit", step.at, body, unit_id=lead)
        return ReplayStep(step.action, step.actor, step.at, body)


async def load_demo(database: Database, settings: Settings, *, definition_file: bytes, items: int) -> bool:
    """Load the demo once per database: the shifted campaign, demo users, generated items, service clients.

    Returns False (and changes nothing but the service clients) when the campaign is already there.
    """
    clock = SystemClock()
    today = business_today(clock)
    definition = shift_for_demo(load_definition(definition_file), today)
    async with database.session() as session:
        for client_id in SERVICE_CLIENTS:
            await provision_client(
                session,
                settings,
                client_id=client_id,
                scopes=service_scopes(client_id),
                clock=clock,
                rotate=False,
            )
        if await campaigns_repository.get_by_code(session, definition.campaign.code) is not None:
            return False
        start = FixedClock(_at_nine(definition.concentrated_phase.starts_on))
        result = await campaigns_service.import_definition(
            session, definition=definition, actor=SYSTEM_ACTOR, clock=start
        )
        await _demo_users(session, definition, clock=start)
        units = {u.code: (await directory_repository.get_unit_by_code(session, u.code)) for u in definition.units}
        replayer = _Replayer(
            session,
            campaign_id=result.campaign.id,
            units={code: unit.id for code, unit in units.items() if unit is not None},
            categories={c.code: c.id for c in result.campaign.categories},
        )
        for item in generate_items(definition, count=items, today=today):
            await replayer.item(item)
    return True


async def run_demo(settings: Settings) -> bool:
    """`demo`: `load_demo` with the configured definition file and number of items, on the configured database."""
    definition_file = default_definition_path(settings.demo_definition).read_bytes()
    database = Database(settings.resolved_database_url())
    try:
        return await load_demo(database, settings, definition_file=definition_file, items=settings.demo_items)
    finally:
        await database.dispose()
