"""Errors of the public intake."""

from __future__ import annotations

from rectify_kit.errors import Conflict, NotFound


class SubmissionNotFound(NotFound):
    code, title_zh, title_en = "submission-not-found", "未找到该诉求", "Submission not found"


class AlreadyDecided(Conflict):
    code, title_zh, title_en = "submission-already-decided", "该诉求已处理", "Submission already decided"


class FeedbackNotOpen(Conflict):
    code, title_zh, title_en = "feedback-not-open", "办结后方可评价", "Feedback is possible once the matter is closed"
