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
    path("feeds/add/", feeds.add, name="feeds_add"),
    path("feeds/import/", feeds.import_file, name="feeds_import"),
    path("feeds/export.opml", feeds.export, name="feeds_export"),
    path("feeds/fetch/", feeds.fetch, name="feeds_fetch"),
    path("feeds/fetch/<int:run_id>/", feeds.fetch_progress, name="feeds_fetch_progress"),
    path("feeds/<int:feed_id>/active/", feeds.set_active, name="feeds_active"),
    path("feeds/<int:feed_id>/weight/", feeds.set_weight, name="feeds_weight"),
    path("readers/", readers.readers, name="readers"),
    path("readers/<int:reader_id>/", readers.reader, name="reader"),
    path("readers/import/", readers.import_csv, name="readers_import"),
    path("readers/export.csv", readers.export_csv, name="readers_export"),
    path("", include("techissue.editor.edition_urls")),
]
