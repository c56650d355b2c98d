"""Text stays text, harmless internal entities are read, and errors say what really happened."""

from __future__ import annotations

import pytest

from techissue.sources.parse import ParseError, parse_feed
from techissue.sources.xmlsafety import REFUSED_EXTERNAL

from . import realworld
from .helpers import fetch


def test_it_keeps_angle_brackets_in_plain_text_rss_titles():
    feed = parse_feed(realworld.ANGLE_BRACKETS_RSS.encode(), "http://x/")
    assert [entry.title for entry in feed.entries] == [
        "Why <svg> beats <canvas> for charts",
        "C++ std::vector<int> in 2026",
    ]


def test_it_keeps_atom_text_titles_and_summaries_as_text():
    feed = parse_feed(realworld.ANGLE_BRACKETS_ATOM.encode(), "http://x/")
    assert feed.title == "Code <Notes>"
    text_entry, html_entry = feed.entries
    assert text_entry.title == "C++ std::vector<int> in 2026"
    assert text_entry.summary_html == "Why &lt;svg&gt; beats &lt;canvas&gt; for charts, and when it does not."
    assert html_entry.title == "Bold move"  # an HTML title is still read as HTML


def test_it_reads_a_feed_that_declares_simple_internal_entities():
    feed = parse_feed(realworld.INTERNAL_ENTITY_FEED.encode(), "http://x/")
    assert feed.title == "Chip Weekly"  # the no-break space, folded like any space in a title
    assert feed.entries[0].title == "Fabs—and where to build them"


def test_it_still_refuses_parameter_entities():
    with pytest.raises(ParseError) as caught:
        parse_feed(realworld.PARAMETER_ENTITY_FEED.encode(), "http://x/")
    assert str(caught.value) == REFUSED_EXTERNAL


def test_it_reads_rss_that_starts_with_an_xhtml_doctype():
    feed = parse_feed(realworld.XHTML_DOCTYPE_RSS.encode(), "http://x/")
    assert (feed.title, [entry.title for entry in feed.entries]) == ("Old CMS", ["Still a feed"])


def test_it_says_no_items_for_an_empty_feed_with_a_broken_entity(server):
    result = fetch(server.url("/real/no-items.xml"))
    with pytest.raises(ParseError) as caught:
        parse_feed(result.body, result.final_url, result.charset)
    assert str(caught.value) == "the feed has no items"


def test_it_reads_a_feed_whose_article_text_quotes_an_entity_declaration():
    feed = parse_feed(
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>XML Notes</title>'
        b"<item><title>Entities</title><guid>1</guid><description><![CDATA[Write "
        b'<code>&lt;!ENTITY name "value"&gt;</code> or <!ENTITY x "y"> in a DTD.]]></description></item>'
        b"</channel></rss>",
        "http://x/",
    )
    assert feed.entries[0].title == "Entities"
