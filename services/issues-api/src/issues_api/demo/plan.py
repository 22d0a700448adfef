"""The steps of a demo item's story, in order, before their times and deadlines are known."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any, Literal

from issues_api.demo import texts
from issues_api.demo.stories import Story

Actor = Literal["office", "leader", "unit", "co_unit", "public"]


@dataclass
class Draft:
    action: str
    actor: Actor
    payload: dict[str, Any] = field(default_factory=dict)


def plan(story: Story, rng: random.Random, *, lead: str, co_units: list[str], new_lead: str) -> list[Draft]:
    """The steps of a story, in order, before times and deadlines are known."""
    pick = rng.choice
    steps: list[Draft] = [Draft("create", "office")]
    status = story.status
    if status == "registered" or (status == "cancelled" and story.cancel_after == "registered"):
        if story.urged:
            steps.append(Draft("urge", "office", {"content": pick(texts.URGES)}))
        if story.instructed:
            steps.append(Draft("instruct", "leader", {"content": pick(texts.INSTRUCTIONS)}))
        if status == "cancelled":
            steps.append(Draft("cancel", "office", {"reason": pick(texts.CANCEL_REASONS)}))
        return steps
    steps.append(Draft("assign", "office", {"lead_unit": lead, "co_units": list(co_units)}))
    if story.reassigned or status == "returned":
        code = pick(list(texts.RETURN_REASONS))
        steps.append(Draft("return", "unit", {"reason_code": code, "reason": texts.RETURN_REASONS[code]}))
    if story.reassigned and status != "returned":
        steps.append(Draft("reassign", "office", {"lead_unit": new_lead, "co_units": list(co_units)}))
    if status in {"assigned", "returned"} or (status == "cancelled" and story.cancel_after == "assigned"):
        steps += _extras(story, rng)
        if status == "cancelled":
            steps.append(Draft("cancel", "office", {"reason": pick(texts.CANCEL_REASONS)}))
        return steps
    steps.append(Draft("accept", "unit"))
    steps += [Draft("co_unit_accept", "co_unit", {"unit": unit}) for unit in co_units]
    steps += _progress(rng.randint(1, 2))
    if story.extension:
        reason = pick(texts.EXTENSION_REASONS)
        steps.append(Draft("request_extension", "unit", {"reason": reason}))
        words = texts.EXTENSION_APPROVED if story.extension == "approved" else texts.EXTENSION_DENIED
        steps.append(
            Draft("decide_extension", "office", {"approved": story.extension == "approved", "comment": pick(words)})
        )
    steps += _extras(story, rng)
    steps += _progress(rng.randint(0, 2))
    if status == "cancelled":
        steps.append(Draft("cancel", "office", {"reason": pick(texts.CANCEL_REASONS)}))
        return steps
    return steps + _completion(story, rng, co_units)


def _progress(count: int) -> list[Draft]:
    # Percents are filled in once the item's whole plan is known, so that they rise across it.
    return [Draft("progress", "unit", {"content": ""}) for _ in range(count)]


def _extras(story: Story, rng: random.Random) -> list[Draft]:
    extras: list[Draft] = []
    if story.urged:
        extras.append(Draft("urge", "office", {"content": rng.choice(texts.URGES)}))
    if story.instructed:
        extras.append(Draft("instruct", "leader", {"content": rng.choice(texts.INSTRUCTIONS)}))
    return extras


def _completion(story: Story, rng: random.Random, co_units: list[str]) -> list[Draft]:
    """From in_progress to the story's end: co-units file, the lead submits, the office reviews."""
    pick = rng.choice
    status = story.status
    if status == "in_progress" and not (story.rejected or story.reopened):
        filed = [u for u in co_units if rng.random() < 0.4]
        return [
            Draft("co_unit_contribute", "co_unit", {"unit": u, "content": pick(texts.CO_UNIT_CONTRIBUTIONS)})
            for u in filed
        ]
    steps = [
        Draft("co_unit_contribute", "co_unit", {"unit": u, "content": pick(texts.CO_UNIT_CONTRIBUTIONS)})
        for u in co_units
    ]
    steps.append(Draft("submit_completion", "unit", {"summary": pick(texts.COMPLETION)}))
    if story.rejected:
        steps.append(Draft("reject_completion", "office", {"reason": pick(texts.REJECT_REASONS)}))
        steps += _progress(1)
        if status == "in_progress":
            return steps
        steps.append(Draft("submit_completion", "unit", {"summary": pick(texts.COMPLETION)}))
    if status == "pending_review":
        return steps
    steps.append(Draft("close", "office", {"comment": pick(texts.CLOSE_COMMENTS)}))
    if story.reopened:
        steps.append(Draft("reopen", "office", {"reason": pick(texts.REOPEN_REASONS)}))
        steps += _progress(1)
        if status == "in_progress":
            return steps
        steps.append(Draft("submit_completion", "unit", {"summary": pick(texts.COMPLETION)}))
        steps.append(Draft("close", "office", {"comment": pick(texts.CLOSE_COMMENTS)}))
    return steps
