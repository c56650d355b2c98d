"""Every curl example of docs/api-guide.md runs as written against a live server and gets a 2xx JSON answer."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from techissue.editions.tests.builders import make_story, published_edition
from techissue.sources.models import Feed

GUIDE = Path(__file__).resolve().parents[3] / "docs" / "api-guide.md"
pytestmark = pytest.mark.django_db(transaction=True)


def examples() -> list[str]:
    """The guide's shell blocks, each line continued with a backslash joined into one command."""
    blocks = re.findall(r"```sh\n(.*?)```", GUIDE.read_text(encoding="utf-8"), flags=re.S)
    commands = []
    for block in blocks:
        commands += [line for line in block.replace("\\\n", " ").splitlines() if line.strip()]
    return commands


def test_the_guide_has_examples() -> None:
    assert len(examples()) >= 6


def test_every_example_runs_as_written(live_server, bearer, settings) -> None:
    settings.TECHISSUE_API_RATE_PER_MINUTE = 1000
    story = make_story("HBM4 양산 경쟁", score=5)
    make_story("오픈 모델 스타트업 투자", score=4)
    edition = published_edition(title="API 안내 호")
    feed = Feed.objects.create(url="http://127.0.0.1:9/feed.xml", title="old")
    env = {
        **os.environ,
        "TECHISSUE": live_server.url,
        "TOKEN": bearer()["HTTP_AUTHORIZATION"].removeprefix("Bearer "),
        "STORY": str(story.pk),
        "FEED": str(feed.pk),
        "EDITION": str(edition.pk),
    }

    for command in examples():
        done = subprocess.run(["bash", "-c", command], env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"
        json.loads(done.stdout)  # every answer is JSON

    feed.refresh_from_db()
    assert feed.title == "전자신문 반도체" and not feed.active
