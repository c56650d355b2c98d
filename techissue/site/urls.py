"""URLs of the public site: the archive, edition pages, the magazine, search, the Atom feeds, the sitemap and /csrf/."""

from django.contrib.sitemaps.views import sitemap
from django.urls import URLPattern, URLResolver, path

from techissue.site import views
from techissue.site.feeds import EditionsFeed, PostsFeed
from techissue.site.language import choose_language
from techissue.site.sitemaps import SITEMAPS

app_name = "site"
urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.archive, name="archive"),
    path("e/<int:number>-<str:slug>/", views.edition, name="edition"),
    path("e/<int:number>-<str:slug>/card.png", views.edition_card, name="edition_card"),
    path("e/<int:number>-<str:slug>/editorial/", views.editorial, name="editorial"),
    path("e/<int:number>-<str:slug>/editorial/card.png", views.editorial_card, name="editorial_card"),
    path("magazine/", views.magazine_index, name="magazine"),
    path("magazine/feed.atom", PostsFeed(), name="magazine_feed"),
    path("p/<slug:slug>/", views.post, name="post"),
    path("p/<slug:slug>/card.png", views.post_card, name="post_card"),
    path("search/", views.search_page, name="search"),
    path("feed.atom", EditionsFeed(), name="feed"),
    path("feed.xsl", views.feed_stylesheet, name="feed_xsl"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("csrf/", views.csrf_cookie, name="csrf"),
    path("language/", choose_language, name="language"),
]
