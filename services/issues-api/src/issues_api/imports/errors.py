"""Errors of ledger imports."""

from __future__ import annotations

from rectify_kit.errors import Conflict, NotFound, Unprocessable


class ImportRejected(Unprocessable):
    """A file with row errors writes nothing; `rows` lists them all."""

    code, title_zh, title_en = (
        "import-rejected",
        "台账有错误行，未导入任何事项",
        "The ledger has row errors; nothing was imported",
    )


class UnreadableFile(Unprocessable):
    code, title_zh, title_en = "unreadable-ledger", "无法读取台账文件", "The ledger file cannot be read"


class CampaignRequired(Unprocessable):
    """Neither the request, nor the file, nor a single running campaign says which campaign the rows belong to."""

    code, title_zh, title_en = "campaign-required", "请指定专项行动", "Say which campaign the ledger belongs to"


class ImportConflict(Conflict):
    code, title_zh, title_en = (
        "import-conflict",
        "另一次导入同时写入了相同的行，请重新上传",
        "Another import wrote the same rows at the same time; upload again",
    )


class ImportJobNotFound(NotFound):
    code, title_zh, title_en = "import-job-not-found", "导入任务不存在", "Import job not found"
