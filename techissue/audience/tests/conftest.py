"""Fixtures for the audience tests: a clean cache, so that rate limits start from zero."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from techissue.delivery.tests.conftest import smtp_server  # noqa: F401 (bounces are matched to real sends)


@pytest.fixture(autouse=True)
def clean_cache():
    cache.clear()
    yield
    cache.clear()


IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
QUEUED = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """The form's request is a task: here it runs at once, unless a test asks for the real queue (`queued_tasks`)."""
    settings.TASKS = IMMEDIATE


@pytest.fixture
def queued_tasks(settings):
    """The production backend: tasks wait in the database until `run_queued_tasks()` (the worker) takes them."""
    settings.TASKS = QUEUED
