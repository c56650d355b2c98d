"""The sitemap: the archive index and every published edition."""

from __future__ import annotations

from datetime import datetime

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from techissue.editions.models import Edition


class EditionSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self) -> list[Edition]:
        return list(Edition.objects.published())

    def lastmod(self, item: Edition) -> datetime:
        return item.updated_at


class ArchiveSitemap(Sitemap):
    changefreq = "weekly"
    priority = 1.0

    def items(self) -> list[str]:
        return ["site:archive"]

    def location(self, item: str) -> str:
        return reverse(item)


SITEMAPS = {"archive": ArchiveSitemap, "editions": EditionSitemap}
