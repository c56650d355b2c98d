"""Text to features: tokens, aliases, entities and the shared keys of Korean and English."""

from __future__ import annotations

import unicodedata

from techissue.curation.tests.samples import HBM_EN, HBM_KO, PHONE_EN
from techissue.curation.text import (
    alias_matcher,
    english_tokens,
    featurize,
    korean_tokens,
    normalize_entities,
    normalize_text,
)


def test_it_normalises_decomposed_korean_to_nfc() -> None:
    decomposed = unicodedata.normalize("NFD", "삼성전자")
    assert decomposed != "삼성전자"
    assert normalize_text(decomposed) == "삼성전자"


def test_it_finds_entities_in_decomposed_korean() -> None:
    text = unicodedata.normalize("NFD", "엔비디아가 발표했다")
    assert "nvidia" in featurize([("ko", text)])[0].entities


def test_it_lowercases_stems_and_drops_stopwords_in_english() -> None:
    assert english_tokens("The chips were launched by Samsung") == ["chip", "launch", "samsung"]


def test_it_keeps_korean_nouns_and_drops_particles() -> None:
    tokens = korean_tokens("삼성전자가 반도체 공장을 지었다")
    assert "삼성전자" in tokens and "반도체" in tokens and "공장" in tokens
    assert "가" not in tokens and "을" not in tokens


def test_it_maps_korean_and_english_names_to_one_key() -> None:
    matcher = alias_matcher()
    assert matcher.find("엔비디아와 삼성전자, 오픈AI, SK하이닉스") == {
        "nvidia",
        "samsung-electronics",
        "openai",
        "sk-hynix",
    }
    assert matcher.find("NVIDIA, Samsung Electronics, OpenAI and SK hynix") == {
        "nvidia",
        "samsung-electronics",
        "openai",
        "sk-hynix",
    }


def test_it_prefers_the_longest_alias() -> None:
    assert alias_matcher().find("Samsung Biologics") == {"samsung-biologics"}


def test_it_tells_the_country_from_the_pronoun() -> None:
    matcher = alias_matcher()
    assert "usa" in matcher.find("the US said")
    assert "usa" not in matcher.find("they told us so")


def test_it_does_not_match_a_short_korean_name_inside_a_longer_word() -> None:
    assert "india" not in alias_matcher().find("인도네시아 정부가")
    assert "india" in alias_matcher().find("인도가 발표했다")


def test_it_uses_an_editor_supplied_alias_table() -> None:
    features = featurize([("ko", "누리실리콘이 투자를 유치했다")], aliases={"누리실리콘": "nurisilicon"})
    assert "nurisilicon" in features[0].entities


def test_it_normalises_entities_of_token_lists() -> None:
    assert normalize_entities(["Samsung", "Electronics", "엔비디아"]) == {
        "samsung-electronics",
        "nvidia",
    }


def test_it_gives_the_same_event_in_two_languages_shared_keys() -> None:
    korean, english = featurize([("ko", HBM_KO), ("en", HBM_EN)])
    shared = korean.keys & english.keys
    assert {"samsung-electronics", "nvidia", "num:12:layer", "num:2e13:krw", "lat:hbm4"} <= shared


def test_it_meets_transliterated_names_by_sound() -> None:
    korean, english = featurize(
        [("ko", "퀼마인드, 투자 유치\n퀼마인드가 투자를 받았다."), ("en", "Quillmind raises money\nQuillmind said")]
    )
    assert "ph:klmnd" in korean.entities & english.entities


def test_it_keeps_different_events_of_one_company_apart_in_keys() -> None:
    memory, phone = featurize([("en", HBM_EN), ("en", PHONE_EN)])
    assert not (memory.numbers & phone.numbers)


def test_it_limits_korean_morphology_to_the_head() -> None:
    text = "반도체 " * 10 + "배터리"
    head_only = featurize([("ko", text)], korean_head_chars=20)[0]
    assert "배터리" not in head_only.tokens
    assert "battery" in head_only.entities  # entities still come from the whole text
