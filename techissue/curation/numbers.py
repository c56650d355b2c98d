"""Figures in Korean and English text, normalised to language-independent keys like num:2e13:krw."""

from __future__ import annotations

import math
import re

# Korean counts big numbers in myriads: 만 (1e4), 억 (1e8), 조 (1e12). "1조 2000억 원" is one figure.
_KO_SCALE = {"만": 1e4, "억": 1e8, "조": 1e12}
_EN_SCALE = {
    "thousand": 1e3,
    "million": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "tn": 1e12,
    "tril": 1e12,
}
_KO_CURRENCY = {"원": "krw", "달러": "usd", "엔": "jpy", "유로": "eur", "위안": "cny"}
_EN_CURRENCY = {
    "won": "krw",
    "krw": "krw",
    "dollars": "usd",
    "dollar": "usd",
    "usd": "usd",
    "yen": "jpy",
    "euros": "eur",
    "euro": "eur",
    "yuan": "cny",
}
_SYMBOL_CURRENCY = {"$": "usd", "₩": "krw", "€": "eur", "¥": "jpy", "US$": "usd"}

_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"

# 1조 2000억 원, 20조원, 4050억 달러, 200만 대
_KO_AMOUNT = re.compile(
    rf"((?:{_NUM}\s*[만억조]\s*)+)(원|달러|엔|유로|위안)?",
)
_KO_PERCENT_POINT = re.compile(rf"({_NUM})\s*%\s*(?:포인트|p(?![a-z]))")
_KO_PERCENT = re.compile(rf"({_NUM})\s*(?:%|퍼센트|프로)(?!\s*포인트|\s*p)")
_KO_LAYER = re.compile(rf"({_NUM})\s*단(?![가-힣])|({_NUM})\s*단\s*(?=HBM|적층)")
_KO_NM = re.compile(rf"({_NUM})\s*(?:나노미터|나노|nm)")
_KO_BP = re.compile(rf"({_NUM})\s*bp")

_EN_AMOUNT = re.compile(
    rf"(US\$|\$|₩|€|¥)?\s?({_NUM})\s*(thousand|million|billion|trillion|mn|bn|tn|m|b)?\b"
    rf"(?:\s*(won|krw|dollars?|usd|yen|euros?|yuan))?",
    re.IGNORECASE,
)
_EN_CODE_AMOUNT = re.compile(
    rf"\b(KRW|USD|EUR|JPY)\s?({_NUM})\s*(thousand|million|billion|trillion|bn|tn)?\b",
    re.IGNORECASE,
)
_EN_BASIS_POINTS = re.compile(rf"({_NUM})\s*(?:basis[- ]points?|bps?)\b", re.IGNORECASE)
_EN_PERCENT_POINT = re.compile(rf"({_NUM})\s*(?:percentage[- ]points?|pp|%pt)\b", re.IGNORECASE)
_EN_PERCENT = re.compile(rf"({_NUM})\s*(?:%|per\s?cent(?!age))(?!\s*(?:pt|point|포인트)|p\b)", re.IGNORECASE)
_EN_LAYER = re.compile(rf"({_NUM})[- ](?:high|layer|stack|hi)\b", re.IGNORECASE)
_EN_NM = re.compile(rf"({_NUM})\s*[- ]?(?:nm|nanometer|nanometre)\b", re.IGNORECASE)


def _value(text: str) -> float:
    return float(text.replace(",", ""))


def format_value(value: float) -> str:
    """Three significant digits, no '+' or padded exponent: 2e13, 4.05e11, 0.25, 12."""
    text = f"{value:.3g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}e{int(exponent)}"
    return text


def _key(value: float, unit: str) -> str:
    return f"num:{format_value(value)}:{unit}" if unit else f"num:{format_value(value)}"


def _korean_amount(chunk: str) -> float:
    total = 0.0
    for number, scale in re.findall(rf"({_NUM})\s*([만억조])", chunk):
        total += _value(number) * _KO_SCALE[scale]
    return total


