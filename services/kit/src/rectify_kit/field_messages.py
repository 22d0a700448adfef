"""Field errors in the reader's language: pydantic's messages in Chinese, and errors that carry both languages.

pydantic writes its messages in English only; a `zh-CN` reader gets them from the table below by the error's
`type` (its `ctx` filling the blanks), English readers keep pydantic's own words. A domain error names a field
in both languages with `field_error(field, zh, en)`; the renderer keeps the reader's one as `message`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

_ZH: dict[str, str] = {
    "missing": "必填",
    "extra_forbidden": "不允许的字段",
    "string_type": "应为文本",
    "string_too_short": "至少 {min_length} 个字符",
    "string_too_long": "最多 {max_length} 个字符",
    "string_pattern_mismatch": "格式不符合要求",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "greater_than": "应大于 {gt}",
    "greater_than_equal": "应不小于 {ge}",
    "less_than": "应小于 {lt}",
    "less_than_equal": "应不大于 {le}",
    "literal_error": "应为以下之一：{expected}",
    "enum": "应为以下之一：{expected}",
    "date_type": "应为日期（YYYY-MM-DD）",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "date_from_datetime_inexact": "应为日期（YYYY-MM-DD），不带时刻",
    "datetime_type": "应为时间（ISO 8601）",
    "datetime_parsing": "应为时间（ISO 8601）",
    "datetime_from_date_parsing": "应为时间（ISO 8601）",
    "timezone_aware": "时间须带时区",
    "list_type": "应为列表",
    "too_short": "至少 {min_length} 项",
    "too_long": "最多 {max_length} 项",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "model_attributes_type": "应为对象",
    "json_invalid": "JSON 格式错误",
    "json_type": "应为 JSON",
    "uuid_type": "应为 UUID",
    "uuid_parsing": "应为 UUID",
    "url_type": "应为网址",
    "url_parsing": "应为网址",
    "url_scheme": "网址协议应为：{expected_schemes}",
    "value_error": "取值无效：{error}",
    "assertion_error": "取值无效：{error}",
}


def zh_message(error: Mapping[str, Any]) -> str:
    """The Chinese message of one pydantic error (its English one, prefixed, when the type is not known)."""
    template = _ZH.get(str(error.get("type", "")))
    if template is None:
        return f"取值无效：{error.get('msg', '')}"
    try:
        return template.format(**dict(error.get("ctx") or {}))
    except (KeyError, IndexError, ValueError):
        return f"取值无效：{error.get('msg', '')}"


def field_error(field: str, zh: str, en: str) -> dict[str, str]:
    """A field error of a domain rule, in both languages (the renderer keeps the reader's one)."""
    return {"field": field, "message_zh": zh, "message_en": en}


def localize(errors: Iterable[Mapping[str, Any]], *, english: bool) -> list[dict[str, Any]]:
    """`errors` with every bilingual entry reduced to the reader's `message`."""
    result = []
    for error in errors:
        entry = dict(error)
        zh, en = entry.pop("message_zh", None), entry.pop("message_en", None)
        if zh is not None or en is not None:
            entry["message"] = (en or zh) if english else (zh or en)
        result.append(entry)
    return result
