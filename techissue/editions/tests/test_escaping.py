"""Text from outside (feed titles, summaries) shows as text in the email, the page and the feed; it never runs."""

from __future__ import annotations

import re

import pytest

from techissue.editions import services
from techissue.editions.models import Edition
from techissue.editions.render import prepare_email
from techissue.editions.tests.builders import make_story

pytestmark = pytest.mark.django_db
HOSTILE_TITLE = "<script>alert('title')</script> 삼성 실적"
HOSTILE_SUMMARY = '<img src=x onerror="alert(2)"> 요약 <script>alert(3)</script>'


def _hostile_edition() -> Edition:
    make_story(HOSTILE_TITLE, summary=HOSTILE_SUMMARY, outlets=('<b onmouseover="x()">Evil</b>',), score=10)
    edition = services.draft_edition(size=1)
    edition.editorial_md = 'Hi <script>alert(4)</script> <a href="javascript:alert(5)">x</a> [y](javascript:alert(6))'
    edition.subtitle = '"><script>alert(7)</script>'
    edition.save()
    pick = edition.picks.get()
    pick.url = "javascript:alert(8)"
    pick.save()
    return services.publish_edition(edition)


# The page's one script of its own: the subscribe box's CSRF token fill, a static file (the CSP allows no other).
SUBSCRIBE_SCRIPT = re.compile(r'<script src="/static/site/subscribe-box\.js" defer></script>')


def _without_the_subscribe_script(html: str) -> str:
    stripped, count = SUBSCRIBE_SCRIPT.subn("", html)
    assert count == 1
    return stripped


def _assert_inert(html: str) -> None:
    lowered = html.lower()
    assert "<script" not in lowered
    assert not re.search(r"<[^>]*\son\w+=", lowered), "a real tag carries an event handler"
    assert 'href="javascript:' not in lowered


def test_it_escapes_hostile_text_in_the_email_html() -> None:
    html = prepare_email(_hostile_edition()).personalize("", "http://127.0.0.1/u", "http://127.0.0.1/p")[2]

    _assert_inert(html)
    assert "&lt;script&gt;alert('title')&lt;/script&gt; 삼성 실적" in html or "&lt;script&gt;alert(&#x27;title" in html
    assert "&lt;img src=x onerror=" in html


def test_it_escapes_hostile_text_on_the_edition_page(client) -> None:
    edition = _hostile_edition()

    html = client.get(edition.get_absolute_url()).content.decode()

    _assert_inert(_without_the_subscribe_script(html))
    assert "&lt;script&gt;alert(&#x27;title&#x27;)&lt;/script&gt; 삼성 실적" in html
    assert "&lt;b onmouseover=" in html
    assert 'content="&quot;&gt;&lt;script&gt;alert(7)&lt;/script&gt;"' in html


def test_it_keeps_the_plain_text_part_plain() -> None:
    text = prepare_email(_hostile_edition()).personalize("", "http://127.0.0.1/u", "http://127.0.0.1/p")[1]

    assert HOSTILE_TITLE in text  # plain text is shown as is, never interpreted
    assert "&lt;" not in text
