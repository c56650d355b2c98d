"""/api/v1/stories: the ranked stories with their score parts; pick, skip, undo, merge and split, as on the desk."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router

from techissue.api.access import decode_cursor, page_of, require
from techissue.api.problems import Problem
from techissue.api.schemas import MergeIn, ProblemOut, SplitIn, StoryOut, StoryPage
from techissue.curation import desk
from techissue.curation.models import Story

router = Router(tags=["stories"])
ERRORS = {400: ProblemOut, 401: ProblemOut, 403: ProblemOut, 404: ProblemOut, 422: ProblemOut, 429: ProblemOut}
DECISIONS = {"open": "", "picked": "picked", "skipped": "skipped"}


def _story(story_id: int) -> Story:
    return get_object_or_404(Story.objects.filter(merged_into__isnull=True), pk=story_id)


@router.get("/", response={200: StoryPage, **ERRORS}, summary="The ranked stories, filtered as on the desk")
def list_stories(
    request: HttpRequest,
    decision: str | None = Query(None, pattern="^(open|picked|skipped)$"),
    lang: str | None = Query(None, pattern="^[a-z]{2}$"),
    q: str | None = Query(None, max_length=200, description="Words in the story's title"),
    limit: int = Query(20, ge=1, le=100),
    cursor: str | None = None,
) -> dict[str, object]:
    require(request, "read", "curation.view_story")
    found = Story.objects.ranked()
    if decision:
        found = found.filter(decision=DECISIONS[decision])
    if lang:
        found = found.filter(languages__contains=lang)
    if q:
        found = found.filter(title__icontains=q.replace("\x00", ""))
    offset = decode_cursor(cursor) or 0  # the ranking moves, so the cursor is a position in it
    stories = list(found[offset : offset + limit + 1])
    items = [desk.story_as_json(story, rank) for rank, story in enumerate(stories, start=offset + 1)]
    return page_of(items, limit, offset + limit)


@router.get("/{story_id}", response={200: StoryOut, **ERRORS}, summary="One story with its articles")
def get_story(request: HttpRequest, story_id: int) -> dict[str, object]:
    require(request, "read", "curation.view_story")
    story = _story(story_id)
    rank = Story.objects.ranked().filter(score__gt=story.score).count() + 1
    return desk.story_as_json(story, rank)


def _decide(request: HttpRequest, story_id: int, decision: str) -> dict[str, object]:
    require(request, "write", "curation.change_story")
    story = desk.decide(_story(story_id), decision)
    return desk.story_as_json(story, 0)


@router.post("/{story_id}/pick", response={200: StoryOut, **ERRORS}, summary="Pick a story for the next edition")
def pick(request: HttpRequest, story_id: int) -> dict[str, object]:
    return _decide(request, story_id, "picked")


@router.post("/{story_id}/skip", response={200: StoryOut, **ERRORS}, summary="Skip a story")
def skip(request: HttpRequest, story_id: int) -> dict[str, object]:
    return _decide(request, story_id, "skipped")


@router.post("/{story_id}/undo", response={200: StoryOut, **ERRORS}, summary="Undo a pick or a skip")
def undo(request: HttpRequest, story_id: int) -> dict[str, object]:
    return _decide(request, story_id, "")


@router.post("/{story_id}/merge", response={200: StoryOut, **ERRORS}, summary="Fold other stories into this one")
def merge(request: HttpRequest, story_id: int, payload: MergeIn) -> dict[str, object]:
    require(request, "write", "curation.change_story")
    target = _story(story_id)
    others = list(Story.objects.filter(pk__in=set(payload.others) - {target.pk}, merged_into__isnull=True))
    if len(others) != len(set(payload.others) - {target.pk}) or not others:
        raise Problem(422, "every story to merge must exist, be another story and not be merged already")
    return desk.story_as_json(desk.merge_stories(target, others), 0)


@router.post("/{story_id}/split", response={200: StoryOut, **ERRORS}, summary="Move articles into a new story")
def split(request: HttpRequest, story_id: int, payload: SplitIn) -> dict[str, object]:
    require(request, "write", "curation.change_story")
    story = _story(story_id)
    members = set(story.members.values_list("article_id", flat=True))
    chosen = set(payload.article_ids)
    if not chosen <= members or chosen == members:
        raise Problem(422, "the articles must belong to this story, and some must stay in it")
    return desk.story_as_json(desk.split_story(story, sorted(chosen)), 0)
