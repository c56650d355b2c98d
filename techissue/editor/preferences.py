"""The editor's language, kept per user and carried in the session so that each page needs no query."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.http import HttpRequest

from techissue.editor.models import EditorPreference

SESSION_KEY = "editor_language"


def language_codes() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


def set_editor_language(request: HttpRequest, language: str) -> str:
    """Remember `language` for this user (and this session); unknown codes raise ValueError."""
    if language not in language_codes():
        raise ValueError(f"unknown language {language!r}")
    user = request.user
    if user.is_authenticated:
        EditorPreference.objects.update_or_create(user=user, defaults={"language": language})
    request.session[SESSION_KEY] = language
    return language


def load_into_session(request: HttpRequest, user: AbstractBaseUser | AnonymousUser) -> None:
    """At login: the user's saved language, if any, becomes the session's."""
    if user.pk is None:
        return
    language = EditorPreference.objects.filter(user_id=user.pk).values_list("language", flat=True).first()
    if language in language_codes():
        request.session[SESSION_KEY] = language
