"""URLs of the editor's area, mounted at /editor/ (edition pages come from edition_urls)."""

from django.urls import include, path

from techissue.editor.views import desk, feeds, home, readers

app_name = "editor"

urlpatterns = [
    path("", home.home, name="home"),
    path("language/", home.language, name="language"),
    path("desk/", desk.desk, name="desk"),
    path("desk/story/<int:story_id>/", desk.story_panel, name="desk_story"),
    path("desk/story/<int:story_id>/decide/", desk.decide, name="desk_decide"),
    path("desk/story/<int:story_id>/split/", desk.split, name="desk_split"),
    path("desk/merge/", desk.merge, name="desk_merge"),
    path("desk/search/", desk.search, name="desk_search"),
    path("desk/add/", desk.add_by_url, name="desk_add"),
    path("feeds/", feeds.feeds, name="feeds"),
    path("readers/", readers.readers, name="readers"),
    path("", include("techissue.editor.edition_urls")),
]
