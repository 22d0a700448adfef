"""Errors of attachment uploads and downloads."""

from __future__ import annotations

from rectify_kit.errors import NotFound, PayloadTooLarge, ProblemError


class AttachmentTooLarge(PayloadTooLarge):
    code, title_zh, title_en = "attachment-too-large", "附件超过大小限制", "Attachment too large"


class AttachmentTypeRefused(ProblemError):
    status, code, title_zh, title_en = 415, "attachment-type-refused", "不支持的附件类型", "File type not allowed"


class AttachmentNotFound(NotFound):
    code, title_zh, title_en = "attachment-not-found", "附件不存在", "Attachment not found"
