"""A bad corpus file raises CorpusError that names the file and the field at fault."""

from __future__ import annotations

from pathlib import Path

import pytest

from techissue.newsroom import CorpusError, load_corpus

OUTLETS = """
[[outlet]]
slug = "test-outlet"
name = "테스트일보"
lang = "ko"
format = "rss2"
encoding = "utf-8"
content = "full"
weight = 1.0
description = "a test outlet"
"""

ARTICLE = '''
title = "제목"
published = 2026-11-16T09:30:00+09:00
author = "기자"
summary = "요약"
story = "a-story"
body = """
첫 문단.

둘째 문단.
"""
'''


def _corpus(tmp_path: Path, outlets: str = OUTLETS, article: str = ARTICLE) -> Path:
    (tmp_path / "outlets.toml").write_text(outlets, encoding="utf-8")
    folder = tmp_path / "articles" / "test-outlet"
    folder.mkdir(parents=True)
    (folder / "first.toml").write_text(article, encoding="utf-8")
    return tmp_path


def test_it_loads_a_good_corpus(tmp_path: Path) -> None:
    corpus = load_corpus(_corpus(tmp_path))
    (article,) = corpus.articles
    assert article.key == "test-outlet/first"
    assert article.paragraphs == ["첫 문단.", "둘째 문단."]


@pytest.mark.parametrize(
    ("broken", "field"),
    [
        (ARTICLE.replace('author = "기자"\n', ""), "author"),
        (ARTICLE.replace("+09:00", ""), "published"),
        (ARTICLE.replace("2026-11-16T09:30:00+09:00", '"yesterday"'), "published"),
        (ARTICLE + 'copy_of = "test-outlet/missing"\n', "copy_of"),
        (ARTICLE + 'image = "nowhere.svg"\n', "image"),
        (ARTICLE + "tags = [1, 2]\n", "tags"),
    ],
)
def test_it_names_the_file_and_field_of_a_bad_article(tmp_path: Path, broken: str, field: str) -> None:
    with pytest.raises(CorpusError) as caught:
        load_corpus(_corpus(tmp_path, article=broken))
    assert caught.value.field == field
    assert caught.value.path.name == "first.toml"
    assert f"first.toml: field '{field}'" in str(caught.value)


@pytest.mark.parametrize(
    ("broken", "field"),
    [
        (OUTLETS.replace('format = "rss2"', 'format = "json"'), "format"),
        (OUTLETS.replace('encoding = "utf-8"', 'encoding = "latin-1"'), "encoding"),
        (OUTLETS.replace("weight = 1.0", "weight = 9.0"), "outlet[0].weight"),
        (OUTLETS + OUTLETS, "outlet[1].slug"),
    ],
)
def test_it_names_the_field_of_a_bad_outlet(tmp_path: Path, broken: str, field: str) -> None:
    with pytest.raises(CorpusError) as caught:
        load_corpus(_corpus(tmp_path, outlets=broken))
    assert caught.value.field == field
    assert caught.value.path.name == "outlets.toml"


def test_it_reports_invalid_toml_with_the_file(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match=r"first\.toml: not valid TOML"):
        load_corpus(_corpus(tmp_path, article='title = "unterminated\n'))


def test_it_rejects_an_article_folder_without_an_outlet(tmp_path: Path) -> None:
    corpus = _corpus(tmp_path)
    (corpus / "articles" / "ghost-outlet").mkdir()
    with pytest.raises(CorpusError, match="ghost-outlet"):
        load_corpus(corpus)


def test_it_reports_a_missing_outlets_file(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match=r"outlets\.toml: file not found"):
        load_corpus(tmp_path)
