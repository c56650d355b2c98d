"""Loads and validates a newsroom corpus directory (see docs/corpus-format.md)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

LANGUAGES = ("ko", "en")
FEED_FORMATS = ("rss2", "rss1", "atom")
ENCODINGS = ("utf-8", "euc-kr", "cp949")
CONTENT_MODES = ("full", "summary")
SLUG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class CorpusError(ValueError):
    """A corpus file is missing, malformed or inconsistent; names the file and the field."""

    def __init__(self, path: Path | str, message: str, field_name: str | None = None) -> None:
        self.path = Path(path)
        self.field = field_name
        where = f"{self.path}: field '{field_name}'" if field_name else str(self.path)
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True)
class Outlet:
    """One invented news outlet and how it publishes its feed."""

    slug: str
    name: str
    lang: str
    format: str
    encoding: str
    content: str
    weight: float
    description: str


@dataclass(frozen=True)
class CorpusArticle:
    """One article of an outlet, with its labels (`story`, `copy_of`)."""

    outlet: str
    slug: str
    title: str
    published: datetime
    author: str
    summary: str
    body: str
    story: str
    copy_of: str | None = None
    image: str | None = None
    tags: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return f"{self.outlet}/{self.slug}"

    @property
    def paragraphs(self) -> list[str]:
        blocks = re.split(r"\n\s*\n", self.body.strip())
        return [" ".join(block.split()) for block in blocks if block.strip()]


@dataclass(frozen=True)
class Corpus:
    """Outlets in file order and their articles, plus where the images live."""

    root: Path
    outlets: tuple[Outlet, ...]
    articles: tuple[CorpusArticle, ...]
    _by_key: dict[str, CorpusArticle] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_key.update({article.key: article for article in self.articles})

    @property
    def images_dir(self) -> Path:
        return self.root / "images"

    def outlet(self, slug: str) -> Outlet:
        for outlet in self.outlets:
            if outlet.slug == slug:
                return outlet
        raise KeyError(slug)

    def article(self, key: str) -> CorpusArticle:
        return self._by_key[key]

    def articles_of(self, outlet_slug: str) -> list[CorpusArticle]:
        """The outlet's articles, newest first (the order of a feed)."""
        own = [a for a in self.articles if a.outlet == outlet_slug]
        return sorted(own, key=lambda a: (a.published, a.slug), reverse=True)

    def newest(self) -> datetime:
        return max(article.published for article in self.articles)

    def shifted(self, to: datetime) -> Corpus:
        """The same corpus with every date moved by one offset, so the newest lands at `to`."""
        if to.tzinfo is None:
            raise ValueError("shift_to must be timezone-aware")
        if not self.articles:
            return self
        # Whole seconds: feeds and headers carry no fractions, and equal dates must stay equal.
        offset = to.replace(microsecond=0) - self.newest()
        moved = tuple(replace(a, published=a.published + offset) for a in self.articles)
        return Corpus(root=self.root, outlets=self.outlets, articles=moved)


def load_corpus(path: str | Path) -> Corpus:
    """Reads `outlets.toml` and `articles/<outlet>/<slug>.toml` under `path`; raises CorpusError."""
    root = Path(path)
    outlets_file = root / "outlets.toml"
    outlets = _load_outlets(outlets_file)
    known = {outlet.slug for outlet in outlets}
    articles_dir = root / "articles"
    if not articles_dir.is_dir():
        raise CorpusError(articles_dir, "the articles directory is missing")
    articles: list[CorpusArticle] = []
    for outlet_dir in sorted(p for p in articles_dir.iterdir() if p.is_dir()):
        if outlet_dir.name not in known:
            raise CorpusError(outlet_dir, f"no outlet '{outlet_dir.name}' in {outlets_file.name}")
        for article_file in sorted(outlet_dir.glob("*.toml")):
            articles.append(_load_article(article_file, outlet_dir.name, root))
    keys = {article.key for article in articles}
    for article in articles:
        if article.copy_of is not None and article.copy_of not in keys:
            article_file = articles_dir / article.outlet / f"{article.slug}.toml"
            raise CorpusError(article_file, f"no article '{article.copy_of}'", "copy_of")
    return Corpus(root=root, outlets=tuple(outlets), articles=tuple(articles))


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except FileNotFoundError:
        raise CorpusError(path, "file not found") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise CorpusError(path, f"not valid TOML ({error})") from None


