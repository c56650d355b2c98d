"""The newsroom's URL scheme, including which outlets put tracking parameters on feed links."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from techissue.newsroom.corpus import Corpus, CorpusArticle, Outlet


@dataclass(frozen=True)
class SiteLinks:
    """Builds absolute URLs under `base_url` (no trailing slash)."""

    base_url: str
    tracked_outlets: frozenset[str]

    @classmethod
    def for_corpus(cls, corpus: Corpus, base_url: str) -> SiteLinks:
        # Every second outlet (in outlets.toml order) tags its feed links, as many real outlets do,
        # so readers must canonicalise URLs; the others link to the clean URL.
        tracked = frozenset(o.slug for index, o in enumerate(corpus.outlets) if index % 2 == 1)
        return cls(base_url=base_url.rstrip("/"), tracked_outlets=tracked)

    def home(self, outlet: Outlet) -> str:
        return f"{self.base_url}/{outlet.slug}/"

    def feed(self, outlet: Outlet) -> str:
        return f"{self.base_url}/{outlet.slug}/feed.xml"

    def article(self, article: CorpusArticle) -> str:
        """The clean URL, which the page names as canonical."""
        return f"{self.base_url}/{article.outlet}/{article.slug}.html"

    def feed_link(self, outlet: Outlet, article: CorpusArticle) -> str:
        """The URL the feed links to: clean, or with tracking parameters for tracked outlets."""
        if outlet.slug not in self.tracked_outlets:
            return self.article(article)
        medium = "atom" if outlet.format == "atom" else "rss"
        query = urlencode({"utm_source": "feed", "utm_medium": medium, "utm_campaign": outlet.slug})
        return f"{self.article(article)}?{query}"

    def image(self, name: str) -> str:
        return f"{self.base_url}/images/{name}"

    def opml(self) -> str:
        return f"{self.base_url}/opml.xml"
