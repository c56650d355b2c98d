"""Who may call what: a token (or the editor's session), its scopes, Django's permissions, and a rate limit."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.security import APIKeyCookie, HttpBearer

from techissue.api.models import ApiToken
from techissue.api.problems import Problem
from techissue.api.tokens import check_token
from techissue.audience.ratelimit import allow

ALL_SCOPES = {"read", "write", "send"}


class TokenAuth(HttpBearer):
    """`Authorization: Bearer ti_…`: a personal token, limited to its scopes and rate."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = check_token(token)
        if found is None:
            return None
        limit = settings.TECHISSUE_API_RATE_PER_MINUTE
        if not allow(f"api:token:{found.prefix}", limit, 60):
            raise Problem(429, _("More than %(limit)s requests a minute with this token.") % {"limit": limit})
        request.user = found.user
        request.api_token = found  # type: ignore[attr-defined]
        return found


class EditorSession(APIKeyCookie):
    """The editor's signed-in browser session (staff only), with Django's CSRF check on writes."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request: HttpRequest, key: str | None) -> AbstractBaseUser | None:
        user = getattr(request, "user", AnonymousUser())
        if user.is_authenticated and user.is_staff and user.is_active:
            return user  # type: ignore[return-value]
        return None


def require(request: HttpRequest, scope: str, *permissions: str) -> None:
    """Refuse (403) unless the token has `scope` and its user every Django permission in `permissions`."""
    token: ApiToken | None = getattr(request, "api_token", None)
    # Every token may read; "write" and "send" are granted on their own (a token that sends need not edit).
    scopes = token.scope_set | {"read"} if token is not None else ALL_SCOPES
    if scope not in scopes:
        raise Problem(403, _("This token lacks the '%(scope)s' scope.") % {"scope": scope})
    if not request.user.has_perms(permissions):
        raise Problem(
            403, _("Your account lacks the permission this needs: %(perms)s.") % {"perms": ", ".join(permissions)}
        )


def encode_cursor(value: int) -> str:
    return base64.urlsafe_b64encode(str(value).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int | None:
    """The position a cursor names; a cursor we did not make is a 400 problem."""
    if not cursor:
        return None
    try:
        value = int(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode())
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise Problem(400, _("This cursor was not made by this API: start again without one.")) from None
    if value < 0:
        raise Problem(400, _("This cursor was not made by this API: start again without one."))
    return value


def keyset_page(
    found: QuerySet[Any],
    cursor: str | None,
    limit: int,
    key: str = "id",
    newest_first: bool = False,
    shape: Callable[[Any], Any] = lambda row: row,
) -> dict[str, Any]:
    """One page of `found` ordered by `key`, after the row the cursor names; the cursor is that row's key."""
    after = decode_cursor(cursor)
    if after is not None:
        found = found.filter(**{f"{key}__{'lt' if newest_first else 'gt'}": after})
    rows = list(found.order_by(f"-{key}" if newest_first else key)[: limit + 1])
    position = getattr(rows[limit - 1], key) if len(rows) > limit else 0
    return page_of([shape(row) for row in rows], limit, position)


def page_of(items: list[Any], limit: int, position: Any) -> dict[str, Any]:
    """Items and the cursor of the next page (None on the last page); `items` holds up to limit + 1."""
    more = len(items) > limit
    return {"items": items[:limit], "next_cursor": encode_cursor(position) if more else None}
