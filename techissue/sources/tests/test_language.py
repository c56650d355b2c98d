"""Language detection by script and English function words, offline."""

from __future__ import annotations

import unicodedata

import pytest

from techissue.sources.language import detect_language


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("삼성전자가 차세대 반도체를 공개했다.", "ko"),
        ("The company said it would open a new factory in the spring.", "en"),
        ("애플이 iPhone 17 Pro와 Apple Watch Ultra를 발표했다. 가격은 동결됐다.", "ko"),
        ("Samsung unveiled its new chip, which it calls 반도체, at the event in Seoul.", "en"),
        ("東京で新しい工場が稼働を始めました。", "ja"),
        ("公司宣布将在明年开设新工厂。", "zh"),
        ("Das Unternehmen eröffnet im Frühjahr eine neue Fabrik.", "und"),
        ("", "und"),
        ("12345 !!! ...", "und"),
    ],
)
def test_it_detects_the_language(text, lang):
    assert detect_language(text) == lang


def test_it_normalises_decomposed_hangul_first():
    assert detect_language(unicodedata.normalize("NFD", "한국어 기사입니다")) == "ko"
