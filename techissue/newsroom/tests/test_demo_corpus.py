"""The demo newsroom has the shape the demo relies on: mixed outlets, shared stories, wire copies."""

from __future__ import annotations

from collections import Counter, defaultdict
from difflib import SequenceMatcher

from techissue.newsroom import Corpus


def test_it_mixes_languages_formats_and_content_modes(demo_corpus: Corpus) -> None:
    outlets = demo_corpus.outlets
    assert len(outlets) >= 8
    assert Counter(o.lang for o in outlets) == {"ko": len(outlets) // 2, "en": len(outlets) // 2}
    assert {o.format for o in outlets} == {"rss2", "rss1", "atom"}
    assert {o.content for o in outlets} == {"full", "summary"}
    assert [o.lang for o in outlets if o.encoding == "euc-kr"] == ["ko"]


def test_it_covers_events_across_outlets_and_languages(demo_corpus: Corpus) -> None:
    assert len(demo_corpus.articles) >= 64
    outlets_of: dict[str, set[str]] = defaultdict(set)
    for article in demo_corpus.articles:
        outlets_of[article.story].add(article.outlet)
    events = [story for story, names in outlets_of.items() if len(names) >= 3]
    assert len(events) >= 8
    for story in events:
        langs = {demo_corpus.outlet(name).lang for name in outlets_of[story]}
        assert langs == {"ko", "en"}, story


def test_its_wire_copies_share_the_story_and_most_of_the_text(demo_corpus: Corpus) -> None:
    copies = [a for a in demo_corpus.articles if a.copy_of]
    assert len(copies) >= 4
    for copy in copies:
        original = demo_corpus.article(copy.copy_of or "")
        assert copy.story == original.story
        assert copy.outlet != original.outlet
        similarity = SequenceMatcher(None, original.body, copy.body, autojunk=False).ratio()
        assert similarity > 0.75, copy.key


def test_its_bodies_have_the_documented_size(demo_corpus: Corpus) -> None:
    for article in demo_corpus.articles:
        assert 3 <= len(article.paragraphs) <= 8, article.key
        assert 500 <= len(article.body.strip()) <= 2000, article.key
