"""Errors of campaigns."""

from __future__ import annotations

from issues_api.campaigns.definition import DefinitionError
from rectify_kit.errors import Conflict, NotFound, Unprocessable


class CampaignNotFound(NotFound):
    code, title_zh, title_en = "campaign-not-found", "专项行动不存在", "Campaign not found"


class CampaignCodeTaken(Conflict):
    code, title_zh, title_en = "campaign-code-taken", "专项行动编码已存在", "Campaign code already exists"


class InvalidDefinition(Unprocessable):
    code, title_zh, title_en = "invalid-campaign-definition", "专项行动定义文件有误", "Invalid campaign definition"

    @classmethod
    def of(cls, error: DefinitionError) -> InvalidDefinition:
        return cls(str(error), errors=[{"field": p.field, "message": p.message} for p in error.problems])


class NoExportableDefinition(NotFound):
    code, title_zh, title_en = "campaign-definition-missing", "该专项行动没有定义文件", "Campaign has no definition"
