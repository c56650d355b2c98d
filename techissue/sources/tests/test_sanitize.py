"""Article HTML keeps its structure and loses everything that could run or track."""

from __future__ import annotations

from techissue.sources.sanitize import clean_html, html_to_text

from . import documents

HOSTILE = (
    '<p onclick="steal()" style="color:red">Hello <b>world</b></p>'
    '<a href="javascript:alert(1)">js</a> <a href="JaVaScRiPt:alert(2)">js2</a>'
    '<a href="/about">about</a><img src="data:image/png;base64,AAAA"><img src="pic.png" onerror="x()">'
    '<script>alert(3)</script><style>p{}</style><iframe src="https://ads.example/">fallback</iframe>'
    '<form action="/x"><input name="q"></form><svg onload="x()"><text>svg</text></svg>'
)


def test_it_leaves_no_script_style_iframe_or_event_handler():
    cleaned = clean_html(HOSTILE, base_url="https://news.example/a/b.html").lower()
    for forbidden in (
        "<script",
        "<style",
        "<iframe",
        "onclick",
        "onerror",
        "onload",
        "javascript:",
        "data:",
        "<form",
        "<input",
        "<svg",
        "alert",
    ):
        assert forbidden not in cleaned, forbidden


def test_it_makes_links_absolute_and_inert():
    cleaned = clean_html(HOSTILE, base_url="https://news.example/a/b.html")
    assert '<a href="https://news.example/about" rel="noopener noreferrer nofollow">about</a>' in cleaned
    assert '<img src="https://news.example/a/pic.png">' in cleaned
    assert "<p>Hello <b>world</b></p>" in cleaned


def test_it_cleans_the_served_article_page():
    cleaned = clean_html(documents.ENGLISH_ARTICLE, base_url="https://news.example/article/en.html")
    assert "steal" not in cleaned and "javascript" not in cleaned and "stolen" not in cleaned
    assert "Click me" in cleaned


def test_it_turns_html_into_text_with_paragraphs():
    text = html_to_text("<h1>Title</h1><p>One &amp; two</p><p>Three<br>four</p><script>x()</script>")
    assert text == "Title\n\nOne & two\n\nThree\nfour"


def test_it_handles_empty_input():
    assert clean_html("") == ""
    assert html_to_text("") == ""
