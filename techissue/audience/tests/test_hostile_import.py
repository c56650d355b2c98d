"""Hostile CSV imports: Korean legacy encodings, UTF-16, NUL bytes and overlong names are read or reported, never half-done."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from techissue.audience.encodings import decode
from techissue.audience.models import Subscriber

pytestmark = pytest.mark.django_db

KOREAN = "email,name,language\n" + "".join(f"reader{i}@example.test,독자 {i}호,ko\n" for i in range(450))


def run_import(tmp_path: Path, data: bytes) -> tuple[str, str, int]:
    path = tmp_path / "people.csv"
    path.write_bytes(data)
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        with translation.override("en"):
            call_command("subscribers", "import", str(path), stdout=out, stderr=err)
    except SystemExit as exit:
        code = int(exit.code or 0)
    return out.getvalue(), err.getvalue(), code


@pytest.mark.parametrize("encoding", ["euc-kr", "cp949", "utf-16", "utf-16-le", "utf-8-sig", "utf-8"])
def test_it_reads_every_korean_name_whatever_the_encoding(tmp_path: Path, encoding: str) -> None:
    out, err, code = run_import(tmp_path, KOREAN.encode(encoding))
    assert code == 0, err
    assert "450 created" in out
    assert Subscriber.objects.count() == 450
    assert Subscriber.objects.get(email="reader449@example.test").name == "독자 449호"


def test_it_tells_utf16_without_a_bom_from_its_zero_bytes() -> None:
    text, name = decode("email,name\nada@example.test,에이다\n".encode("utf-16-be"))
    assert name == "utf-16-be" and "에이다" in text


def test_it_reports_a_nul_byte_and_an_overlong_name_by_line_and_imports_the_rest(tmp_path: Path) -> None:
    rows = ["email,name", "ok1@example.test,First", "nul@example.test,Bad\x00Name", "ok2@example.test,Second"]
    rows += [f"long@example.test,{'가' * 500}", "ok3@example.test,Third"]
    out, err, code = run_import(tmp_path, ("\n".join(rows) + "\n").encode("utf-8"))
    assert code == 1
    assert "line 3: the row contains a NUL byte" in err
    assert "line 5: the name is 500 characters long (at most 200)" in err
    assert "3 created" in out and "2 bad row(s)" in out
    assert sorted(Subscriber.objects.values_list("email", flat=True)) == [
        "ok1@example.test",
        "ok2@example.test",
        "ok3@example.test",
    ]


def test_an_unreadable_file_changes_nothing_and_says_why(tmp_path: Path) -> None:
    _out, err, code = run_import(tmp_path, b"\xef\xbb\xbfemail\n\xff\xfe\xfa@example.test\n")
    assert code == 1
    assert "line 1:" in err and "utf-8" in err
    assert Subscriber.objects.count() == 0


def test_it_finds_existing_readers_through_the_lowercase_index(tmp_path: Path) -> None:
    Subscriber.objects.create(email="Ada@Example.test", name="Ada", status="active")
    assert Subscriber.objects.with_email("ADA@example.TEST").get().name == "Ada"
    with CaptureQueriesContext(connection) as queries:
        list(Subscriber.objects.with_email("ada@example.test"))
    assert 'LOWER("audience_subscriber"."email") =' in queries[0]["sql"]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # on a one-row table a scan is cheaper: ask whether the index can serve
            cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = Subscriber.objects.with_email("ada@example.test").query.sql_with_params()
        cursor.execute(("EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN ") + sql, params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "audience_subscriber_email_ci_unique" in plan, plan
