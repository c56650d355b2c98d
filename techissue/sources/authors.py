"""Byline clean-up: keep the person's name, drop "기자", e-mail addresses, site names and menu labels."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_EMAIL = re.compile(r"[\w.+-]+\s*@\s*[\w-]+(?:\s*\.\s*[\w-]+)+")
_URL = re.compile(r"https?://\S+|www\.\S+")
# A domain that an extractor turned into words: "leedong.co.kr" → "Leedong Co Kr".
_DOMAIN_WORDS = re.compile(r"\b[A-Za-z][\w-]*(?:\s+(?:Co|Com|Net|Org|Kr|Or|Ne|Go|Ac))+\b", re.IGNORECASE)
_KOREAN_TITLE = r"(?:기자|특파원|선임기자|수습기자|객원기자|인턴기자|논설위원|칼럼니스트|에디터|편집장|통신원|PD)"
# 홍길동 기자, 홍길동 선임기자, 홍길동·김철수 기자: the name just before a reporter's title.
_KOREAN_NAME = re.compile(r"((?:[가-힣]{2,4}\s*[·,]\s*)*[가-힣]{2,4})\s*" + _KOREAN_TITLE + r"(?![가-힣])")
_MENU_LABELS = re.compile(
    r"기자\s*정보|기자의\s*(?:다른\s*)?기사\s*(?:모음|더보기)?|다른\s*기사\s*보기|기사\s*모음|구독하기|구독|"
    r"더보기|프로필|입력\s*[:：]?|수정\s*[:：]?|승인\s*[:：]?|"
    r"연예|스포츠|정치|경제|사회|국제|문화|오피니언|IT|테크|"
    r"\b(?:More\s+stories|More\s+from|Follow|Subscribe|Profile|Staff\s+Writer|Staff\s+Reporter|Reporter|Correspondent|Editor)\b",
    re.IGNORECASE,
)
_BY = re.compile(r"^\s*(?:by|글|written\s+by)\s*[:：]?\s+", re.IGNORECASE)
_PUNCTUATION = re.compile(r"[()\[\]{}<>|/·•,;:=＝*]+")


def _site_words(url: str, outlet: str) -> set[str]:
    """Words that name the site: the labels of its host ("imbc"), and the outlet's title."""
    host = (urlsplit(url).hostname or "").lower() if url else ""
    words = {label for label in host.split(".") if label not in {"www", "m", "news", "co", "com", "kr", "net", "org"}}
    words |= {word.lower() for word in outlet.split()}
    return {word for word in words if word}


def normalise_author(raw: str | None, url: str = "", outlet: str = "") -> str | None:
    """The person's name from a byline, or None when nothing in it is a name.

    1. Korean bylines: the names written just before 기자 (or another reporter's title).
    2. Otherwise drop e-mail addresses, URLs, domains turned into words, menu labels, "By" and
       words of the site's own name; what is left is the name, if it looks like one.
    """
    if not raw:
        return None
    text = " ".join(raw.split())
    text = _URL.sub(" ", _EMAIL.sub(" ", text))
    found = [name.strip() for group in _KOREAN_NAME.findall(text) for name in re.split(r"[·,]", group)]
    korean = list(dict.fromkeys(name for name in found if name))
    if korean:
        return ", ".join(korean[:3])
    text = _DOMAIN_WORDS.sub(" ", text)
    text = _MENU_LABELS.sub(" ", text)
    text = _BY.sub("", _PUNCTUATION.sub(" ", text).strip())
    site = _site_words(url, outlet)
    words = [word for word in text.split() if word.lower() not in site]
    name = " ".join(words).strip(" -–—.")
    if not name or len(words) > 5 or not re.search(r"[^\W\d_]", name):
        return None
    return name[:300]
