"""Errors of the meeting reports."""

from __future__ import annotations

from rectify_kit.errors import NotFound


class MeetingNotFound(NotFound):
    code = "meeting-not-found"
    title_zh = "未找到该例会材料"
    title_en = "Meeting report not found"
