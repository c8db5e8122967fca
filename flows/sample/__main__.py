"""`python -m flows.sample [--host H] [--port N]`: serve the sample site until Ctrl-C."""

from __future__ import annotations

import argparse
import threading

from . import SAMPLE_SOURCE, load_expected, serve_sample_site


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m flows.sample", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 (default) picks a free port")
    args = parser.parse_args(argv)
    with serve_sample_site(args.host, args.port) as site:
        expected = load_expected()
        print(f"The Signal Desk (sample source {SAMPLE_SOURCE!r}) is serving at {site.base_url}/")
        print(f"  source article: {site.base_url}{expected['source_article']}")
        print(f"  feed: {site.base_url}/feed.xml   sitemap: {site.base_url}/sitemap.xml")
        print("Press Ctrl-C to stop.", flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
