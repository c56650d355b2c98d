"""Who may see which editor page: sign-in first, then the Django permission the page or action needs."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.middleware import HtmxDetails

View = Callable[..., HttpResponse]


class HtmxRequest(HttpRequest):
    """A request that went through django-htmx's middleware (for type checkers)."""

    htmx: HtmxDetails


def denied(request: HttpRequest, message: str = "") -> HttpResponse:
    """A page in words (status 403), never Django's bare one."""
    context = {"message": message or _("You do not have permission to do this. Ask the site's owner for access.")}
    if request.headers.get("HX-Request"):
        return render(request, "editor/_message.html", {**context, "level": "error"}, status=403)
    return render(request, "editor/denied.html", context, status=403)


def editor_view(*permissions: str) -> Callable[[View], View]:
    """Sign-in (staff) required; every permission in `permissions` too, else a 403 page in words."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            user = request.user
            if not user.is_authenticated or not user.is_active:
                return redirect_to_login(request.get_full_path(), reverse("admin:login"))
            if not user.is_staff:
                return denied(request, _("This area is for the newsletter's editors."))
            if not user.has_perms(permissions):
                return denied(request)
            return view(request, *args, **kwargs)

        wrapped.editor_permissions = permissions  # type: ignore[attr-defined]
        return wrapped

    return decorate


def may(request: HttpRequest, permission: str) -> bool:
    """For templates and views that show an action only to those who can use it."""
    return bool(request.user.is_authenticated and request.user.has_perm(permission))
