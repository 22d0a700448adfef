"""A served process's access line (protocol.py): the same JSON line, written without a log record.

uvicorn logs one line per request on `uvicorn.access`, and through the kit's handler (`configure_logging`) each
line was a `LogRecord`, two filters (the request id, secret paths redacted), python-json-logger's formatter (a dict
built, renamed, merged with the record's extras, the time formatted, `json.dumps`) and the handler's lock: about
15 µs of a request's CPU (a proxied `GET` cost the gateway 0.23 ms). `AccessLine` writes the same line, byte for
byte, from a template read off the handler's own formatter: the message formatted and redacted as the filter does,
the request id of the request's context, the time as `logging.Formatter.formatTime` writes it (its date and time
made once a second), each value encoded as the formatter's `json.dumps` encodes a string.

The template is taken only when logging is configured as the kit configures it (one handler on the root logger,
with the kit's two filters and a JSON formatter that writes the time as `logging` does), and only after probe
lines written both ways are the same; and each line is written this way only while that is still so (the root's
handler, its filters and formatter unchanged, the logger enabled for INFO, no handler or filter of its own or of
`uvicorn`'s). Otherwise the line goes to the logger as before (a test's `caplog`, a plain-text log, a changed
configuration).
"""

from __future__ import annotations

import contextvars
import logging
import time
from collections.abc import Callable
from json.encoder import encode_basestring, encode_basestring_ascii
from typing import Any

from pythonjsonlogger.json import JsonFormatter

from rectify_kit.observability import _RedactFilter, _RequestIdFilter, redact_paths, request_id_var

ACCESS_LOGGER = "uvicorn.access"
# Stand-ins for the three values of a line, found in a probe line as the formatter writes them.
_MESSAGE = "rectify-access-message-7b1e"
_REQUEST_ID = "rectify-access-request-id-7b1e"
_PROBE_TIME_NS = 1_764_800_000_123_000_000  # 2025-12-03 22:13:20.123 UTC
# What is checked before the template is taken: the fast line must equal the formatter's for each.
_PROBES: tuple[tuple[tuple[Any, ...], str | None, int], ...] = (
    (("10.0.0.1:5", "GET", "/api/v1/items/1", "1.1", 200), "0123456789abcdef0123456789abcdef", 0),
    (("[::1]:80", "POST", '/x?q="a\\b"&t=整改\x01', "1.1", 201), None, 999_999_999),
    (("10.0.0.2:6", "GET", "/api/v1/public/submissions/SECRET/feedback", "1.0", 404), "req-1", 5_000_000),
    (("", "DELETE", "/track/CODE?x=1", "1.1", 503), "a" * 128, 999_000_000),
)
_LOGGING_TIME = logging.Formatter.formatTime


