"""Synthetic Korean/English corpora of any size for benchmarks: clusters of related docs and copies."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from techissue.curation.document import Doc

_KO_NOUNS = [
    "반도체",
    "메모리",
    "공정",
    "투자",
    "실적",
    "시장",
    "점유율",
    "매출",
    "영업이익",
    "주가",
    "증권가",
    "전망",
    "공급",
    "수요",
    "고객사",
    "계약",
    "생산",
    "라인",
    "설비",
    "인공지능",
    "모델",
    "서비스",
    "플랫폼",
    "사용자",
    "출시",
    "가격",
    "요금",
    "규제",
    "정부",
    "정책",
    "법안",
    "소송",
    "판결",
    "배터리",
    "전기차",
    "스마트폰",
    "디스플레이",
    "부품",
    "소재",
    "장비",
    "수출",
    "관세",
    "환율",
    "금리",
    "물가",
    "채용",
    "인력",
    "연구",
    "개발",
    "데이터센터",
    "클라우드",
    "보안",
    "해킹",
    "개인정보",
    "통신",
    "요금제",
    "게임",
    "콘텐츠",
    "웹툰",
    "광고",
    "검색",
    "쇼핑",
    "물류",
    "배송",
    "스타트업",
    "벤처",
    "펀드",
    "인수",
    "합병",
    "상장",
    "공모",
    "지분",
    "배당",
    "자사주",
    "이사회",
    "경영진",
    "노조",
    "파업",
    "협상",
    "협력",
]
_KO_ENDINGS = ["을 발표했다.", "이 늘었다.", "에 나섰다.", "을 강조했다.", "이 주목된다.", "를 검토 중이다."]
_EN_WORDS = [
    "chip",
    "memory",
    "process",
    "investment",
    "earnings",
    "market",
    "share",
    "revenue",
    "profit",
    "shares",
    "analysts",
    "outlook",
    "supply",
    "demand",
    "customer",
    "contract",
    "production",
    "line",
    "equipment",
    "model",
    "service",
    "platform",
    "users",
    "launch",
    "price",
    "pricing",
    "regulation",
    "government",
    "policy",
    "bill",
    "lawsuit",
    "ruling",
    "battery",
    "vehicle",
    "smartphone",
    "display",
    "component",
    "material",
    "exports",
    "tariff",
    "currency",
    "rates",
    "inflation",
    "hiring",
    "staff",
    "research",
    "development",
    "datacenter",
    "cloud",
    "security",
    "breach",
    "privacy",
    "telecom",
    "plan",
    "gaming",
    "content",
    "advertising",
    "search",
    "shopping",
    "logistics",
    "delivery",
    "startup",
    "venture",
    "fund",
    "acquisition",
    "merger",
    "listing",
    "offering",
    "stake",
    "dividend",
    "buyback",
    "board",
    "executives",
    "union",
    "strike",
    "talks",
    "partnership",
]
_EN_GLUE = ["said the", "expects", "reported", "announced", "plans to expand", "is weighing", "cut"]
_COMPANIES = [
    ("삼성전자", "Samsung Electronics"),
    ("SK하이닉스", "SK hynix"),
    ("엔비디아", "Nvidia"),
    ("오픈AI", "OpenAI"),
    ("네이버", "Naver"),
    ("카카오", "Kakao"),
    ("현대차", "Hyundai Motor"),
    ("LG전자", "LG Electronics"),
    ("구글", "Google"),
    ("애플", "Apple"),
    ("인텔", "Intel"),
    ("TSMC", "TSMC"),
    ("쿠팡", "Coupang"),
    ("테슬라", "Tesla"),
    ("마이크론", "Micron"),
]


@dataclass
class SyntheticCorpus:
    """Docs with the labels the generator knows: story per doc and copy → original."""

    docs: list[Doc] = field(default_factory=list)
    story: dict[int, int] = field(default_factory=dict)
    copy_of: dict[int, int] = field(default_factory=dict)


# Enough syllables that made-up names rarely collide even at 100,000 docs (tens of thousands of
# events, four names each): a collision glues two events together, which real names seldom do.
_SYLLABLES = (
    "가나다라마바사아자차카타파하고노도로모보소오조초코토포호구누두루무부수우주추쿠투푸후"
    "간난단란만반산안잔찬칸탄판한곤논돈론몬본손온존촌콘톤폰혼금늠둠룸뭄붐숨움줌춤쿰툼품흠"
)
_CONSONANTS = "bcdfgklmnprstvz"
_VOWELS = "aeiou"


def _korean_name(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(3, 4)))


def _english_name(rng: random.Random) -> str:
    return "".join(rng.choice(_CONSONANTS) + rng.choice(_VOWELS) for _ in range(rng.randint(3, 4)))


def _korean_body(rng: random.Random, company: str, topic: list[str], figure: str, chars: int) -> str:
    sentences: list[str] = []
    while sum(map(len, sentences)) < chars:
        words = rng.sample(topic, 2) + rng.sample(_KO_NOUNS, 3)
        subject = company if rng.random() < 0.5 else rng.choice(_KO_NOUNS)
        extra = f" 규모는 {figure}이다." if rng.random() < 0.15 else ""
        sentences.append(f"{subject}는 {' '.join(words)}{rng.choice(_KO_ENDINGS)}{extra}")
    return "\n\n".join(" ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4))


def _english_body(rng: random.Random, company: str, topic: list[str], figure: str, chars: int) -> str:
    sentences: list[str] = []
    while sum(map(len, sentences)) < chars:
        words = rng.sample(topic, 2) + rng.sample(_EN_WORDS, 3)
        subject = company if rng.random() < 0.5 else rng.choice(_EN_WORDS).capitalize()
        extra = f" The figure was {figure}." if rng.random() < 0.15 else ""
        sentences.append(f"{subject} {rng.choice(_EN_GLUE)} {' '.join(words)}.{extra}")
    return "\n\n".join(" ".join(sentences[i : i + 4]) for i in range(0, len(sentences), 4))


def synthetic_corpus(n: int, seed: int = 0, chars: int = 1500, days: int = 30) -> SyntheticCorpus:
    """About `n` docs, half Korean, in stories of 1 to 6 docs, with roughly one copy in ten."""
    rng = random.Random(seed)
    start = datetime(2026, 11, 1, tzinfo=UTC)
    corpus = SyntheticCorpus()
    story = 0
    while len(corpus.docs) < n:
        story += 1
        ko_company, en_company = rng.choice(_COMPANIES)
        # Each event has its own names (made-up words), as real events have products and places.
        ko_topic = [_korean_name(rng) for _ in range(4)]
        en_topic = [_english_name(rng) for _ in range(4)]
        amount = rng.randint(2, 900)
        when = start + timedelta(minutes=rng.randint(0, days * 24 * 60))
        for _ in range(min(rng.choice([1, 1, 2, 3, 4, 6]), n - len(corpus.docs))):
            doc_id = len(corpus.docs) + 1
            lang = "ko" if rng.random() < 0.5 else "en"
            if lang == "ko":
                body = _korean_body(rng, ko_company, ko_topic, f"{amount}억 달러", chars)
                title = f"{ko_company}, {' '.join(ko_topic[:2])} {amount}억 달러"
            else:
                body = _english_body(rng, en_company, en_topic, f"${amount / 10:g} billion", chars)
                title = f"{en_company} {' '.join(en_topic[:2])} ${amount / 10:g} billion"
            published = when + timedelta(minutes=rng.randint(0, 24 * 60))
            outlet = f"{lang}-outlet-{rng.randint(1, 40)}"
            url = f"http://127.0.0.1/{outlet}/{doc_id}.html"
            corpus.docs.append(Doc(doc_id, outlet, lang, title, body, published, url, url, url))
            corpus.story[doc_id] = story
            if rng.random() < 0.1 and len(corpus.docs) < n:
                copy_id = doc_id + 1
                paragraphs = body.split("\n\n")
                paragraphs[0] = paragraphs[0][::-1] if len(paragraphs) > 3 else paragraphs[0]
                copy_outlet = f"{lang}-outlet-{rng.randint(41, 60)}"
                copy_url = f"http://127.0.0.1/{copy_outlet}/{copy_id}.html"
                corpus.docs.append(
                    Doc(
                        copy_id,
                        copy_outlet,
                        lang,
                        title + " (wire)",
                        "\n\n".join(paragraphs),
                        published + timedelta(hours=1),
                        copy_url,
                        copy_url,
                        copy_url,
                    )
                )
                corpus.story[copy_id] = story
                corpus.copy_of[copy_id] = doc_id
    return corpus


def synthetic_docs(n: int, seed: int = 0) -> list[Doc]:
    """`n` synthetic docs (~1,500 characters, half Korean) for benchmarks."""
    return synthetic_corpus(n, seed).docs
