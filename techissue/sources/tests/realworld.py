"""Real-world shapes that used to be stored wrong, written by us: stray bytes, BOMs, titles with `<`, entities."""

from __future__ import annotations

import codecs

from .documents import ENGLISH_PARAGRAPH, KOREAN_PARAGRAPH, rss

APPLE_TITLE = "Apple’s new “M4” chip doubles the neural engine"
KOREAN_TITLE = "한국형 인공지능 반도체, 첫 양산 들어가"
KOREAN_TEASER = "국내 팹리스가 설계한 인공지능 반도체가 이달 첫 양산에 들어갔다."


def _stray(text: str, after: str, byte: bytes = b"\x92") -> bytes:
    """UTF-8 bytes of `text` with one stray byte inserted after the first `after`."""
    encoded = text.encode("utf-8")
    at = encoded.index(after.encode("utf-8")) + len(after.encode("utf-8"))
    return encoded[:at] + byte + encoded[at:]


ENGLISH_FEED = rss(
    f"<item><title>{APPLE_TITLE}</title><guid>m4</guid><link>/real/none</link>"
    f"<description>{ENGLISH_PARAGRAPH}</description></item>",
    title="Chip Weekly",
    prolog='<?xml version="1.0" encoding="utf-8"?>',
)
KOREAN_FEED = rss(
    f"<item><title>{KOREAN_TITLE}</title><guid>k1</guid><link>/real/none</link>"
    f"<description>{KOREAN_TEASER} {KOREAN_PARAGRAPH}</description></item>",
    title="반도체 일보",
)
# A stray Windows-1252 apostrophe in an otherwise UTF-8 English feed.
ENGLISH_STRAY = _stray(ENGLISH_FEED, "said on Monday")
# One inserted byte in a Korean feed, in the middle of its description.
KOREAN_STRAY = _stray(KOREAN_FEED, "국내 팹리스가", b"\xff")
KOREAN_PAGE = f"""<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8"><title>{KOREAN_TITLE}</title></head>
<body><article><h1>{KOREAN_TITLE}</h1><p>{KOREAN_TEASER}</p><p>{KOREAN_PARAGRAPH}</p><p>{KOREAN_PARAGRAPH}</p>
<p>{KOREAN_PARAGRAPH}</p></article></body></html>"""
KOREAN_PAGE_STRAY = _stray(KOREAN_PAGE, "국내 팹리스가", b"\xb0")

ANGLE_BRACKETS_RSS = rss(
    "<item><title>Why &lt;svg&gt; beats &lt;canvas&gt; for charts</title><guid>a1</guid></item>"
    "<item><title>C++ std::vector&lt;int&gt; in 2026</title><guid>a2</guid></item>"
)
ANGLE_BRACKETS_ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title type="text">Code &lt;Notes&gt;</title><id>urn:x</id>
<entry><id>urn:1</id><title type="text">C++ std::vector&lt;int&gt; in 2026</title>
<summary type="text">Why &lt;svg&gt; beats &lt;canvas&gt; for charts, and when it does not.</summary></entry>
<entry><id>urn:2</id><title type="html">&lt;b&gt;Bold&lt;/b&gt; move</title></entry>
</feed>"""

INTERNAL_ENTITY_FEED = """<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE rss [
  <!-- the usual HTML names, declared by the outlet's CMS -->
  <!ENTITY nbsp "&#160;">
  <!ENTITY mdash "&#8212;">
  <!ENTITY outlet "Chip&nbsp;Weekly">
]>
<rss version="2.0"><channel><title>&outlet;</title><link>/</link>
<item><title>Fabs&mdash;and where to build them</title><guid>e1</guid></item></channel></rss>"""

PARAMETER_ENTITY_FEED = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY % remote SYSTEM "http://127.0.0.1:9/evil.dtd"> %remote;]>
<rss version="2.0"><channel><title>x</title><item><title>x</title><guid>1</guid></item></channel></rss>"""

XHTML_DOCTYPE_RSS = """<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<rss version="2.0"><channel><title>Old CMS</title><link>/</link>
<item><title>Still a feed</title><guid>x1</guid></item></channel></rss>"""

NO_ITEMS_BROKEN_ENTITY = """<?xml version="1.0"?>
<rss version="2.0"><channel><title>Caf&eacute; news</title><link>/</link></channel></rss>"""


