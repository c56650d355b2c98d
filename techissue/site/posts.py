"""Writes of the magazine's posts: each announces what changed, as the editions' lifecycle actions do."""

from __future__ import annotations

from django.db import transaction

from techissue.editions import lifecycle
from techissue.site import receivers
from techissue.site.models import Post


def _announce(post: Post) -> None:
    if post.edition_id is not None and post.edition is not None:
        lifecycle.content_changed(post.edition)  # the edition's own pages show the post's link and title
    else:
        receivers.post_changed(int(post.pk))


def save_post(post: Post) -> Post:
    """Store a post (new or edited) and re-export the pages that show it once the transaction commits."""
    with transaction.atomic():
        post.save()
        _announce(post)
    return post


def delete_post(post: Post) -> None:
    """Delete a post and take its page out of the archive (its id is kept for the export to find it gone)."""
    with transaction.atomic():
        post_id, edition = post.pk, post.edition
        post.delete()
        post.pk = post_id
        post.edition = edition
        _announce(post)
