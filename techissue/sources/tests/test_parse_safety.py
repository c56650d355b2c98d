"""The feed parser refuses entity attacks, HTML pages, non-XML and broken XML with clear words."""

from __future__ import annotations

import pytest

from techissue.sources.parse import ParseError, parse_feed
from techissue.sources.xmlsafety import REFUSED_BUDGET, REFUSED_EXTERNAL

from . import documents
from .helpers import fetch


def test_it_refuses_a_billion_laughs_feed_at_once(server):
    result = fetch(server.url("/laughs.xml"))
    with pytest.raises(ParseError) as caught:
        parse_feed(result.body, result.final_url, result.charset)
    assert str(caught.value) == REFUSED_BUDGET


def test_it_refuses_an_external_entity_that_points_at_a_local_file(server):
    result = fetch(server.url("/xxe.xml"))
    with pytest.raises(ParseError) as caught:
        parse_feed(result.body, result.final_url, result.charset)
    assert str(caught.value) == REFUSED_EXTERNAL


def test_it_refuses_entities_hidden_in_utf16():
    with pytest.raises(ParseError, match="external or parameter XML entity"):
        parse_feed(documents.XXE_FEED.replace('"1.0"?>', '"1.0" encoding="utf-16"?>').encode("utf-16"), "http://x/")


def test_it_says_an_html_page_is_not_a_feed(server):
    result = fetch(server.url("/home.html"))
    with pytest.raises(ParseError) as caught:
        parse_feed(result.body, result.final_url, result.charset)
    assert str(caught.value) == "the response is an HTML page, not a feed"


def test_it_says_plain_text_is_not_xml(server):
    result = fetch(server.url("/not-xml"))
    with pytest.raises(ParseError) as caught:
        parse_feed(result.body, result.final_url, result.charset)
    assert str(caught.value) == "the response is not XML (it starts with 'just some words, no markup')"


def test_it_names_the_line_where_the_xml_breaks():
    broken = b'<?xml version="1.0"?>\n<rss version="2.0"><channel><title>T</title>\n<x a="1" a="2"></channel></rss>'
    with pytest.raises(ParseError) as caught:
        parse_feed(broken, "http://x/")
    assert str(caught.value).startswith("the XML is broken at line 3: ")


def test_it_says_when_xml_is_not_a_feed():
    with pytest.raises(ParseError, match="XML but not a feed"):
        parse_feed(b'<?xml version="1.0"?><catalog><book/></catalog>', "http://x/")


def test_it_says_when_the_response_is_empty():
    with pytest.raises(ParseError, match="empty"):
        parse_feed(b"  \n", "http://x/")


def test_it_says_an_xhtml_page_is_not_a_feed():
    xhtml = b'<?xml version="1.0"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" "x">\n<html/>'
    with pytest.raises(ParseError, match="HTML page, not a feed"):
        parse_feed(xhtml, "http://x/")
