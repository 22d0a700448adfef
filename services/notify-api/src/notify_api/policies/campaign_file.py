"""The escalation policy a campaign definition file carries, as notify-api reads it from `campaign.*` events:
`escalation_policy` ("default", "inline" or another name) and, when inline, `escalation_steps`."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from notify_api.policies.schemas import EscalationPolicy

INLINE = "inline"
DEFAULT = "default"
# The file may name a webhook channel; notify-api sends webhooks to subscriptions by event type, not per step.
_NOT_STEP_CHANNELS = frozenset({"webhook"})


@dataclass(frozen=True)
class FilePolicy:
    name: str
    steps: Any  # the file's raw `escalation_steps` (None when it names a policy)
    digest: str


def read(campaign: Mapping[str, Any]) -> FilePolicy:
    """The file's policy and a digest of it, to tell a changed one from a repeated one."""
    steps = campaign.get("escalation_steps")
    name = campaign.get("escalation_policy")
    name = str(name) if name else (INLINE if steps is not None else DEFAULT)
    canonical = json.dumps({"policy": name, "steps": steps}, sort_keys=True, ensure_ascii=False, default=str)
    return FilePolicy(name=name, steps=steps, digest=hashlib.sha256(canonical.encode()).hexdigest())


def step_code(anchor: str, offset_wd: int) -> str:
    """A stable code from the moment and the offset (`T+3`, `T-1`, `assigned+2`): firings are keyed by step
    code, so a step kept across a file change, or shared with the default policy, does not fire again."""
    return f"{'T' if anchor == 'deadline' else anchor}{offset_wd:+d}"


def to_policy(steps: Any) -> EscalationPolicy:
    """notify-api's policy of inline steps ({anchor, offset_wd, level, recipients, channels}); raises ValueError
    when they are not a valid policy here. Every step also goes to the inbox (a rule of notify-api's policies);
    two steps at the same moment are told apart by level (`T+3-L2`)."""
    if not isinstance(steps, list) or not all(isinstance(s, Mapping) for s in steps):
        raise ValueError("escalation_steps is not a list of steps")
    bases = [step_code(str(s.get("anchor", "deadline")), _int(s.get("offset_wd"))) for s in steps]
    repeated = {code for code, n in Counter(bases).items() if n > 1}
    mapped: list[dict[str, Any]] = []
    for base, step in zip(bases, steps, strict=True):
        channels = [c for c in step.get("channels") or [] if c not in _NOT_STEP_CHANNELS and c != "inbox"]
        mapped.append(
            {
                "code": f"{base}-L{step.get('level')}" if base in repeated else base,
                "anchor": step.get("anchor", "deadline"),
                "offset_wd": step.get("offset_wd"),
                "level": step.get("level"),
                "recipients": step.get("recipients"),
                "channels": ["inbox", *dict.fromkeys(channels)],
            }
        )
    try:
        return EscalationPolicy.model_validate({"steps": mapped})
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ValueError(problems) from exc


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0
