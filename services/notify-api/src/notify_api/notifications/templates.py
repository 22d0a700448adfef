"""Message texts, Chinese by default and English on request, from templates keyed by kind."""

from __future__ import annotations

from typing import Any

from jinja2 import DictLoader, Environment, StrictUndefined

_ISSUE = "{{ issue.code }}《{{ issue.title }}》"
_ISSUE_EN = '{{ issue.code }} "{{ issue.title }}"'

TEMPLATES: dict[str, dict[str, tuple[str, str]]] = {
    "zh-CN": {
        "assigned": (
            "【交办通知】" + _ISSUE,
            "请按要求办理" + _ISSUE + "，整改时限 {{ issue.deadline }}。{% if role == 'co_unit' %}（协办）{% endif %}",
        ),
        "returned": ("【退回】" + _ISSUE, "责任单位退回了" + _ISSUE + "：{{ reason }}，请重新交办。"),
        "completion_submitted": ("【待审核】" + _ISSUE, _ISSUE + "已提交整改完成，请审核销号。"),
        "completion_rejected": ("【审核未通过】" + _ISSUE, _ISSUE + "未通过审核：{{ reason }}，请继续整改。"),
        "extension_requested": ("【延期申请】" + _ISSUE, "申请延期至 {{ new_deadline }}：{{ reason }}，请审批。"),
        "extension_decided": (
            "【延期审批】" + _ISSUE,
            "延期申请{% if approved %}已批准，新的整改时限 {{ issue.deadline }}{% else %}未获批准，"
            "整改时限仍为 {{ issue.deadline }}{% endif %}。",
        ),
        "urged": ("【催办】" + _ISSUE, "{{ content }}"),
        "instructed": ("【领导批示】" + _ISSUE, "{{ content }}"),
        "reopened": ("【重新整改】" + _ISSUE, _ISSUE + "已重新打开：{{ reason }}，整改时限 {{ issue.deadline }}。"),
        "intake_submitted": ("【新诉求】{{ title }}", "收到新的群众和企业诉求，请分类受理。"),
        "escalation": (
            "【{{ level_name }}】{% if number %}{{ number }} {% endif %}" + _ISSUE,
            "{{ level_name }}：" + _ISSUE + "整改时限 {{ issue.deadline or '未设定' }}，"
            "{% if overdue_days > 0 %}已逾期 {{ overdue_days }} 个工作日{% else %}请抓紧办理{% endif %}。"
            "{% if number %}请在系统中签收 {{ number }}。{% endif %}",
        ),
        "digest": ("【每日汇总】{{ count }} 条提醒", "{% for line in lines %}- {{ line }}\n{% endfor %}"),
        "calendar_missing": ("【系统提醒】{{ year }} 年节假日安排缺失", "请管理员录入 {{ year }} 年的节假日安排。"),
    },
    "en": {
        "assigned": (
            "[Assignment] " + _ISSUE_EN,
            "Please handle " + _ISSUE_EN + " by {{ issue.deadline }}.{% if role == 'co_unit' %} (co-unit){% endif %}",
        ),
        "returned": ("[Returned] " + _ISSUE_EN, "The unit returned " + _ISSUE_EN + ": {{ reason }}. Please reassign."),
        "completion_submitted": ("[Review] " + _ISSUE_EN, _ISSUE_EN + " is complete and waits for your review."),
        "completion_rejected": ("[Not accepted] " + _ISSUE_EN, _ISSUE_EN + " was sent back: {{ reason }}."),
        "extension_requested": ("[Extension] " + _ISSUE_EN, "Extension to {{ new_deadline }} asked: {{ reason }}."),
        "extension_decided": (
            "[Extension decision] " + _ISSUE_EN,
            "The extension was {% if approved %}approved{% else %}denied{% endif %}; "
            "the deadline is {{ issue.deadline }}.",
        ),
        "urged": ("[Urge] " + _ISSUE_EN, "{{ content }}"),
        "instructed": ("[Instruction] " + _ISSUE_EN, "{{ content }}"),
        "reopened": ("[Reopened] " + _ISSUE_EN, _ISSUE_EN + " was reopened: {{ reason }}."),
        "intake_submitted": ("[New submission] {{ title }}", "A new submission waits for triage."),
        "escalation": (
            "[{{ level_name_en }}] {% if number %}{{ number }} {% endif %}" + _ISSUE_EN,
            "{{ level_name_en }}: " + _ISSUE_EN + ", deadline {{ issue.deadline or 'not set' }}"
            "{% if overdue_days > 0 %}, {{ overdue_days }} working days overdue{% endif %}."
            "{% if number %} Please acknowledge {{ number }}.{% endif %}",
        ),
        "digest": ("[Daily digest] {{ count }} reminders", "{% for line in lines %}- {{ line }}\n{% endfor %}"),
        "calendar_missing": (
            "[System] calendar {{ year }} missing",
            "Please enter the official calendar of {{ year }}.",
        ),
    },
}

_env = Environment(
    loader=DictLoader(
        {
            f"{loc}/{kind}/{part}": text
            for loc, kinds in TEMPLATES.items()
            for kind, pair in kinds.items()
            for part, text in zip(("title", "body"), pair, strict=True)
        }
    ),
    undefined=StrictUndefined,
    autoescape=False,  # noqa: S701 - plain-text messages, never rendered as HTML
    keep_trailing_newline=False,
)


def locale_of(value: str | None) -> str:
    return "en" if (value or "").lower().startswith("en") else "zh-CN"


def render(kind: str, locale: str | None, context: dict[str, Any]) -> tuple[str, str]:
    """(title, body) of a message of `kind` in the user's locale (Chinese unless English is asked)."""
    loc = locale_of(locale)
    title = _env.get_template(f"{loc}/{kind}/title").render(context)
    body = _env.get_template(f"{loc}/{kind}/body").render(context)
    return title.strip(), body.strip()
