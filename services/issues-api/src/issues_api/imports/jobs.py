"""Import jobs: a checked file written in chunks after the upload's answer, each chunk committed with the job's
progress, so the page can show a progress bar (GET /api/v1/issues/import-jobs/{id}).

A chunk commits its rows and its progress together. If the process stops half way, the rows written stay and
the job stops moving (reported as `interrupted`); uploading the file again skips every row already there.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from issues_api.attachments.storage import FileStore
from issues_api.campaigns.models import Campaign
from issues_api.imports.errors import ImportJobNotFound
from issues_api.imports.models import ImportJob
from issues_api.imports.planning import PlannedRow
from issues_api.imports.service import ImportPlan, plan_import, write_rows
from issues_api.imports.sheet import read_sheet
from issues_api.ledger.access import Viewer
from rectify_kit.clock import Clock
from rectify_kit.db import Database

log = logging.getLogger(__name__)

CHUNK_ROWS = 250
# A running job that has not moved for this long lost its process.
STALLED_AFTER = timedelta(minutes=2)


async def start_job(
    session: AsyncSession, *, plan: ImportPlan, filename: str, sha256: str, viewer: Viewer, clock: Clock
) -> ImportJob:
    """Record a job for a checked file (no row errors); `run_job` writes it once this transaction commits."""
    now = clock.now()
    job = ImportJob(
        campaign_id=plan.campaign.id,
        status="running",
        filename=filename,
        file_sha256=sha256,
        total=len(plan.new),
        done=0,
        existing=len(plan.existing),
        created=[],
        created_by=viewer.sub,
        actor=viewer.actor,
        role=viewer.role or "",
        created_at=now,
        updated_at=now,
    )
    session.add(job)
    await session.flush()
    return job


def job_viewer(job: ImportJob) -> Viewer:
    return Viewer(sub=job.created_by, role=job.role, unit_id=job.actor.get("unit_id"), actor=job.actor)


def shown_status(job: ImportJob, clock: Clock) -> str:
    if job.status == "running" and clock.now() - job.updated_at > STALLED_AFTER:
        return "interrupted"
    return job.status


async def get_job(session: AsyncSession, *, job_id: str, viewer: Viewer) -> ImportJob:
    """The job, to the one who started it and to the office; 404 to anyone else."""
    job = await session.get(ImportJob, job_id)
    if job is None or (job.created_by != viewer.sub and viewer.role not in ("office", "admin")):
        raise ImportJobNotFound(f"import job {job_id} not found")
    return job


async def _replan(database: Database, job_id: str, data: bytes, clock: Clock) -> tuple[Campaign, list[PlannedRow]]:
    """The file checked again as the job starts: rows another upload wrote meanwhile are counted as there."""
    async with database.session() as session:
        job = await session.get(ImportJob, job_id)
        campaign = await session.get(Campaign, job.campaign_id) if job else None
        if job is None or campaign is None:
            raise LookupError(job_id)
        plan = await plan_import(session, campaign=campaign, sheet=read_sheet(data), clock=clock)
        if plan.errors:
            raise ValueError(f"{len(plan.errors)} rows no longer pass the checks")
        job.total, job.existing, job.updated_at = len(plan.new), len(plan.existing), clock.now()
        return campaign, plan.new


async def _write_chunk(
    database: Database, *, job_id: str, campaign: Campaign, rows: Sequence[PlannedRow], clock: Clock
) -> None:
    async with database.session() as session:
        job = await session.get(ImportJob, job_id, with_for_update=True)
        if job is None:
            raise LookupError(job_id)
        codes = await write_rows(session, campaign=campaign, rows=rows, viewer=job_viewer(job), clock=clock)
        job.done += len(rows)
        job.created = [*job.created, *codes]
        job.updated_at = clock.now()


async def _finish(database: Database, job_id: str, clock: Clock, error: str | None) -> None:
    async with database.session() as session:
        job = await session.get(ImportJob, job_id)
        if job is not None:
            job.status = "failed" if error else "done"
            job.error = error
            job.updated_at = job.finished_at = clock.now()


async def run_job(database: Database, store: FileStore, *, job_id: str, sha256: str, clock: Clock) -> None:
    """Write the job's rows chunk by chunk; any failure ends it as `failed` with the reason."""
    try:
        campaign, rows = await _replan(database, job_id, await store.get(sha256), clock)
        for start in range(0, len(rows), CHUNK_ROWS):
            await _write_chunk(
                database, job_id=job_id, campaign=campaign, rows=rows[start : start + CHUNK_ROWS], clock=clock
            )
    except Exception as exc:
        log.exception("import job %s failed", job_id)
        await _finish(database, job_id, clock, error=str(exc) or type(exc).__name__)
        return
    await _finish(database, job_id, clock, error=None)
