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
        "returned": (
            "【退回】" + _ISSUE,
            "责任单位退回了" + _ISSUE + "{% if reason %}：{{ reason | clause }}{% endif %}，请重新交办。",
        ),
        "completion_submitted": ("【待审核】" + _ISSUE, _ISSUE + "已提交整改完成，请审核销号。"),
        "sent_back": (
            "【退回修改】" + _ISSUE,
            "办公室退回了本单位自查填报的"
            + _ISSUE
            + "{% if reason %}：{{ reason | clause }}{% endif %}，请修改后重新提交。",
        ),
        "completion_rejected": (
            "【审核未通过】" + _ISSUE,
            _ISSUE + "未通过审核{% if reason %}：{{ reason | clause }}{% endif %}，请继续整改。",
        ),
        "extension_requested": (
            "【延期申请】" + _ISSUE,
            "申请延期至 {{ new_deadline }}{% if reason %}：{{ reason | clause }}{% endif %}，请审批。",
        ),
        "extension_decided": (
            "【延期审批】" + _ISSUE,
            "延期申请{% if approved %}已批准，新的整改时限 {{ issue.deadline }}{% else %}未获批准，"
            "整改时限仍为 {{ issue.deadline }}{% endif %}。",
        ),
        "urged": ("【催办】" + _ISSUE, "{{ content }}"),
        "instructed": ("【领导批示】" + _ISSUE, "{{ content }}"),
        "reopened": (
            "【重新整改】" + _ISSUE,
            _ISSUE + "已重新打开{% if reason %}：{{ reason | clause }}{% endif %}，整改时限 {{ issue.deadline }}。",
        ),
        "responsible_named": (
            "【责任人】" + _ISSUE,
            "您已被指定为" + _ISSUE + "的责任人，整改时限 {{ issue.deadline or '未设定' }}。查看：{{ link }}",
        ),
        "subtask_assigned": (
            "【子任务】" + _ISSUE,
            "您有一项新的子任务“{{ subtask.title }}”（" + _ISSUE + "），完成时限 {{ subtask.deadline }}。"
            "查看：{{ link }}",
        ),
        "subtask_deadline_changed": (
            "【子任务时限调整】" + _ISSUE,
            "您的子任务“{{ subtask.title }}”（" + _ISSUE + "）完成时限调整为 {{ subtask.deadline }}。查看：{{ link }}",
        ),
        "responsible_replaced": (
            "【责任人变更】" + _ISSUE,
            "您已不再是" + _ISSUE + "的责任人{% if successor %}，改由{{ successor }}负责{% endif %}。查看：{{ link }}",
        ),
        "subtask_reassigned": (
            "【子任务转交】" + _ISSUE,
            "您的子任务“{{ subtask.title }}”（" + _ISSUE + "）已转交{{ successor or '他人' }}，您无需再办理。"
            "查看：{{ link }}",
        ),
        "intake_submitted": ("【新诉求】{{ title }}", "收到新的群众和企业诉求，请分类受理。"),
        "escalation": (
            "【{{ level_name }}】{% if number %}{{ number }} {% endif %}" + _ISSUE,
            "{{ level_name }}：" + _ISSUE + "{% if step_label %}{{ step_label }}，{% endif %}"
            "整改时限 {{ issue.deadline or '未设定' }}"
            "{% if overdue_days > 0 %}，已逾期 {{ overdue_days }} 个工作日"
            "{% elif days_left == 0 %}，今日到期{% elif days_left %}，还剩 {{ days_left }} 个工作日{% endif %}"
            "，请抓紧办理。"
            "{% if number %}请在系统中签收 {{ number }}。{% endif %}",
        ),
        "digest": ("【每日汇总】{{ count }} 条提醒", "{% for line in lines %}- {{ line }}\n{% endfor %}"),
        "calendar_missing": ("【系统提醒】{{ year }} 年节假日安排缺失", "请管理员录入 {{ year }} 年的节假日安排。"),
        "submitter_accepted": ("【整改台账】", "您反映的“{{ title }}”已受理。查看进度：{{ link }}"),
        "submitter_assigned": (
            "【整改台账】",
            "您反映的“{{ title }}”已交{{ unit or '责任单位' }}办理"
            "{% if deadline %}，预计 {{ deadline }} 前办结{% endif %}。查看进度：{{ link }}",
        ),
        "submitter_closed": ("【整改台账】", "您反映的“{{ title }}”已办结。查看结果：{{ link }}"),
        "submitter_replied": (
            "【整改台账】",
            "您反映的“{{ title }}”有新的答复{% if content %}：{{ content | clause }}{% endif %}。查看：{{ link }}",
        ),
        "submitter_feedback": (
            "【回访】",
            "您反映的“{{ title }}”已办结，请对办理结果作出评价：{{ link }}",
        ),
    },
    "en": {
        "assigned": (
            "[Assignment] " + _ISSUE_EN,
            "Please handle " + _ISSUE_EN + " by {{ issue.deadline }}.{% if role == 'co_unit' %} (co-unit){% endif %}",
        ),
        "returned": (
            "[Returned] " + _ISSUE_EN,
            "The unit returned " + _ISSUE_EN + "{% if reason %}: {{ reason | clause }}{% endif %}. Please reassign.",
        ),
        "completion_submitted": ("[Review] " + _ISSUE_EN, _ISSUE_EN + " is complete and waits for your review."),
        "sent_back": (
            "[Sent back] " + _ISSUE_EN,
            "The office sent back your self-inspection item "
            + _ISSUE_EN
            + "{% if reason %}: {{ reason | clause }}{% endif %}. Please revise and submit it again.",
        ),
        "completion_rejected": (
            "[Not accepted] " + _ISSUE_EN,
            _ISSUE_EN + " was sent back{% if reason %}: {{ reason | clause }}{% endif %}.",
        ),
        "extension_requested": (
            "[Extension] " + _ISSUE_EN,
            "Extension to {{ new_deadline }} asked{% if reason %}: {{ reason | clause }}{% endif %}.",
        ),
        "extension_decided": (
            "[Extension decision] " + _ISSUE_EN,
            "The extension was {% if approved %}approved{% else %}denied{% endif %}; "
            "the deadline is {{ issue.deadline }}.",
        ),
        "urged": ("[Urge] " + _ISSUE_EN, "{{ content }}"),
        "instructed": ("[Instruction] " + _ISSUE_EN, "{{ content }}"),
        "reopened": (
            "[Reopened] " + _ISSUE_EN,
            _ISSUE_EN + " was reopened{% if reason %}: {{ reason | clause }}{% endif %}.",
        ),
        "responsible_named": (
            "[Responsible] " + _ISSUE_EN,
            "You were named the person responsible for " + _ISSUE_EN + ", deadline {{ issue.deadline or 'not set' }}. "
            "Open it: {{ link }}",
        ),
        "subtask_assigned": (
            "[Sub-task] " + _ISSUE_EN,
            "A sub-task of " + _ISSUE_EN + ' was given to you: "{{ subtask.title }}", due {{ subtask.deadline }}. '
            "Open it: {{ link }}",
        ),
        "subtask_deadline_changed": (
            "[Sub-task deadline] " + _ISSUE_EN,
            'Your sub-task "{{ subtask.title }}" of ' + _ISSUE_EN + " is now due {{ subtask.deadline }}. "
            "Open it: {{ link }}",
        ),
        "responsible_replaced": (
            "[Responsible changed] " + _ISSUE_EN,
            "You are no longer the person responsible for " + _ISSUE_EN + "{% if successor %}; "
            "{{ successor }} is{% endif %}. Open it: {{ link }}",
        ),
        "subtask_reassigned": (
            "[Sub-task moved] " + _ISSUE_EN,
            'Your sub-task "{{ subtask.title }}" of ' + _ISSUE_EN + " was given to {{ successor or 'someone else' }}"
            " and is no longer yours. Open it: {{ link }}",
        ),
        "intake_submitted": ("[New submission] {{ title }}", "A new submission waits for triage."),
        "escalation": (
            "[{{ level_name_en }}] {% if number %}{{ number }} {% endif %}" + _ISSUE_EN,
            "{{ level_name_en }}: " + _ISSUE_EN + "{% if step_label_en %}, {{ step_label_en }}{% endif %}"
            ", deadline {{ issue.deadline or 'not set' }}"
            "{% if overdue_days > 0 %}, {{ overdue_days }} working days overdue"
            "{% elif days_left == 0 %}, due today{% elif days_left %}, {{ days_left }} working days left{% endif %}."
            "{% if number %} Please acknowledge {{ number }}.{% endif %}",
        ),
        "digest": ("[Daily digest] {{ count }} reminders", "{% for line in lines %}- {{ line }}\n{% endfor %}"),
        "calendar_missing": (
            "[System] calendar {{ year }} missing",
            "Please enter the official calendar of {{ year }}.",
        ),
        "submitter_accepted": ("[Rectify]", 'Your submission "{{ title }}" was accepted. Track it: {{ link }}'),
        "submitter_assigned": (
            "[Rectify]",
            "Your submission \"{{ title }}\" went to {{ unit or 'the responsible unit' }}"
            "{% if deadline %}, expected by {{ deadline }}{% endif %}. Track it: {{ link }}",
        ),
        "submitter_closed": ("[Rectify]", 'Your submission "{{ title }}" was closed. See the result: {{ link }}'),
        "submitter_replied": (
            "[Rectify]",
            'Your submission "{{ title }}" has a new reply{% if content %}: {{ content | clause }}{% endif %}. '
            "See: {{ link }}",
        ),
        "submitter_feedback": (
            "[Feedback]",
            'Your submission "{{ title }}" was closed: please rate the result at {{ link }}',
        ),
    },
}


def clause(text: object) -> str:
    """Text that another clause follows: without the full stop (or other closing mark) it may end with, so that
    "…办理。" and "，请重新交办。" join as "…办理，请重新交办。"."""
    return str(text).strip().rstrip("。．.，,；;：:！!？? \t\n")


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
_env.filters["clause"] = clause


def locale_of(value: str | None) -> str:
    return "en" if (value or "").lower().startswith("en") else "zh-CN"


def render(kind: str, locale: str | None, context: dict[str, Any]) -> tuple[str, str]:
    """(title, body) of a message of `kind` in the user's locale (Chinese unless English is asked)."""
    loc = locale_of(locale)
    title = _env.get_template(f"{loc}/{kind}/title").render(context)
    body = _env.get_template(f"{loc}/{kind}/body").render(context)
    return title.strip(), body.strip()
