"""Signal receivers of the editor's area: the saved language follows the user into each new session."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in


def _on_login(sender: object, request: Any, user: Any, **kwargs: object) -> None:
    from techissue.editor.preferences import load_into_session

    if request is not None and hasattr(request, "session"):
        load_into_session(request, user)


def connect() -> None:
    user_logged_in.connect(_on_login, dispatch_uid="editor-language-on-login")
