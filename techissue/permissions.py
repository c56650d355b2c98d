"""Model permissions for custom admin views: one decorator that every extra view (the desk, the editor area) uses.

Django's `admin_site.admin_view` only checks that the user is active staff; the ModelAdmin's own pages
check the model permissions, but a view added through `get_urls()` checks nothing more unless it says so.
Wrap each such view in `requires_permission(Model, "change")` (or "view", "add", "delete"): the request
is refused with 403 unless the user holds every permission named. Admin actions that write say
`@admin.action(permissions=["change"])`, so a view-only user never sees them.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth import get_permission_codename
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import HttpRequest

View = TypeVar("View", bound=Callable[..., Any])


def permission_name(model: type[Model], action: str) -> str:
    """`app_label.action_modelname`, the name `user.has_perm()` takes."""
    opts = model._meta
    return f"{opts.app_label}.{get_permission_codename(action, opts)}"


def has_model_permission(request: HttpRequest, model: type[Model], *actions: str) -> bool:
    user = getattr(request, "user", None)
    if user is None or not user.is_active or not user.is_staff:
        return False
    return all(user.has_perm(permission_name(model, action)) for action in actions)


def requires_permission(model: type[Model], *actions: str) -> Callable[[View], View]:
    """Refuse (403) a view, a function or a method, unless the user holds each `action` permission on `model`."""
    if not actions:
        raise ValueError("name at least one of view, add, change, delete")

    def decorator(view: View) -> View:
        @wraps(view)
        def checked(*args: Any, **kwargs: Any) -> Any:
            request = next((arg for arg in args if isinstance(arg, HttpRequest)), kwargs.get("request"))
            if not isinstance(request, HttpRequest) or not has_model_permission(request, model, *actions):
                raise PermissionDenied
            return view(*args, **kwargs)

        checked.required_permissions = [permission_name(model, action) for action in actions]  # type: ignore[attr-defined]
        return checked  # type: ignore[return-value]

    return decorator
