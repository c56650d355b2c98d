"""URLs of the public site: the archive, edition pages, the Atom feed, the sitemap, robots.txt and /csrf/."""

from django.contrib.sitemaps.views import sitemap
from django.urls import URLPattern, URLResolver, path

from techissue.site import views
from techissue.site.feeds import EditionsFeed
from techissue.site.sitemaps import SITEMAPS

app_name = "site"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.archive, name="archive"),
    path("e/<int:number>-<str:slug>/", views.edition, name="edition"),
    path("feed.atom", EditionsFeed(), name="feed"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("csrf/", views.csrf_cookie, name="csrf"),
]
