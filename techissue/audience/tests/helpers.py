"""Test helpers of the audience: run the task queue as the worker does, and post a form as a browser does."""

from __future__ import annotations


def run_queued_tasks() -> None:
    """What `techissue worker` does with the queue, once, until it is empty."""
    from django.core.management import call_command

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def post_form(base_url: str, path: str, data: dict[str, str], forwarded_for: str = "") -> tuple[int, str]:
    """A browser's visit over HTTP: GET the page for its CSRF cookie and token, then POST the form."""
    import http.cookiejar
    import re
    import urllib.error
    import urllib.parse
    import urllib.request

    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    with opener.open(urllib.request.Request(base_url + path, headers=headers), timeout=10) as page:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.read().decode())[1]  # type: ignore[index]
    body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": token}).encode()
    request = urllib.request.Request(base_url + path, data=body, headers={**headers, "Referer": base_url + path})
    try:
        with opener.open(request, timeout=10) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