class AccessLine:
    """A stand-in for uvicorn's access logger: `info(msg, *args)` writes the line straight to the kit's handler,
    or hands it to the logger when logging is not (or no longer) configured as the template was taken."""

    __slots__ = (
        "_encode",
        "_filters",
        "_formatter",
        "_handler",
        "_logger",
        "_parent",
        "_parts",
        "_root",
        "_second",
        "_second_text",
        "_stream",
        "_time_format",
    )

    def __init__(
        self,
        logger: logging.Logger,
        handler: logging.StreamHandler[Any],
        parts: tuple[str, ...],
        encode: Callable[[str], str],
    ) -> None:
        self._logger = logger
        self._parent = logger.parent
        self._root = logging.getLogger()
        self._handler = handler
        self._filters = list(handler.filters)
        self._formatter = handler.formatter
        self._stream = handler.stream
        self._parts = parts
        self._encode = encode
        self._time_format = handler.formatter.default_time_format  # type: ignore[union-attr]
        self._second = -1
        self._second_text = ""

    def __getattr__(self, name: str) -> Any:
        return getattr(self._logger, name)

    def info(self, msg: str, *args: Any) -> None:
        if not self._in_force():
            self._logger.info(msg, *args)
            return
        line = self.line(time.time_ns(), request_id_var.get(), msg, args)
        handler = self._handler
        handler.acquire()
        try:
            handler.stream.write(line)
            handler.flush()
        except RecursionError:
            raise
        except Exception:
            handler.handleError(self._logger.makeRecord(self._logger.name, logging.INFO, "", 0, msg, args, None))
        finally:
            handler.release()

    def line(self, now_ns: int, request_id: str | None, msg: str, args: tuple[Any, ...]) -> str:
        """The line with its terminator, as the handler would write it for a record made at `now_ns`."""
        second, rest = divmod(now_ns, 1_000_000_000)
        if second != self._second:
            self._second_text = time.strftime(self._time_format, time.localtime(second))
            self._second = second
        stamp = "%s,%03d" % (self._second_text, rest // 1_000_000)  # noqa: UP031 - logging's default_msec_format
        encode = self._encode
        values = {
            "t": encode(stamp),
            "m": encode(redact_paths(msg % args)),
            "r": "null" if request_id is None else encode(request_id),
        }
        parts = self._parts
        return f"{parts[0]}{values[parts[1]]}{parts[2]}{values[parts[3]]}{parts[4]}{values[parts[5]]}{parts[6]}"

    def _in_force(self) -> bool:
        """Whether a record would still go through the handler alone, as when the template was taken."""
        logger = self._logger
        handlers = self._root.handlers
        handler = self._handler
        return (
            len(handlers) == 1
            and handlers[0] is handler
            and handler.filters == self._filters
            and handler.formatter is self._formatter
            and handler.stream is self._stream
            and handler.level <= logging.INFO
            and logger.isEnabledFor(logging.INFO)
            and not logger.disabled
            and not logger.handlers
            and not logger.filters
            and logger.propagate
            and logger.parent is self._parent
            and (self._parent is self._root or (not self._parent.handlers and self._parent.propagate))  # type: ignore[union-attr]
        )


def access_logger(logger: logging.Logger | None = None) -> logging.Logger | AccessLine:
    """What uvicorn's protocol should log its access lines with: an `AccessLine` when logging is configured as the
    kit configures it and the fast line is the formatter's, else the logger itself."""
    logger = logger or logging.getLogger(ACCESS_LOGGER)
    fast = _access_line(logger)
    return fast if fast is not None else logger


def _access_line(logger: logging.Logger) -> AccessLine | None:
    root = logging.getLogger()
    parent = logger.parent
    if len(root.handlers) != 1 or logger.handlers or logger.filters or not logger.propagate:
        return None
    if parent is None or (
        parent is not root and (parent.handlers or not parent.propagate or parent.parent is not root)
    ):
        return None
    handler = root.handlers[0]
    formatter = handler.formatter
    if (
        type(handler) is not logging.StreamHandler
        or [type(f) for f in handler.filters] != [_RequestIdFilter, _RedactFilter]
        or type(formatter) is not JsonFormatter
        or type(formatter).formatTime is not _LOGGING_TIME
        or formatter.datefmt is not None
        or formatter.converter is not time.localtime
        or formatter.default_msec_format != "%s,%03d"
        or formatter.json_serializer.__module__ != "json"
        or formatter.json_indent is not None
    ):
        return None
    encode = encode_basestring_ascii if formatter.json_ensure_ascii else encode_basestring
    parts = _template(logger, handler, encode)
    if parts is None:
        return None
    fast = AccessLine(logger, handler, parts, encode)
    for args, request_id, nanoseconds in _PROBES:
        now_ns = _PROBE_TIME_NS + nanoseconds
        if fast.line(now_ns, request_id, '%s - "%s %s HTTP/%s" %d', args) != _formatted(
            logger, handler, now_ns, request_id, '%s - "%s %s HTTP/%s" %d', args
        ):
            return None
    fast._second = -1
    return fast


def _template(
    logger: logging.Logger, handler: logging.StreamHandler[Any], encode: Callable[[str], str]
) -> tuple[str, ...] | None:
    """The probe line cut around its three values: (text, value, text, value, text, value, text), each value
    named by a letter (t: the time, m: the message, r: the request id)."""
    record = _record(logger, _PROBE_TIME_NS, _MESSAGE, ())
    line = _formatted(logger, handler, _PROBE_TIME_NS, _REQUEST_ID, _MESSAGE, ())
    stamp = handler.formatter.formatTime(record)  # type: ignore[union-attr]
    found = []
    for key, value in (("t", stamp), ("m", _MESSAGE), ("r", _REQUEST_ID)):
        encoded = encode(value)
        if line.count(encoded) != 1:
            return None
        found.append((line.index(encoded), len(encoded), key))
    found.sort()
    parts: list[str] = []
    at = 0
    for start, length, key in found:
        parts += (line[at:start], key)
        at = start + length
    parts.append(line[at:])
    return tuple(parts)


def _record(logger: logging.Logger, now_ns: int, msg: str, args: tuple[Any, ...]) -> logging.LogRecord:
    record = logger.makeRecord(logger.name, logging.INFO, "", 0, msg, args, None)
    record.created = now_ns / 1e9
    record.msecs = (now_ns % 1_000_000_000) // 1_000_000 + 0.0
    return record


def _formatted(
    logger: logging.Logger,
    handler: logging.StreamHandler[Any],
    now_ns: int,
    request_id: str | None,
    msg: str,
    args: tuple[Any, ...],
) -> str:
    """The line the handler writes for such a record: its filters, its formatter, its terminator."""
    record = _record(logger, now_ns, msg, args)

    def filtered() -> bool:
        request_id_var.set(request_id)
        return bool(handler.filter(record))

    if not contextvars.copy_context().run(filtered):
        return ""
    return handler.format(record) + handler.terminator
