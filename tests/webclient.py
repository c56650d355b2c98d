"""A plain HTTP client with a cookie jar, for attack tests against the live server (no browser needed)."""

from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping, Sequence

Form = Mapping[str, str | Sequence[str]]


class Browser:
    """Keeps cookies (session, CSRF) between requests, follows redirects, and never raises on 4xx/5xx."""

    def __init__(self, base_url: str, forwarded_for: str = ""):
        self.base_url = base_url.rstrip("/")
        self.headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.last_url = ""

    def open(self, path: str, data: Form | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        # Django's CSRF check on https wants a Referer; on http it is harmless.
        headers = {**self.headers, "Referer": self.base_url + path}
        request = urllib.request.Request(self.base_url + path, data=body, headers=headers)
        try:
            with self.opener.open(request, timeout=20) as answer:
                self.last_url = answer.url
                return answer.status, answer.read().decode()
        except urllib.error.HTTPError as error:
            self.last_url = error.url
            return error.code, error.read().decode()

    def get(self, path: str) -> tuple[int, str]:
        return self.open(path)

    def post(self, path: str, data: Form) -> tuple[int, str]:
        return self.open(path, data)

    def csrf_token(self, path: str) -> str:
        """The CSRF cookie's value (what the forms carry), asking `path` for it first when there is none."""
        if not self.cookie("csrftoken"):
            self.get(path)
        return self.cookie("csrftoken")

    def cookie(self, name: str) -> str:
        return next((cookie.value or "" for cookie in self.jar if cookie.name == name), "")

    def submit(self, path: str, data: Form) -> tuple[int, str]:
        """GET the page with its form, then POST `data` with the form's CSRF token, as a person would."""
        _status, page = self.get(path)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        token = match[1] if match else self.cookie("csrftoken")
        return self.post(path, {**data, "csrfmiddlewaretoken": token})
