"""A served process (`serving.serve`): its log records leave out what no log line shows, and every line keeps its
fields."""

from __future__ import annotations

import io
import json
import logging

from rectify_kit.observability import request_id_var


class TestLeanLogRecords:
    def test_an_access_line_keeps_its_fields_without_the_callers_place_or_the_process(
        self, kit_logging: io.StringIO
    ) -> None:
        access = logging.getLogger("uvicorn.access")
        token = request_id_var.set("req-1")
        try:
            access.info('%s - "%s %s HTTP/%s" %d', "10.0.0.1:5", "GET", "/x", "1.1", 200)
        finally:
            request_id_var.reset(token)
        # Stand-in upstreams of other tests may still log from their threads: the line is the one of this request.
        line = next(json.loads(text) for text in kit_logging.getvalue().splitlines() if '"req-1"' in text)
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
