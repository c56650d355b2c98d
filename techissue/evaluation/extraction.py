"""Evaluate article extraction on outlet-like pages of our own, served on loopback and collected for real."""

from __future__ import annotations

import asyncio
import json
import re
import threading
import tomllib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from techissue.netguard import parse_networks
from techissue.sources.collect import FeedJob, collect
from techissue.sources.extract import extract_page
from techissue.sources.fetch import FetchPolicy

FLOORS_PATH = Path(__file__).parent / "extraction_floors.json"
OUTLET_PAGES = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "outlet_pages"
_TOKEN = re.compile(r"\w+")


@dataclass
class Page:
    outlet: str
    slug: str
    html: str
    gold: str


@dataclass
class ExtractionScores:
    pages: int
    precision: float
    recall: float
    f1: float
    trafilatura_precision: float  # extract_page alone, before the per-site pass
    trafilatura_recall: float

    def as_dict(self) -> dict[str, float]:
        return {key: round(value, 4) if isinstance(value, float) else value for key, value in asdict(self).items()}


def render_pages(root: Path) -> dict[str, list[Page]]:
    """Each outlet's article pages, rendered in its layout, with the gold text of each."""
    outlets = tomllib.loads((root / "outlets.toml").read_text("utf-8"))["outlet"]
    pages: dict[str, list[Page]] = {}
    for outlet in outlets:
        layout = (root / "layouts" / f"{outlet['layout']}.html").read_text("utf-8")
        articles = tomllib.loads((root / "articles" / f"{outlet['slug']}.toml").read_text("utf-8"))["article"]
        # Like a real site: the same ranking box on every page, related links to the site's other stories.
        most_viewed = "".join(
            f'<li><a href="/{outlet["slug"]}/news/{a["slug"]}.html">{escape(a["title"])}</a></li>' for a in articles
        )
        rendered = []
        for article in articles:
            related = "".join(
                f'<li><a href="/{outlet["slug"]}/news/{a["slug"]}.html">{escape(a["title"])}</a></li>'
                for a in articles
                if a is not article
            )
            body = "\n".join(f"<p>{escape(paragraph)}</p>" for paragraph in article["paragraphs"])
            html = layout.format(
                outlet=escape(outlet["name"]),
                title=escape(article["title"]),
                reporter=escape(article["reporter"]),
                email=escape(article["email"]),
                published=article["published"],
                published_short=article["published"][:16].replace("T", " "),
                caption=escape(article["caption"]),
                slug=article["slug"],
                body=body,
                related=related,
                most_viewed=most_viewed,
            )
            rendered.append(Page(outlet["slug"], article["slug"], html, "\n".join(article["paragraphs"])))
        pages[outlet["slug"]] = rendered
    return pages


def _feed(outlet: str, pages: list[Page]) -> str:
    items = "".join(
        f"<item><title>{page.slug}</title><link>/{outlet}/news/{page.slug}.html</link>"
        f"<guid>{outlet}-{page.slug}</guid><description>{escape(page.gold[:40])}</description></item>"
        for page in pages
    )
    return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{outlet}</title>{items}</channel></rss>'


@contextmanager
def _serve(pages: dict[str, list[Page]]) -> Iterator[str]:
    routes: dict[str, tuple[bytes, str]] = {}
    for outlet, outlet_pages in pages.items():
        routes[f"/{outlet}/rss.xml"] = (_feed(outlet, outlet_pages).encode(), "application/rss+xml")
        for page in outlet_pages:
            routes[f"/{outlet}/news/{page.slug}.html"] = (page.html.encode(), "text/html; charset=utf-8")

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            body, kind = routes.get(self.path, (b"not here", "text/plain"))
            self.send_response(200 if self.path in routes else 404)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _overlap(extracted: str, gold: str) -> tuple[int, int, int]:
    """(shared tokens, extracted tokens, gold tokens), tokens counted with repeats."""
    got, want = Counter(_TOKEN.findall(extracted.lower())), Counter(_TOKEN.findall(gold.lower()))
    return sum((got & want).values()), sum(got.values()), sum(want.values())


def _scores(pairs: list[tuple[str, str]]) -> tuple[float, float]:
    shared = extracted = gold = 0
    for text, truth in pairs:
        s, e, g = _overlap(text, truth)
        shared, extracted, gold = shared + s, extracted + e, gold + g
    return (shared / extracted if extracted else 0.0), (shared / gold if gold else 0.0)


def evaluate_extraction(root: Path, junk: list[str] | None = None) -> ExtractionScores:
    """Serve the pages, collect each outlet's feed through the real path, and score the collected text.

    Token precision and recall (repeats counted) of the collected text against the gold paragraphs,
    over all pages; also of `extract_page` alone, to show what the per-site pass adds. Lines that
    are not article text are appended to `junk` when a list is given.
    """
    pages = render_pages(root)
    by_url: dict[str, Page] = {}
    with _serve(pages) as base:
        jobs = [FeedJob(n, f"{base}/{outlet}/rss.xml", outlet=outlet) for n, outlet in enumerate(pages)]
        for outlet, outlet_pages in pages.items():
            by_url.update({f"{base}/{outlet}/news/{page.slug}.html": page for page in outlet_pages})

        async def run() -> list[tuple[str, str]]:
            found = []
            # The pages are on our own loopback server: the one internal address this policy may reach.
            policy = FetchPolicy(deadline=30, allow_networks=parse_networks(["127.0.0.1/32"]))
            async for outcome in collect(jobs, policy):
                found += [(entry.text, by_url[entry.url].gold) for entry in outcome.entries if entry.url in by_url]
                if junk is not None:
                    for entry in outcome.entries:
                        gold = set(by_url[entry.url].gold.split("\n"))
                        junk.extend(line for line in entry.text.split("\n") if line.strip() and line not in gold)
            return found

        collected = asyncio.run(run())
    alone = [(extract_page(page.html.encode(), "http://x/").text, page.gold) for page in by_url.values()]
    precision, recall = _scores(collected)
    base_precision, base_recall = _scores(alone)
    return ExtractionScores(
        pages=len(collected),
        precision=precision,
        recall=recall,
        f1=2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        trafilatura_precision=base_precision,
        trafilatura_recall=base_recall,
    )


def floors() -> dict[str, dict[str, float]]:
    """The recorded extraction floors per corpus; a score below its floor fails the suite."""
    return json.loads(FLOORS_PATH.read_text(encoding="utf-8")) if FLOORS_PATH.is_file() else {}
