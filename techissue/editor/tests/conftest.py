"""Fixtures for the editor's area: an editor with every permission, and a staff member with none."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client


@pytest.fixture
def editor(client: Client) -> Client:
    user = get_user_model().objects.create_superuser("editor", "editor@example.com", "pw-for-tests-1")
    client.force_login(user)
    return client


@pytest.fixture
def bare_staff(client: Client) -> Client:
    """Staff, signed in, but without any of the editor's permissions."""
    user = get_user_model().objects.create_user("intern", "intern@example.com", "pw-for-tests-1", is_staff=True)
    client.force_login(user)
    return client
