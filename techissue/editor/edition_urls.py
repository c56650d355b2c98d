"""URLs of the edition pages in the editor's area (owned by compose; included by editor/urls.py)."""

from django.urls import path

from techissue.editor.views import edition_preview, edition_send, editions

urlpatterns = [
    path("editions/", editions.editions, name="editions"),
    path("editions/draft/", editions.draft, name="edition_draft"),
    path("editions/add-story/<int:story_id>/", editions.add_to_draft, name="edition_add_to_draft"),
    path("editions/<int:pk>/", editions.compose, name="edition"),
    path("editions/<int:pk>/save/", editions.save_fields, name="edition_save"),
    path("editions/<int:pk>/picks/order/", editions.reorder, name="edition_reorder"),
    path("editions/<int:pk>/picks/<int:pick_id>/", editions.save_pick, name="edition_pick"),
    path("editions/<int:pk>/picks/<int:pick_id>/remove/", editions.remove_pick, name="edition_pick_remove"),
    path("editions/<int:pk>/stories/", editions.story_search, name="edition_stories"),
    path("editions/<int:pk>/stories/<int:story_id>/add/", editions.add_story, name="edition_add_story"),
    path("editions/<int:pk>/preview/", edition_preview.preview, name="edition_preview"),
    path("editions/<int:pk>/images/", edition_preview.upload_image, name="edition_image"),
    path("editions/<int:pk>/test/", edition_send.test_mail, name="edition_test"),
    path("editions/<int:pk>/schedule/", edition_send.schedule, name="edition_schedule"),
    path("editions/<int:pk>/unschedule/", edition_send.unschedule, name="edition_unschedule"),
    path("editions/<int:pk>/publish/", edition_send.publish, name="edition_publish"),
    path("editions/<int:pk>/cancel/", edition_send.cancel, name="edition_cancel"),
    path("editions/<int:pk>/send/", edition_send.confirm_send, name="edition_confirm"),
    path("editions/<int:pk>/progress/", edition_send.progress, name="edition_progress"),
    path("editions/<int:pk>/progress/<str:action>/", edition_send.control, name="edition_control"),
]
