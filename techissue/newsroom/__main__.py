"""Serves a corpus by hand: `python -m techissue.newsroom demo/newsroom --port 8123 --fresh`."""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime

from techissue.newsroom.server import serve_corpus


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", help="a corpus directory (see docs/corpus-format.md)")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--fresh", action="store_true", help="shift dates so the newest is now")
    args = parser.parse_args()
    shift_to = datetime.now(UTC) if args.fresh else None
    with serve_corpus(args.corpus, port=args.port, shift_to=shift_to) as server:
        print(f"newsroom at {server.base_url}/  (OPML: {server.opml_url})", flush=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
