"""OPML files import with nested outlines and refused entities, and export as OPML 2.0."""

from __future__ import annotations

import pytest

from techissue.sources.opml import OpmlFeed, ParseError, build_opml, parse_opml

NESTED = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="1.0"><head><title>My feeds</title></head><body>
<outline text="Korean">
  <outline text="IT News" title="IT 뉴스" type="rss" xmlUrl="https://it.example.kr/rss"
           htmlUrl="https://it.example.kr/" language="ko"/>
  <outline text="Deeper"><outline text="Deep" xmlurl="https://deep.example/feed"/></outline></outline>
<outline text="No feed here" htmlUrl="https://site.example/"/>
<outline text="Again" xmlUrl="https://it.example.kr/rss"/>
</body></opml>"""


def test_it_reads_nested_outlines_in_order_without_repeats():
    assert parse_opml(NESTED.encode()) == [
        OpmlFeed("https://it.example.kr/rss", "IT 뉴스", "https://it.example.kr/", "ko"),
        OpmlFeed("https://deep.example/feed", "Deep", None, None),
    ]


def test_it_round_trips_what_it_writes():
    feeds = [
        OpmlFeed("https://a.example.kr/rss", "한국 & 뉴스 <속보>", "https://a.example.kr/", "ko"),
        OpmlFeed("https://b.example/atom"),
    ]
    document = build_opml(feeds, "techissue 구독")
    assert document.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert b'<opml version="2.0">' in document
    assert parse_opml(document) == feeds


def test_it_refuses_an_entity_bomb():
    levels = "".join(f'<!ENTITY a{n} "{f"&a{n - 1};" * 10}">' for n in range(1, 8))
    laughs = (
        f'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a0 "aaaa">{levels}]>'
        '<opml><body><outline xmlUrl="&a7;"/></body></opml>'
    )
    with pytest.raises(ParseError, match="expand beyond a safe size"):
        parse_opml(laughs.encode())


def test_it_expands_a_small_internal_entity():
    document = (
        '<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY host "https://news.example">]>'
        '<opml><body><outline text="Tech" xmlUrl="&host;/rss.xml"/></body></opml>'
    )
    assert [feed.url for feed in parse_opml(document.encode())] == ["https://news.example/rss.xml"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the OPML file is empty"),
        (b'<?xml version="1.0"?>\n<opml><body>\n<outline></body></opml>', "the OPML is broken at line 3"),
        (b'<?xml version="1.0"?><rss version="2.0"/>', "the file is not OPML (its root element is <rss>)"),
    ],
)
def test_it_explains_what_is_wrong_with_a_bad_file(data, message):
    with pytest.raises(ParseError) as caught:
        parse_opml(data)
    assert str(caught.value).startswith(message)
