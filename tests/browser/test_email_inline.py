"""Naver's web mail keeps only inline styles: the email with every <style> block stripped renders as the original."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings

from techissue.editions.render import prepare_email
from techissue.editions.tests.builders import published_edition

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

STYLE_BLOCKS = re.compile(r"<style\b[^>]*>.*?</style>", re.IGNORECASE | re.DOTALL)
PROPERTIES = [
    "color",
    "background-color",
    "font-family",
    "font-size",
    "font-weight",
    "line-height",
    "letter-spacing",
    "text-align",
    "text-decoration-line",
    "text-transform",
    "word-break",
    "margin",
    "padding",
    "border-top",
    "border-left",
    "border-radius",
    "display",
    "max-width",
    "vertical-align",
]
# Every element's computed value of each property, keyed by its place in the document.
COMPUTED = """(properties) => Array.from(document.body.querySelectorAll('*')).concat([document.body]).map((el, i) => {
  const style = getComputedStyle(el);
  return [i + ' ' + el.tagName + '.' + el.className, properties.map((p) => p + ': ' + style.getPropertyValue(p))];
})"""


@override_settings(
    TECHISSUE_SENDER_NAME="테크이슈", TECHISSUE_SENDER_CONTACT="ad@example.test", TECHISSUE_REPLY_TO="e@x.test"
)
def test_the_email_looks_the_same_without_its_style_blocks(page) -> None:
    editorial = '> 인용\n\n**굵게**와 [링크](https://example.test/a).\n\n![그림](/media/a.png "설명")'
    edition = published_edition(title="인라인 스타일만으로", editorial=editorial)
    edition.picks.filter(pk=edition.picks.first().pk).update(is_sponsored=True)  # type: ignore[union-attr]
    _, _, html = prepare_email(edition).personalize("김하나", "https://example.test/u", "https://example.test/p")
    stripped = STYLE_BLOCKS.sub("", html)
    assert "<style" not in stripped and "<style" in html

    page.set_viewport_size({"width": 700, "height": 900})  # wider than the 620px media query: no override applies
    renders = []
    for document in (html, stripped):
        page.set_content(document)
        renders.append(dict(page.evaluate(COMPUTED, PROPERTIES)))
    original, inline_only = renders
    differences = {
        element: [(a, b) for a, b in zip(original[element], inline_only[element], strict=True) if a != b]
        for element in original
    }
    assert {element: diff for element, diff in differences.items() if diff} == {}