def _korean_numbers(text: str) -> set[str]:
    keys: set[str] = set()
    for match in _KO_AMOUNT.finditer(text):
        unit = _KO_CURRENCY.get(match.group(2) or "", "")
        keys.add(_key(_korean_amount(match.group(1)), unit))
    for match in _KO_PERCENT_POINT.finditer(text):
        keys.add(_key(_value(match.group(1)), "pp"))
    for match in _KO_BP.finditer(text):
        keys.add(_key(_value(match.group(1)) / 100, "pp"))
    for match in _KO_PERCENT.finditer(text):
        keys.add(_key(_value(match.group(1)), "pct"))
    for match in _KO_LAYER.finditer(text):
        keys.add(_key(_value(match.group(1) or match.group(2)), "layer"))
    for match in _KO_NM.finditer(text):
        keys.add(_key(_value(match.group(1)), "nm"))
    return keys


def _english_numbers(text: str) -> set[str]:
    keys: set[str] = set()
    for match in _EN_BASIS_POINTS.finditer(text):
        keys.add(_key(_value(match.group(1)) / 100, "pp"))
    for match in _EN_PERCENT_POINT.finditer(text):
        keys.add(_key(_value(match.group(1)), "pp"))
    for match in _EN_PERCENT.finditer(text):
        keys.add(_key(_value(match.group(1)), "pct"))
    for match in _EN_LAYER.finditer(text):
        keys.add(_key(_value(match.group(1)), "layer"))
    for match in _EN_NM.finditer(text):
        keys.add(_key(_value(match.group(1)), "nm"))
    for match in _EN_CODE_AMOUNT.finditer(text):
        scale = _EN_SCALE.get((match.group(3) or "").lower(), 1.0)
        keys.add(_key(_value(match.group(2)) * scale, match.group(1).lower()))
    # Blank the coded amounts so that "KRW 20 trillion" does not also count as a bare 20 trillion.
    text = _EN_CODE_AMOUNT.sub(" ", text)
    for match in _EN_AMOUNT.finditer(text):
        symbol, number, scale_word, currency_word = match.groups()
        unit = _SYMBOL_CURRENCY.get(symbol or "", "") or _EN_CURRENCY.get((currency_word or "").lower(), "")
        scale_word = (scale_word or "").lower()
        # A bare "m" or "b" is a scale only after a currency symbol ("$5m"); else it is noise.
        if scale_word in {"m", "b"} and not symbol:
            continue
        if not scale_word and not unit:
            continue
        keys.add(_key(_value(number) * _EN_SCALE.get(scale_word, 1.0), unit))
    return keys


# Korean articles quote won where English ones quote dollars (4200억 원 ↔ $310 million). A rough
# rate and wide buckets are enough to say "the same amount"; the exact key stays as well.
WON_PER_DOLLAR = 1400.0
_FX_BUCKETS_PER_DECADE = 20  # buckets ~12% wide


def money_buckets(keys: set[str]) -> set[str]:
    """fx:<bucket> keys for won and dollar amounts, so the two currencies can meet."""
    buckets = set()
    for key in keys:
        _, value, *unit = key.split(":")
        if unit not in (["krw"], ["usd"]):
            continue
        dollars = float(value) / (WON_PER_DOLLAR if unit == ["krw"] else 1.0)
        if dollars < 1e6:
            continue
        position = math.log10(dollars) * _FX_BUCKETS_PER_DECADE
        # The two nearest buckets, so amounts within one bucket width always share one.
        buckets.add(f"fx:{math.floor(position)}")
        buckets.add(f"fx:{math.ceil(position)}")
    return buckets


def extract_numbers(text: str) -> set[str]:
    """Every figure in the text as a key: 20조 원 and 20 trillion won both give num:2e13:krw.

    Korean and English patterns both run on every text, because Korean articles quote English
    figures ("$405 billion") and English ones rarely the reverse; the patterns do not overlap.
    """
    keys = _korean_numbers(text) | _english_numbers(text)
    return keys | money_buckets(keys)
