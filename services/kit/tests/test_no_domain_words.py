"""The kit is infrastructure: a domain word in it means the code belongs in a service."""

from __future__ import annotations

import re
from pathlib import Path

import rectify_kit

DOMAIN_WORDS = re.compile(r"\b(issues?|notifications?|reports?|escalations?|campaigns?|intake)\b", re.IGNORECASE)


def test_kit_source_has_no_domain_words() -> None:
    root = Path(rectify_kit.__file__).parent
    offending = [
        f"{path.name}:{number}: {line.strip()}"
        for path in sorted(root.glob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if DOMAIN_WORDS.search(line)
    ]
    assert offending == []
