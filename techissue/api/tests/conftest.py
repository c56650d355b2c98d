"""API test fixtures: a staff editor with every permission, and tokens of each scope."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User

from techissue.api.tokens import create_token


@pytest.fixture
def editor(db) -> User:  # type: ignore[no-untyped-def]
    user = User.objects.create_user("editor", "editor@example.test", "pw", is_staff=True)
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["sources", "curation", "editions", "audience"])
    )
    return user


@pytest.fixture
def bearer(editor: User):  # type: ignore[no-untyped-def]
    """Headers for a token with the given scopes (all three by default)."""

    def make(*scopes: str, user: User | None = None) -> dict[str, str]:
        _, plain = create_token(user or editor, "test", scopes or ("read", "write", "send"))
        return {"HTTP_AUTHORIZATION": f"Bearer {plain}"}

    return make
