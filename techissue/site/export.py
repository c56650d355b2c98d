"""Static copies of the public archive (editions, posts, cards, feeds) under DATA_DIR/public, for nginx to serve."""

from __future__ import annotations

import fcntl
import logging
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.core.handlers.base import BaseHandler
from django.http import HttpResponseBase
from django.test import RequestFactory
from django.utils import translation

from techissue.editions.models import Edition
from techissue.site import magazine, search
from techissue.site.models import Post

log = logging.getLogger(__name__)

# The pages every export rewrites: each of them lists or links the newest editions or posts.
SITE_PATHS = ("/", "/feed.atom", "/sitemap.xml", "/robots.txt", "/magazine/", "/magazine/feed.atom", "/feed.xsl")
EDITIONS_DIR = "e"
POSTS_DIR = "p"
EDITORIAL_DIR = "editorial"


class ExportError(Exception):
    """Django did not answer a page with 200, so there is nothing right to copy."""


@dataclass
class ExportResult:
    written: int = 0
    unchanged: int = 0
    removed: int = 0


def public_root() -> Path:
    return Path(settings.DATA_DIR) / "public"


def file_for(url_path: str) -> Path:
    """The file, relative to the public root, that nginx's `try_files $uri $uri/index.html` finds for a URL."""
    # nginx matches the decoded path, so a percent-encoded (Unicode) slug is stored under its real characters.
    path = unquote(url_path).lstrip("/")
    relative = Path(path, "index.html") if path == "" or path.endswith("/") else Path(path)
    if ".." in relative.parts or relative.is_absolute():
        raise ExportError(f"refusing to write outside the public directory: {url_path!r}")
    return relative


def write_atomically(path: Path, content: bytes) -> bool:
    """Replace `path` with `content` in one step (readers see the old or the new file); False if it already holds it."""
    try:
        if path.read_bytes() == content:
            return False  # leave the file, its mtime and nginx's ETag alone: readers' caches stay valid
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as temp:
            temp.write(content)
            temp.flush()
            os.fsync(temp.fileno())
        os.chmod(temp_name, 0o644)  # mkstemp makes 0600; nginx's workers run as another user
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return True


_handler: BaseHandler | None = None


def _shared_handler() -> BaseHandler:
    """One middleware stack per process, as the WSGI handler keeps (WhiteNoise scans the static root when built)."""
    global _handler
    if _handler is None:
        handler = BaseHandler()
        handler.load_middleware()
        _handler = handler
    return _handler


class SiteRenderer:
    """Asks Django for public pages as an anonymous reader on SITE_URL's host, through the whole middleware stack."""

    def __init__(self) -> None:
        site = urlsplit(settings.SITE_URL)
        self.secure = site.scheme == "https"
        # No Accept-Language and no cookie: Django answers in LANGUAGE_CODE, as it does for such a reader.
        self.factory = RequestFactory(HTTP_HOST=site.netloc or "127.0.0.1")
        self.handler = _shared_handler()

    def render(self, url_path: str) -> bytes:
        request = self.factory.get(url_path, secure=self.secure)
        response: HttpResponseBase = self.handler.get_response(request)
        if response.status_code != 200:
            hint = " (is SITE_URL's host in ALLOWED_HOSTS?)" if response.status_code == 400 else ""
            raise ExportError(f"{url_path} answered {response.status_code}{hint}")
        # Not response.close(): it sends request_finished, whose handler closes the database
        # connection when a transaction is open (the caller's, e.g. a test's or a command's).
        # These responses hold no file or stream, so nothing else needs closing.
        if response.streaming:
            return b"".join(response.streaming_content)  # type: ignore[attr-defined]
        return response.content  # type: ignore[attr-defined]


def edition_card_path(edition: Edition) -> str:
    return f"{edition.get_absolute_url()}card.png"


def touched_editions(numbers: Iterable[int]) -> list[Edition]:
    """The published editions whose pages show edition `number`: itself and its older and newer neighbours."""
    published = Edition.objects.published()
    found: dict[int, Edition] = {}
    for number in set(numbers):
        candidates = [
            published.filter(number=number).first(),
            published.filter(number__lt=number).order_by("-number").first(),
            published.filter(number__gt=number).order_by("number").first(),
        ]
        found.update({edition.pk: edition for edition in candidates if edition is not None})
    return list(found.values())


