"""Personal API tokens are shown once, stored as a hash, and stop working when revoked."""

from __future__ import annotations

import pytest

from techissue.api.models import ApiToken
from techissue.api.tokens import check_token, create_token, revoke_token

pytestmark = pytest.mark.django_db


def test_it_stores_only_a_hash_of_the_token(editor) -> None:
    token, plain = create_token(editor, "laptop", ["read"])

    stored = ApiToken.objects.get(pk=token.pk)
    assert plain.startswith(f"ti_{stored.prefix}_") and plain.split("_", 2)[2] not in stored.digest
    assert check_token(plain) == token


def test_a_changed_revoked_or_foreign_token_is_refused(editor) -> None:
    token, plain = create_token(editor, "laptop", ["read"])

    assert check_token(plain[:-1] + ("A" if plain[-1] != "A" else "B")) is None
    assert check_token("not-a-token") is None and check_token("ti_zz") is None
    revoke_token(token)
    assert check_token(plain) is None


def test_a_token_of_an_inactive_user_is_refused(editor) -> None:
    _, plain = create_token(editor, "laptop", ["read"])
    editor.is_active = False
    editor.save()

    assert check_token(plain) is None


def test_it_refuses_an_unknown_scope(editor) -> None:
    with pytest.raises(ValueError, match="unknown scope: admin"):
        create_token(editor, "x", ["read", "admin"])
