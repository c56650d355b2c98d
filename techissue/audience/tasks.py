"""The audience's background tasks: a subscribe request is handled, and its mail sent, by the worker."""

from __future__ import annotations

from django_tasks import task


@task()
def handle_subscription_request(email: str, name: str, language: str, ip: str | None) -> bool:
    """The form's request, decided away from the request: True when a confirmation mail went out."""
    from techissue.audience.subscribe import request_subscription

    return request_subscription(email, name, language or None, ip)
