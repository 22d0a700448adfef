"""Triage hints: the open issues a submission most likely repeats (same category, similar text).

Chinese has no spaces, so texts are compared as sets of character bigrams (Latin words count as single
tokens); the score is the Dice coefficient, the title weighted twice. Enough to rank a few hundred or a few
thousand candidates in one request; the office decides.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from issues_api.intake import repository
from issues_api.intake.models import Submission
from issues_api.intake.schemas import SimilarIssue

SUGGESTIONS = 5
_WORD = re.compile(r"[a-z0-9]+|[^\sa-z0-9\W]", re.UNICODE)


def tokens(text: str) -> frozenset[str]:
    """Character bigrams of each run of Han (or other) letters, whole Latin words and numbers."""
    parts = _WORD.findall(unicodedata.normalize("NFKC", text).casefold())
    grams = {p for p in parts if len(p) > 1}
    singles = [p for p in parts if len(p) == 1]
    grams.update(a + b for a, b in itertools.pairwise(singles))
    return frozenset(grams or singles)


def dice(a: frozenset[str], b: frozenset[str]) -> float:
    return 2 * len(a & b) / (len(a) + len(b)) if a and b else 0.0


def score(submission: Submission, candidate: Any) -> float:
    title = dice(tokens(submission.title), tokens(candidate.title))
    body = dice(tokens(f"{submission.title}{submission.content}"), tokens(f"{candidate.title}{candidate.description}"))
    return round((2 * title + body) / 3, 4)


async def similar_issues(session: AsyncSession, *, submission: Submission) -> Sequence[SimilarIssue]:
    """The five open issues most like the submission, of its category when it has one; none scoring 0."""
    candidates = await repository.similar_candidates(session, category_id=submission.category_id)
    scored = sorted(((score(submission, c), c) for c in candidates), key=lambda pair: pair[0], reverse=True)
    return [
        SimilarIssue(
            id=c.id,
            code=c.code,
            title=c.title,
            status=c.status,
            category_id=c.category_id,
            lead_unit_id=c.lead_unit_id,
            deadline=c.deadline,
            score=s,
        )
        for s, c in scored[:SUGGESTIONS]
        if s > 0
    ]
