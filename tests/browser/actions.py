"""Browser actions that wait for what they cause, never for a load state that may come before it."""

from __future__ import annotations

from typing import Any


def click_and_wait_for_post(page: Any, selector: str, then_url: str | None = None) -> Any:
    """Click `selector` and return once the POST it sends has been answered (and, with `then_url`,
    once the page it leads to has loaded at that URL).

    `wait_for_load_state()` after a click returns at once when the page has not started to
    navigate yet (or never will: a script sends the form), so on a busy machine the test went on
    before the server had seen the request. Waiting for the response itself cannot race.
    """
    with page.expect_response(lambda response: response.request.method == "POST") as answered:
        page.click(selector)
    if then_url is not None:
        page.wait_for_url(then_url)  # waits for that document's load event too
    return answered.value
