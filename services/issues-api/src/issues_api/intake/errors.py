"""Errors of the public intake."""

from __future__ import annotations

from rectify_kit.errors import Conflict, Forbidden, NotFound


class SubmissionNotFound(NotFound):
    code, title_zh, title_en = "submission-not-found", "未找到该诉求", "Submission not found"


class AlreadyDecided(Conflict):
    code, title_zh, title_en = "submission-already-decided", "该诉求已处理", "Submission already decided"


class FeedbackNotOpen(Conflict):
    code, title_zh, title_en = "feedback-not-open", "办结后方可评价", "Feedback is possible once the matter is closed"


class AppealNotOpen(Conflict):
    code, title_zh, title_en = "appeal-not-open", "当前不可申诉", "No appeal is open"


class NotInFollowupQueue(Conflict):
    code, title_zh, title_en = "not-in-followup-queue", "该诉求不在不满意待处理中", "Not waiting in the follow-up queue"


class RevealRefused(Forbidden):
    code, title_zh, title_en = "reveal-refused", "手机号后四位不符", "Those are not the last four digits"


class NoPublicSubmission(NotFound):
    code, title_zh, title_en = "no-public-submission", "此问题没有关联的公众诉求", "No public submission is linked"
