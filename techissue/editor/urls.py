"""URLs of the editor's area, mounted at /editor/ (edition pages come from edition_urls)."""

from django.urls import include, path

from techissue.editor.views import desk, feeds, home, readers

app_name = "editor"

urlpatterns = [
    path("", home.home, name="home"),
    path("language/", home.language, name="language"),
    path("desk/", desk.desk, name="desk"),
    path("feeds/", feeds.feeds, name="feeds"),
    path("readers/", readers.readers, name="readers"),
    path("", include("techissue.editor.edition_urls")),
]
