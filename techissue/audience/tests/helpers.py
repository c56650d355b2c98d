"""Test helpers of the audience: run the task queue as the worker does, and post a form as a browser does."""

from __future__ import annotations


def run_queued_tasks() -> None:
    """What `techissue worker` does with the queue, once, until it is empty."""
    from django.core.management import call_command

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def post_form(base_url: str, path: str, data: dict[str, str], forwarded_for: str = "") -> tuple[int, str]:
    """A browser's visit over HTTP: GET the page for its CSRF cookie and token, then POST the form."""
    from tests.webclient import Browser

    return Browser(base_url, forwarded_for).submit(path, data)
