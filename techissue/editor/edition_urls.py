"""URLs of the edition pages in the editor's area (owned by compose; included by editor/urls.py)."""

from django.urls import path

from techissue.editor.views import edition_placeholder

urlpatterns = [
    path("editions/", edition_placeholder.editions, name="editions"),
]
