"""Documents the misbehaving test server hands out: feeds, pages and attacks, written by hand."""

from __future__ import annotations

KOREAN_PARAGRAPH = (
    "삼성전자가 2일 차세대 고대역폭 메모리를 공개했다. 회사는 올해 하반기부터 양산에 들어간다고 밝혔다. "
    "업계에서는 이번 제품이 인공지능 서버 시장의 판도를 바꿀 것으로 본다. "
)
ENGLISH_PARAGRAPH = (
    "The company said on Monday that it would open a new factory in the spring, and that the "
    "plant is expected to employ more than two thousand people by the end of the year. "
)


def rss(items: str, title: str = "Test outlet", link: str = "/", prolog: str = '<?xml version="1.0"?>') -> str:
    """An RSS 2.0 document around `items`."""
    return (
        f'{prolog}\n<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>{title}</title><link>{link}</link>{items}</channel></rss>"
    )


GOOD_FEED = rss(
    "<item><title>Factory news</title><link>/article/en.html</link><guid>en-1</guid>"
    "<description>A short teaser.</description><pubDate>Mon, 02 Mar 2026 09:00:00 GMT</pubDate></item>"
)

QUIRKY_FEED = rss(
    # relative link, no title, broken date
    "<item><link>posts/relative.html</link><description>No title here but a summary that is "
    "long enough to give a few words for the fallback title</description>"
    '<pubDate>the thirty-second of Smarch</pubDate><guid isPermaLink="false">q-1</guid></item>'
    # repeated GUID: the second copy must go
    '<item><title>First copy</title><link>/posts/a.html</link><guid isPermaLink="false">q-2</guid></item>'
    '<item><title>Second copy</title><link>/posts/a-again.html</link><guid isPermaLink="false">q-2</guid></item>'
    # no guid at all: falls back to the link
    "<item><title>No guid</title><link>/posts/no-guid.html</link>"
    "<pubDate>Tue, 03 Mar 2026 18:30:00 +0900</pubDate></item>"
    # no guid and no link: falls back to a hash of title and date
    "<item><title>Nothing to link</title><description>x</description></item>",
    link="https://quirky.example/",
)

EUC_KR_FEED = rss(
    f"<item><title>반도체 공개</title><link>/article/ko.html</link><guid>ko-1</guid>"
    f"<description>{KOREAN_PARAGRAPH}</description></item>",
    title="한국 경제 뉴스",
    prolog='<?xml version="1.0" encoding="euc-kr"?>',
)

# 똠 and 햏 exist in CP949 but not in EUC-KR: a decoder that picks plain EUC-KR fails on them.
CP949_FEED = rss(
    f"<item><title>똠방각하와 햏자의 인공지능 이야기</title><link>/cp949/1</link><guid>cp-1</guid>"
    f"<description>{KOREAN_PARAGRAPH * 2}</description></item>",
    title="국내 기술 소식",
)

FULL_TEXT_ITEM = (
    "<item><title>Everything in the feed</title><link>/article/full.html</link><guid>full-1</guid>"
    "<description>Teaser.</description>"
    f"<content:encoded><![CDATA[<p>{ENGLISH_PARAGRAPH * 4}</p><script>alert(1)</script>]]></content:encoded></item>"
)

TEASER_FEED = rss(
    "<item><title>Factory news</title><link>/article/en.html</link><guid>t-en</guid>"
    "<description>A short teaser.</description></item>"
    "<item><title>반도체 공개</title><link>/article/ko.html</link><guid>t-ko</guid>"
    "<description>짧은 요약.</description></item>"
    "<item><title>Gone</title><link>/status/404</link><guid>t-404</guid>"
    "<description>The page of this one is missing.</description></item>"
    "<item><title>Seen before</title><link>/article/known.html</link><guid>t-known</guid>"
    "<description>Already stored.</description></item>" + FULL_TEXT_ITEM,
    title="Teasers",
)

ATOM_FEED = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom outlet</title>
<link rel="alternate" href="https://atom.example/"/><link rel="self" href="https://atom.example/atom.xml"/>
<id>urn:atom</id><updated>2026-03-02T09:00:00Z</updated>
<entry><title>Atom entry</title><id>urn:atom:1</id><link href="/a/1"/>
<updated>2026-03-02T18:00:00+09:00</updated><author><name>Kim</name></author>
<summary>Short.</summary></entry></feed>"""

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title></item></channel></rss>"""

XXE_FEED = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>&x;</title><item><title>&x;</title></item></channel></rss>"""

HOME_PAGE = """<!DOCTYPE html><html lang="en"><head><title>Outlet home</title>
<link rel="alternate" type="application/rss+xml" title="RSS" href="/feed.xml">
<link rel="alternate" type="application/atom+xml" href="https://other.example/atom.xml">
<link rel="alternate" type="text/html" hreflang="ko" href="/ko/">
<link rel="stylesheet" href="/style.css">
</head><body><p>Welcome</p></body></html>"""

ENGLISH_ARTICLE = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Factory news | Outlet</title>
<link rel="canonical" href="/article/en.html?utm_source=feed">
<meta property="og:image" content="/img/factory.jpg">
<meta property="article:published_time" content="2026-03-02T09:00:00Z">
<meta name="author" content="Jane Doe">
<script>document.cookie = "stolen";</script>
</head><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Factory news</h1>
<p onclick="steal()">{ENGLISH_PARAGRAPH}</p>
<p>{ENGLISH_PARAGRAPH} <a href="javascript:alert(1)">Click me</a> and <a href="/related">related</a>.</p>
<p>{ENGLISH_PARAGRAPH}</p><img src="data:image/png;base64,AAAA" alt="tracker">
<script>steal()</script><iframe src="https://ads.example/"></iframe>
</article><footer>Copyright</footer></body></html>"""

KOREAN_ARTICLE = f"""<!DOCTYPE html><html lang="ko"><head><meta charset="euc-kr">
<title>반도체 공개</title><link rel="canonical" href="https://www.localhost-news.kr/news/1">
</head><body><article><h1>삼성전자, 새 반도체 공개</h1>
<p>{KOREAN_PARAGRAPH}</p><p>{KOREAN_PARAGRAPH}</p><p>{KOREAN_PARAGRAPH}</p>
</article></body></html>"""
