"""The per-site pass drops blocks repeated across a site's pages, and keeps a page that repeats another."""

from __future__ import annotations

from dataclasses import dataclass

from techissue.sources.boilerplate import drop_repeated_blocks, known_block_counts
from techissue.sources.sanitize import html_to_text

BOX = "<ul><li>많이 본 뉴스: 반도체 수출 석 달째 증가</li><li>많이 본 뉴스: 판교 출근길 풍경</li></ul>"
REPORTER = "<p>이도윤 기자 doyun@techdaily.example</p>"


@dataclass
class Page:
    html: str
    text: str = ""


def page(body: str) -> Page:
    html = f"<p>{body}</p>{BOX}{REPORTER}"
    return Page(html, html_to_text(html))


FIRST = "첫 기사의 본문은 반도체 공장 증설 계획을 자세히 다룬다. " * 3
SECOND = "둘째 기사의 본문은 배터리 재활용 스타트업의 투자 유치를 다룬다. " * 3


def test_it_drops_blocks_that_repeat_across_pages_of_one_run():
    first, second = page(FIRST), page(SECOND)
    drop_repeated_blocks([first, second])
    assert (first.text, second.text) == (FIRST.strip(), SECOND.strip())


def test_it_drops_blocks_it_saw_on_the_sites_earlier_pages():
    alone = page(FIRST)
    drop_repeated_blocks([alone], known_block_counts([page(SECOND).text]))
    assert alone.text == FIRST.strip()


def test_it_drops_a_photo_credit_caption():
    one = Page("<p>▲ 청주 공장 전경. 사진=테크일보 DB</p><p>본문입니다.</p>")
    drop_repeated_blocks([one])
    assert html_to_text(one.html) == "본문입니다."


def test_it_keeps_a_page_that_repeats_another_article_whole():
    body = "".join(f"<p>같은 기사의 {n}번째 문단은 꽤 길게 이어지는 본문입니다.</p>" for n in range(5))
    original, update = Page(body), Page(body + "<p>(수정)</p>")
    drop_repeated_blocks([original, update])
    assert "같은 기사의 4번째 문단" in update.html
