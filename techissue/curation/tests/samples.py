"""Small hand-written Korean and English docs for the unit tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from techissue.curation.document import Doc

T0 = datetime(2026, 11, 16, 0, 0, tzinfo=UTC)

HBM_KO = (
    "삼성전자가 12단 HBM4 양산에 돌입했다. 삼성전자는 평택 캠퍼스에서 생산한 12단 HBM4를 이달 말부터 "
    "엔비디아에 공급한다고 16일 밝혔다. 회사는 HBM 생산 설비에 20조 원을 투자할 계획이다.\n\n"
    "업계는 삼성전자가 SK하이닉스와의 HBM 경쟁에서 추격의 발판을 마련했다고 평가했다. "
    "12단 HBM4는 초당 2테라바이트의 대역폭을 낸다."
)
HBM_EN = (
    "Samsung Electronics has started mass production of 12-high HBM4 memory, the company said on "
    "Monday. The chips, made at its Pyeongtaek campus, will ship to Nvidia from the end of the month.\n\n"
    "Samsung plans to invest 20 trillion won in HBM production lines as it tries to catch up with "
    "SK hynix in high-bandwidth memory for AI accelerators."
)
PHONE_EN = (
    "Samsung Electronics unveiled the Galaxy Z Fold 8 smartphone on Monday, a thinner foldable "
    "phone priced at $1,899. The Galaxy phone goes on sale in Korea and the United States next "
    "month with a larger battery and a new hinge.\n\nSamsung expects to sell 6 million foldable "
    "smartphones this year."
)
BUYBACK_KO = (
    "삼성전자가 10조 원 규모의 자사주 매입을 결정했다. 삼성전자 이사회는 17일 주주가치 제고를 위해 "
    "향후 1년간 10조 원어치 자사주를 사들여 소각하기로 의결했다.\n\n증권가는 이번 자사주 매입이 "
    "외국인 투자자의 매도세를 진정시킬 것으로 내다봤다. 주가는 장중 4% 올랐다."
)
RATE_KO = (
    "한국은행이 기준금리를 0.25%포인트 인하했다. 한국은행 금융통화위원회는 기준금리를 연 2.5%에서 "
    "2.25%로 낮췄다.\n\n경기 둔화 우려가 커진 데 따른 결정이다."
)
RATE_EN = (
    "The Bank of Korea cut its base rate by 25 basis points to 2.25 percent on Thursday, citing "
    "slowing growth.\n\nThe central bank's monetary policy board lowered the rate from 2.5%."
)


def doc(
    id: int,
    text: str,
    lang: str,
    outlet: str = "",
    hours: float = 0.0,
    title: str = "",
    weight: float = 1.0,
) -> Doc:
    """A doc with sensible defaults; the title defaults to the first sentence."""
    url = f"http://127.0.0.1/{outlet or 'outlet'}/{id}.html"
    return Doc(
        id=id,
        outlet=outlet or f"outlet-{id}",
        lang=lang,
        title=title or text.split(".")[0][:80],
        text=text,
        published=T0 + timedelta(hours=hours),
        url=url,
        canonical_url=url,
        guid=url,
        weight=weight,
    )
