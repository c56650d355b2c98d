"""Writes synthetic newsroom corpora (the corpus format of docs/corpus-format.md) for benchmarks."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

KO_SUBJECTS = [
    "한강반도체",
    "새온칩스",
    "스트라투스클라우드",
    "퀼마인드",
    "노바레AI",
    "메리디안",
    "바로전자",
    "누리모델스",
]
KO_OBJECTS = [
    "고대역폭메모리",
    "추론전용가속기",
    "오픈웨이트모델",
    "데이터센터",
    "시리즈B투자",
    "파운드리공정",
    "전력반도체",
    "에이전트플랫폼",
]
KO_VERBS = [
    "공개했다",
    "양산에 들어갔다",
    "투자를 유치했다",
    "공급 계약을 맺었다",
    "가격을 내렸다",
    "실적 전망을 올렸다",
]
KO_FILLERS = ["업계에서는", "증권가는", "회사 측은", "관계자에 따르면", "시장조사업체는", "전문가들은"]
EN_SUBJECTS = [
    "Hangang Semiconductor",
    "Saeon Chips",
    "Stratus Cloud",
    "Quillmind",
    "Norvale AI",
    "Meridian",
    "Baro Electronics",
]
EN_OBJECTS = [
    "high-bandwidth memory",
    "an inference accelerator",
    "open-weight models",
    "a data centre",
    "a Series B round",
    "a 3nm process",
]
EN_VERBS = [
    "unveiled",
    "began mass production of",
    "raised money for",
    "signed a supply deal for",
    "cut prices on",
    "raised guidance on",
]
EN_FILLERS = [
    "Analysts said",
    "The company said",
    "People familiar with the plan said",
    "Investors noted",
    "Engineers expect",
]


def korean_sentence(rng: random.Random) -> str:
    number = rng.randint(2, 900)
    return (
        f"{rng.choice(KO_FILLERS)} {rng.choice(KO_SUBJECTS)}가 {rng.choice(KO_OBJECTS)} 부문에서 "
        f"{number}억 원 규모로 {rng.choice(KO_VERBS)}고 밝혔다."
    )


def english_sentence(rng: random.Random) -> str:
    number = rng.randint(2, 900)
    return (
        f"{rng.choice(EN_FILLERS)} {rng.choice(EN_SUBJECTS)} {rng.choice(EN_VERBS)} "
        f"{rng.choice(EN_OBJECTS)} worth ${number} million this quarter."
    )


def paragraphs(lang: str, rng: random.Random, characters: int) -> list[str]:
    sentence = korean_sentence if lang == "ko" else english_sentence
    out: list[str] = []
    total = 0
    while total < characters:
        paragraph = " ".join(sentence(rng) for _ in range(3))
        out.append(paragraph)
        total += len(paragraph)
    return out


def toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_corpus(root: Path, outlets: int, per_outlet: int, content: str = "summary", seed: int = 7) -> int:
    """Write `outlets` outlets of `per_outlet` articles each (half Korean); returns the article count."""
    rng = random.Random(seed)
    start = datetime(2026, 11, 1, tzinfo=UTC)
    lines = []
    for number in range(outlets):
        lang = "ko" if number % 2 == 0 else "en"
        slug = f"outlet-{number:02d}"
        fmt = ["rss2", "atom", "rss1"][number % 3]
        lines += [
            "[[outlet]]",
            f'slug = "{slug}"',
            f'name = "{"매체" if lang == "ko" else "Outlet"} {number:02d}"',
            f'lang = "{lang}"',
            f'format = "{fmt}"',
            'encoding = "utf-8"',
            f'content = "{content}"',
            "weight = 1.0",
            'description = "synthetic"',
            "",
        ]
        folder = root / "articles" / slug
        folder.mkdir(parents=True, exist_ok=True)
        for index in range(per_outlet):
            body = paragraphs(lang, rng, 1500)
            title = (korean_sentence(rng) if lang == "ko" else english_sentence(rng))[:80]
            published = start + timedelta(minutes=17 * index + number)
            (folder / f"a{index:04d}.toml").write_text(
                "\n".join(
                    [
                        f"title = {toml_string(title)}",
                        f"published = {published.isoformat()}",
                        f"author = {toml_string('기자' if lang == 'ko' else 'Reporter')}",
                        f"summary = {toml_string(body[0][:160])}",
                        'body = """',
                        "\n\n".join(body),
                        '"""',
                        f'story = "s-{number}-{index}"',
                    ]
                )
                + "\n",
                encoding="utf-8",
            )
    (root / "outlets.toml").write_text("\n".join(lines), encoding="utf-8")
    return outlets * per_outlet
