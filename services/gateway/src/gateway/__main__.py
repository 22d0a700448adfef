"""Command line: `python -m gateway serve`."""

from __future__ import annotations

import argparse

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

        # Forwarded headers are the gateway's to set; no proxy in front is trusted by default.
        serving.serve(create_app(settings), settings, proxy_headers=False)


if __name__ == "__main__":
    main()
