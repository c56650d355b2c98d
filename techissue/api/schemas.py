"""The API's typed shapes: what it accepts (unknown fields refused) and what it answers."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import ConfigDict, Field, field_validator


class Strict(Schema):
    """What the API accepts: unknown fields are refused, and so is text that no database can store."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def no_nul(cls, value: Any) -> Any:
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("text may not contain a NUL character")
        return value


class ProblemOut(Schema):
    type: str
    title: str
    status: int
    detail: str | None = None
    errors: list[dict[str, Any]] | None = None


class FeedOut(Schema):
    id: int
    url: str
    title: str
    site_url: str
    lang: str
    weight: float
    active: bool
    status: str
    last_error: str
    last_fetched_at: datetime | None
    next_fetch_at: datetime | None


class FeedIn(Strict):
    url: str = Field(max_length=2000, description="A feed's address, or a site's (its feed is found)")
    name: str = Field("", max_length=300)
    lang: Literal["", "ko", "en"] = ""
    weight: float | None = Field(None, ge=0.1, le=3.0)
    discover: bool = True


class FeedPatch(Strict):
    active: bool | None = None
    weight: float | None = Field(None, ge=0.1, le=3.0)
    name: str | None = Field(None, max_length=300)


class ArticleOut(Schema):
    id: int
    url: str
    canonical_url: str
    outlet: str
    lang: str
    title: str
    published: datetime | None
    duplicate_of: str | None


class StoryOut(Schema):
    id: int
    rank: int
    score: float
    score_parts: dict[str, Any]
    title: str
    summary: str
    summary_en: str
    languages: list[str]
    decision: str
    articles: list[ArticleOut]


class MergeIn(Strict):
    others: list[int] = Field(min_length=1, max_length=50)


class SplitIn(Strict):
    article_ids: list[int] = Field(min_length=1, max_length=200)


class PickOut(Schema):
    id: int
    position: int
    headline: str
    url: str
    outlets: str
    comment: str
    story_id: int | None


class EditionOut(Schema):
    id: int
    number: int
    title: str
    subtitle: str
    language: str
    status: str
    scheduled_at: datetime | None
    published_at: datetime | None
    sent_at: datetime | None
    url: str


class EditionDetail(EditionOut):
    editorial_md: str
    picks: list[PickOut]


class DraftIn(Strict):
    size: int = Field(10, ge=1, le=50)
    language: Literal["ko", "en"] | None = None


class ScheduleIn(Strict):
    at: datetime | None = Field(None, description="When to send; the next slot of TECHISSUE_SCHEDULE when empty")


class ProgressOut(Schema):
    status: str
    counts: dict[str, int]


class SubscriberOut(Schema):
    id: int
    email: str
    name: str
    language: str
    status: str
    created_at: datetime
    confirmed_at: datetime | None


class SubscriberIn(Strict):
    email: str = Field(max_length=254)
    name: str = Field("", max_length=200)
    language: Literal["ko", "en"] | None = None


class AcceptedOut(Schema):
    detail: str


class GrowthPoint(Schema):
    day: str
    active: int
    joined: int
    left: int


class FeedPage(Schema):
    items: list[FeedOut]
    next_cursor: str | None


class StoryPage(Schema):
    items: list[StoryOut]
    next_cursor: str | None


class EditionPage(Schema):
    items: list[EditionOut]
    next_cursor: str | None


class SubscriberPage(Schema):
    items: list[SubscriberOut]
    next_cursor: str | None
