"""Command line: `python -m gateway serve`."""

from __future__ import annotations

import argparse
import logging

from gateway.config import get_settings
from rectify_kit import serving


def main() -> None:
    parser = argparse.ArgumentParser(prog="gateway")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("serve", help="run the HTTP service")
    args = parser.parse_args()
    settings = get_settings()
    if args.command == "serve":
        from gateway.main import create_app  # the app's imports are needed only to serve
        from gateway.server import GatewayHttpProtocol

        lean_log_records()

        serving.serve(
            create_app(settings),
            settings,
            # The proxy's hot path: the uvloop event loop and the httptools parser.
            loop="uvloop",
            http=GatewayHttpProtocol,
            # Forwarded headers are the gateway's to set; no proxy in front is trusted by default.
            proxy_headers=False,
        )


def lean_log_records() -> None:
    """Log records without what no Rectify log line shows (the kit's formats name the time, level, logger, message
    and request id): the caller's file and line (a walk up the stack per record; logging's documented switch), the
    process id (a system call per record), the thread and process names. The access log writes a record for every
    proxied request. For the served process only: set once, before the app logs anything."""
    logging._srcfile = None
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False


if __name__ == "__main__":
    main()