def _require_str(path: Path, data: dict[str, Any], name: str, choices: tuple[str, ...] = ()) -> str:
    value = data.get(name)
    if not isinstance(value, str) or not value.strip():
        raise CorpusError(path, "missing or not a non-empty string", name)
    if choices and value not in choices:
        raise CorpusError(path, f"'{value}' is not one of {', '.join(choices)}", name)
    return value


def _optional_str(path: Path, data: dict[str, Any], name: str) -> str | None:
    value = data.get(name)
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise CorpusError(path, "must be a non-empty string when given", name)
    return value


def _load_outlets(path: Path) -> list[Outlet]:
    entries = _read_toml(path).get("outlet")
    if not isinstance(entries, list) or not entries:
        raise CorpusError(path, "expected one or more [[outlet]] tables", "outlet")
    outlets: list[Outlet] = []
    for index, entry in enumerate(entries):
        where = f"outlet[{index}]."
        slug = _require_str(path, entry, "slug")
        if not SLUG_PATTERN.match(slug) or slug == "images":
            raise CorpusError(path, f"'{slug}' is not a usable URL slug", where + "slug")
        if any(o.slug == slug for o in outlets):
            raise CorpusError(path, f"outlet '{slug}' appears twice", where + "slug")
        weight = entry.get("weight", 1.0)
        if not isinstance(weight, int | float) or not 0.5 <= weight <= 2.0:
            raise CorpusError(path, "must be a number from 0.5 to 2.0", where + "weight")
        outlets.append(
            Outlet(
                slug=slug,
                name=_require_str(path, entry, "name"),
                lang=_require_str(path, entry, "lang", LANGUAGES),
                format=_require_str(path, entry, "format", FEED_FORMATS),
                encoding=_require_str(path, entry, "encoding", ENCODINGS),
                content=_require_str(path, entry, "content", CONTENT_MODES),
                weight=float(weight),
                description=_require_str(path, entry, "description"),
            )
        )
    return outlets


def _load_article(path: Path, outlet_slug: str, root: Path) -> CorpusArticle:
    data = _read_toml(path)
    slug = path.stem
    if not SLUG_PATTERN.match(slug):
        raise CorpusError(path, f"'{slug}' is not a usable URL slug (the file name)")
    published = data.get("published")
    if not isinstance(published, datetime):
        raise CorpusError(path, "missing or not a TOML datetime", "published")
    if published.tzinfo is None:
        raise CorpusError(path, "needs a UTC offset, e.g. 2026-11-16T09:30:00+09:00", "published")
    tags = data.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise CorpusError(path, "must be a list of strings", "tags")
    image = _optional_str(path, data, "image")
    if image is not None and not (root / "images" / image).is_file():
        raise CorpusError(path, f"no file images/{image}", "image")
    copy_of = _optional_str(path, data, "copy_of")
    if copy_of is not None and copy_of.count("/") != 1:
        raise CorpusError(path, "must look like '<outlet-slug>/<article-slug>'", "copy_of")
    return CorpusArticle(
        outlet=outlet_slug,
        slug=slug,
        title=_require_str(path, data, "title"),
        published=published,
        author=_require_str(path, data, "author"),
        summary=_require_str(path, data, "summary").strip(),
        body=_require_str(path, data, "body"),
        story=_require_str(path, data, "story"),
        copy_of=copy_of,
        image=image,
        tags=tuple(tags),
    )
