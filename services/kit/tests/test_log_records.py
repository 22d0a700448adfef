"""A served process (`serving.serve`): its log records leave out what no log line shows, and every line keeps its
fields."""

from __future__ import annotations

import io
import json
import logging

import pytest

from rectify_kit.observability import configure_logging, request_id_var
from rectify_kit.serving import lean_log_records


class TestLeanLogRecords:
    def test_an_access_line_keeps_its_fields_without_the_callers_place_or_the_process(
        self, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        root = logging.getLogger()
        monkeypatch.setattr(root, "handlers", list(root.handlers))
        monkeypatch.setattr(root, "level", root.level)
        for name in ("_srcfile", "logThreads", "logProcesses", "logMultiprocessing"):
            monkeypatch.setattr(logging, name, getattr(logging, name))
        configure_logging(service="gateway", level="INFO", json_logs=True)
        stream = io.StringIO()
        root.handlers[0].setStream(stream)  # type: ignore[attr-defined]
        lean_log_records()
        access = logging.getLogger("uvicorn.access")
        monkeypatch.setattr(access, "level", logging.INFO)  # a served stand-in's uvicorn may have raised it
        monkeypatch.setattr(access, "disabled", False)
        token = request_id_var.set("req-1")
        try:
            access.info('%s - "%s %s HTTP/%s" %d', "10.0.0.1:5", "GET", "/x", "1.1", 200)
        finally:
            request_id_var.reset(token)
        # Stand-in upstreams of other tests may still log from their threads: the line is the one of this request.
        line = next(json.loads(text) for text in stream.getvalue().splitlines() if '"req-1"' in text)
        assert line["message"] == '10.0.0.1:5 - "GET /x HTTP/1.1" 200'
        assert (line["level"], line["name"], line["service"], line["request_id"]) == (
            "INFO",
            "uvicorn.access",
            "gateway",
            "req-1",
        )
        assert line["time"]
        record = logging.LogRecord("x", logging.INFO, "", 0, "m", (), None)
        assert (record.process, record.thread, record.processName) == (None, None, None)
