"""The words a ledger file may use for a source or a kind: the API's codes, or their Chinese names."""

from __future__ import annotations

SOURCES: dict[str, str] = {
    "self_inspection": "自查自纠",
    "inspection": "督导检查",
    "public": "群众反映",
    "assigned": "上级交办",
    "integration": "系统对接",
}
KINDS: dict[str, str] = {"problem": "问题", "task": "任务"}


def code_of(text: str, table: dict[str, str]) -> str:
    """The code a cell names (a code or its Chinese name); the text itself when it is neither (left to fail)."""
    for code, name in table.items():
        if text in (code, name):
            return code
    return text
