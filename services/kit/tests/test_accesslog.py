"""A served process's access lines (`rectify_kit.accesslog`): the same bytes as the kit's handler writes for uvicorn's
record, and the record itself whenever logging is not configured as the kit configures it."""

from __future__ import annotations

import io
import logging
import time

import pytest

from rectify_kit import protocol
from rectify_kit.accesslog import AccessLine, access_logger
from rectify_kit.observability import configure_logging, request_id_var

FORMAT = '%s - "%s %s HTTP/%s" %d'
LINES = [
    (("127.0.0.1:42420", "GET", "/api/v1/issues/0190a0b0-0000-7000-8000-000000000001", "1.1", 200), "a" * 32),
    (("127.0.0.1:42420", "GET", "/api/v1/issues?status=in_progress&limit=20", "1.1", 200), "req-2"),
    (("10.1.2.3:9", "POST", "/api/v1/public/submissions/ABCDEFGH/feedback", "1.1", 201), "req-3"),
    (("10.1.2.3:9", "GET", "/track/SECRET", "1.0", 404), None),
    (("10.1.2.3:9", "GET", "/open311/v2/tokens/T0K3N.json", "1.1", 200), "r"),
    (("[::1]:1", "PATCH", '/api/v1/issues/%E6%95%B4?q="x\\y"&t=整改', "1.1", 409), "x:y.z-1_2"),
    (("", "GET", "/", "1.1", 503), None),
]


def _kits_handler_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """pytest's own capturing handlers are added to the root for each test's call: the served process has none."""
    root = logging.getLogger()
    monkeypatch.setattr(root, "handlers", root.handlers[:1])


def _written(stream: io.StringIO) -> str:
    text = stream.getvalue()
    stream.seek(0)
    stream.truncate()
    return text


class TestTheSameLine:
    @pytest.mark.parametrize("now", [1_764_800_000.0, 1_764_800_000.5, 1_764_800_059.999, 1_764_786_400.001])
    def test_each_line_is_the_handlers_byte_for_byte(
        self, kit_logging: io.StringIO, monkeypatch: pytest.MonkeyPatch, now: float
    ) -> None:
        _kits_handler_alone(monkeypatch)
        logger = logging.getLogger("uvicorn.access")
        fast = access_logger(logger)
        assert isinstance(fast, AccessLine)
        # One clock for both: the record's time (time.time) and the fast line's (time.time_ns).
        monkeypatch.setattr(time, "time", lambda: now)
        monkeypatch.setattr(time, "time_ns", lambda: round(now * 1e9))
        for args, request_id in LINES:
            token = request_id_var.set(request_id)
            try:
                logger.info(FORMAT, *args)
                declared = _written(kit_logging)
                fast.info(FORMAT, *args)
                written = _written(kit_logging)
            finally:
                request_id_var.reset(token)
            assert written == declared
            assert written.count("\n") == 1
        assert "SECRET" not in declared

    def test_the_served_protocol_logs_with_it(self, kit_logging: io.StringIO, monkeypatch: pytest.MonkeyPatch) -> None:
        _kits_handler_alone(monkeypatch)
        assert isinstance(protocol._access_logger(logging.getLogger("uvicorn.access")), AccessLine)


class TestTheRecordOtherwise:
    def test_a_handler_added_later_gets_the_record(
        self, kit_logging: io.StringIO, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        _kits_handler_alone(monkeypatch)
        fast = access_logger(logging.getLogger("uvicorn.access"))
        assert isinstance(fast, AccessLine)
        logging.getLogger().addHandler(caplog.handler)
        with caplog.at_level(logging.INFO, logger="uvicorn.access"):
            fast.info(FORMAT, "10.0.0.1:5", "GET", "/x", "1.1", 200)
        assert [record.getMessage() for record in caplog.records] == ['10.0.0.1:5 - "GET /x HTTP/1.1" 200']
        assert '"message": "10.0.0.1:5 - \\"GET /x HTTP/1.1\\" 200"' in kit_logging.getvalue()

    def test_a_logger_raised_above_info_writes_nothing(
        self, kit_logging: io.StringIO, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        _kits_handler_alone(monkeypatch)
        logger = logging.getLogger("uvicorn.access")
        fast = access_logger(logger)
        assert isinstance(fast, AccessLine)
        logger.setLevel(logging.WARNING)  # setLevel clears the loggers' cached levels
        try:
            fast.info(FORMAT, "10.0.0.1:5", "GET", "/x", "1.1", 200)
        finally:
            logger.setLevel(logging.INFO)
        assert kit_logging.getvalue() == ""

    def test_plain_text_logs_keep_the_logger(self, kit_logging: io.StringIO, monkeypatch: pytest.MonkeyPatch) -> None:
        configure_logging(service="gateway", level="INFO", json_logs=False)
        logger = logging.getLogger("uvicorn.access")
        assert access_logger(logger) is logger

    def test_another_handler_on_the_root_keeps_the_logger(
        self, kit_logging: io.StringIO, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        _kits_handler_alone(monkeypatch)
        logging.getLogger().addHandler(logging.NullHandler())
        logger = logging.getLogger("uvicorn.access")
        assert access_logger(logger) is logger
