"""Print the gateway's merged OpenAPI document, built offline: every app created in-process, no server started.

Each service's app is created on settings of a throw-away directory (no database is opened: only the routes
are read), and the documents are merged by the gateway's own code, exactly as `/api/v1/openapi.json` serves
them. `make api-types` turns the output into the SPA's `frontend/src/api/generated/openapi.ts`.

    python scripts/openapi_document.py [OUTPUT.json]
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

from fastapi import FastAPI

import gateway.main
import issues_api.main
import notify_api.main
import report_api.main
from gateway.config import Settings as GatewaySettings
from gateway.docs import gateway_document
from gateway.routing import PREFIXES
from issues_api.config import Settings as IssuesSettings
from notify_api.config import Settings as NotifySettings
from report_api.config import Settings as ReportSettings


def service_apps(var_dir: Path) -> dict[str, FastAPI]:
    """Each upstream's app by the name the gateway routes to, on settings that keep their files in `var_dir`."""
    apps = {
        "issues-api": issues_api.main.create_app(IssuesSettings(var_dir=var_dir)),
        "notify-api": notify_api.main.create_app(NotifySettings(var_dir=var_dir)),
        "report-api": report_api.main.create_app(ReportSettings(var_dir=var_dir)),
    }
    if set(apps) != set(PREFIXES):
        raise SystemExit(f"the gateway routes to {sorted(PREFIXES)}, this script builds {sorted(apps)}")
    return {name: apps[name] for name in PREFIXES}


def merged_document() -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="rectify-openapi-") as var_dir:
        documents = {name: app.openapi() for name, app in service_apps(Path(var_dir)).items()}
        settings = GatewaySettings(var_dir=Path(var_dir))
        own = gateway.main.create_app(settings).openapi()
    return gateway_document(own, documents, missing=[], max_body_bytes=settings.max_body_bytes)


def main(argv: list[str]) -> int:
    text = json.dumps(merged_document(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    if len(argv) > 1:
        Path(argv[1]).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