def touched_posts(numbers: Iterable[int] | None, post_ids: Iterable[int] = ()) -> list[magazine.Entry]:
    """The magazine's posts whose pages show these editions' editorials or these posts: each with its neighbours."""
    every = magazine.entries()
    if numbers is None:
        return every
    numbers, post_ids = set(numbers), set(post_ids)
    found: dict[str, magazine.Entry] = {}
    for index, entry in enumerate(every):
        if (entry.edition and entry.edition.number in numbers) or (
            entry.edition is None and entry.post and entry.post.pk in post_ids
        ):
            for neighbour in every[max(0, index - 1) : index + 2]:
                found[neighbour.url] = neighbour
    return list(found.values())


def remove_stale_posts(root: Path) -> int:
    """Delete exported essays that are no longer public, and editorial pages of editions whose editorial is gone."""
    removed = 0
    keep = {file_for(entry.url).parent for entry in magazine.entries()}
    posts_dir = root / POSTS_DIR
    if posts_dir.is_dir():
        for entry in posts_dir.iterdir():
            if not entry.name.startswith(".") and entry.relative_to(root) not in keep:
                shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
                removed += 1
    editions_dir = root / EDITIONS_DIR
    for editorial in editions_dir.glob(f"*/{EDITORIAL_DIR}") if editions_dir.is_dir() else []:
        if editorial.relative_to(root) not in keep:
            shutil.rmtree(editorial)
            removed += 1
    return removed


def remove_stale_editions(root: Path, keep: set[Path]) -> int:
    """Delete exported edition pages that are no longer published (cancelled, deleted, renumbered, new slug)."""
    removed = 0
    editions_dir = root / EDITIONS_DIR
    if not editions_dir.is_dir():
        return 0
    for entry in editions_dir.iterdir():
        if entry.name.startswith("."):
            continue
        if entry.relative_to(root) not in keep:
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
            removed += 1
    return removed


@contextmanager
def export_lock() -> Iterator[None]:
    """One export at a time on this host, so that an older rendering never lands after a newer one."""
    lock_path = Path(settings.DATA_DIR) / "public.lock"  # outside public/: nginx must not serve it
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def run_export(numbers: Iterable[int] | None = None, post_ids: Iterable[int] = ()) -> ExportResult:
    """Export the archive: every published edition and post, or (given `numbers` and `post_ids`) only the pages
    those editions and posts appear on. The search index follows the same changes."""
    root = public_root()
    result = ExportResult()
    # The middleware activates a language for the render; put back the caller's (an admin request's) afterwards.
    with export_lock(), translation.override(translation.get_language()):
        renderer = SiteRenderer()
        numbers = None if numbers is None else set(numbers)
        post_ids = set(post_ids)
        if numbers is None:
            search.rebuild_index()
        else:
            search.index_editions(numbers)
            for post in Post.objects.filter(pk__in=post_ids):
                search.index_post(post)
            search.forget_posts(post_ids - set(Post.objects.filter(pk__in=post_ids).values_list("pk", flat=True)))
        editions = list(Edition.objects.published()) if numbers is None else touched_editions(numbers)
        pages = [path for edition in editions for path in (edition.get_absolute_url(), edition_card_path(edition))]
        pages += [path for entry in touched_posts(numbers, post_ids) for path in (entry.url, entry.card_url)]
        for url_path in [*pages, *SITE_PATHS]:
            if write_atomically(root / file_for(url_path), renderer.render(url_path)):
                result.written += 1
            else:
                result.unchanged += 1
        published = Edition.objects.published().only("number", "slug")
        keep = {file_for(edition.get_absolute_url()).parent for edition in published}
        result.removed = remove_stale_editions(root, keep) + remove_stale_posts(root)
    log.info("exported the archive to %s: %s", root, result)
    return result


def export_site() -> int:
    """Write every public archive page under DATA_DIR/public; returns how many files changed on disk."""
    return run_export().written