def utf16_without_bom(text: str, little: bool = True) -> bytes:
    return text.encode("utf-16-le" if little else "utf-16-be")


BOMS = {
    "utf-8": codecs.BOM_UTF8 + KOREAN_FEED.encode("utf-8"),
    "utf-16-le": codecs.BOM_UTF16_LE + KOREAN_FEED.encode("utf-16-le"),
    "utf-16-be": codecs.BOM_UTF16_BE + KOREAN_FEED.encode("utf-16-be"),
    "utf-32-le": codecs.BOM_UTF32_LE + KOREAN_FEED.encode("utf-32-le"),
    "utf-32-be": codecs.BOM_UTF32_BE + KOREAN_FEED.encode("utf-32-be"),
}

# Pages reached from teasers: a bare date, a page language, a bad port, a reporter box.
DATE_ONLY_PAGE = f"""<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8"><title>{KOREAN_TITLE}</title>
<meta property="article:published_time" content="2026-03-05"></head>
<body><article><h1>{KOREAN_TITLE}</h1><p>{KOREAN_PARAGRAPH}</p><p>{KOREAN_PARAGRAPH}</p><p>{KOREAN_PARAGRAPH}</p>
</article></body></html>"""
LANG_ONLY_PAGE = (
    """<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8"><title>2026</title></head>
<body><article><h1>2026</h1><p>"""
    + " ".join(f"{n}: {n * 7}%" for n in range(1, 80))
    + """</p></article></body></html>"""
)
BYLINE_PAGE = f"""<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8"><title>{KOREAN_TITLE}</title>
<meta name="author" content="기자 정보 이동환 기자 Leedong Co Kr 이동환 기자의 기사 모음"></head>
<body><article><h1>{KOREAN_TITLE}</h1><p>{KOREAN_PARAGRAPH}</p><p>{KOREAN_PARAGRAPH}</p><p>{KOREAN_PARAGRAPH}</p>
</article></body></html>"""


DATE_ONLY_TEASER = rss(
    "<item><title>날짜만 있는 기사</title><link>/real/date-only.html</link><guid>d1</guid>"
    "<description>짧은 요약.</description></item>"
)


def teaser_feed(base: str) -> str:
    """Teasers whose pages say only a date, only a language, carry a byline box, or sit on a bad port."""
    return rss(
        "<item><title>날짜만 있는 기사</title><link>/real/date-only.html</link><guid>t1</guid>"
        "<description>짧은 요약.</description></item>"
        "<item><title></title><link>/real/lang-only.html</link><guid>t2</guid><description>1</description></item>"
        "<item><title>기자 정보가 붙은 기사</title><link>/real/byline.html</link><guid>t3</guid>"
        "<description>짧은 요약.</description><pubDate>Wed, 04 Mar 2026 19:00:00 +0900</pubDate></item>"
        f"<item><title>Bad port</title><link>{base}:99999/real/x.html</link><guid>t4</guid>"
        "<description>Short.</description></item>"
        "<item><title>Stray byte page</title><link>/real/stray-page.html</link><guid>t5</guid>"
        "<description>짧은 요약.</description></item>"
    )


def documents(base: str) -> dict[str, tuple[bytes, str]]:
    """Path under /real/ → (body, content type) for the loopback test server."""
    rss_type = "application/rss+xml"
    return {
        "english-stray.xml": (ENGLISH_STRAY, rss_type),
        "korean-stray.xml": (KOREAN_STRAY, "application/rss+xml; charset=utf-8"),
        "bom-utf-8.xml": (BOMS["utf-8"], rss_type),
        "teasers.xml": (teaser_feed(base).encode(), rss_type),
        "date-only-teaser.xml": (DATE_ONLY_TEASER.encode(), rss_type),
        "date-only.html": (DATE_ONLY_PAGE.encode(), "text/html; charset=utf-8"),
        "lang-only.html": (LANG_ONLY_PAGE.encode(), "text/html; charset=utf-8"),
        "byline.html": (BYLINE_PAGE.encode(), "text/html; charset=utf-8"),
        "stray-page.html": (KOREAN_PAGE_STRAY, "text/html; charset=utf-8"),
        "no-items.xml": (NO_ITEMS_BROKEN_ENTITY.encode(), rss_type),
    }
