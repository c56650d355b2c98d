"""Create, check and revoke personal API tokens: `ti_<prefix>_<secret>`, of which only a hash is kept."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable

from django.contrib.auth.models import User
from django.utils import timezone

from techissue.api.models import ApiToken, Scope

TOKEN_START = "ti_"


def _digest(secret: str) -> str:
    # The secret has 256 bits of entropy, so a fast hash is enough (no guessing, unlike a password).
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(user: User, name: str, scopes: Iterable[str] = ("read",)) -> tuple[ApiToken, str]:
    """A new token for `user`; the plain token is returned once and never stored."""
    chosen = sorted(set(scopes))
    unknown = [scope for scope in chosen if scope not in Scope.values]
    if unknown:
        raise ValueError(f"unknown scope: {', '.join(unknown)}")
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name, prefix=prefix, digest=_digest(secret), scopes=",".join(chosen)
    )
    return token, f"{TOKEN_START}{prefix}_{secret}"


def check_token(raw: str) -> ApiToken | None:
    """The live token that `raw` is, or None (unknown, malformed, revoked, or its user is inactive)."""
    if not raw.startswith(TOKEN_START) or raw.count("_") < 2:
        return None
    prefix, _, secret = raw[len(TOKEN_START) :].partition("_")
    token = ApiToken.objects.select_related("user").filter(prefix=prefix, revoked_at__isnull=True).first()
    if token is None or not hmac.compare_digest(token.digest, _digest(secret)) or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)  # at most one write a minute
    return token


def revoke_token(token: ApiToken) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
