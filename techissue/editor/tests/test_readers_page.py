"""Readers in the browser: search, filters, the CLI's per-row import report, a safe export, each one's history."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from techissue.audience.models import Subscriber

pytestmark = pytest.mark.django_db

HX = {"HTTP_HX_REQUEST": "true"}


def upload(editor, data: bytes, language: str = "en"):
    return editor.post(
        "/editor/readers/import/",
        {"file": SimpleUploadedFile("readers.csv", data)},
        HTTP_ACCEPT_LANGUAGE=language,
        **HX,
    )


def test_it_imports_good_rows_and_reports_each_bad_one(editor):
    data = "email,name,language\nada@example.test,에이다,ko\nnot-an-address,Bad,en\nbo@example.test,Bo,en\n".encode()
    page = upload(editor, data, "ko").content.decode()
    assert "추가 2" in page and "오류가 있는 행 1" in page
    assert '<td class="num">3</td>' in page and "not-an-address" in page
    assert set(Subscriber.objects.values_list("email", flat=True)) == {"ada@example.test", "bo@example.test"}


def test_it_reads_a_csv_in_euc_kr(editor):
    data = "email,name\nga@example.test,가나다\n".encode("euc-kr")
    page = upload(editor, data).content.decode()
    assert "1 added" in page
    assert Subscriber.objects.get().name == "가나다"


def test_it_asks_for_a_file_in_words(editor):
    response = editor.post("/editor/readers/import/", HTTP_ACCEPT_LANGUAGE="ko", **HX)
    assert response.status_code == 400 and "CSV 파일을 고르세요" in response.content.decode()


def test_it_exports_with_formulas_neutralised(editor):
    Subscriber.objects.create(email="x@example.test", name='=HYPERLINK("http://evil")', status="active")
    response = editor.get("/editor/readers/export.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][0] == "email" and rows[1][1].startswith("'=")


def test_it_searches_and_filters_by_status(editor):
    Subscriber.objects.create(email="min@example.test", name="김민", status="active")
    Subscriber.objects.create(email="gone@example.test", status="unsubscribed")
    page = editor.get("/editor/readers/", {"q": "김민"}).content.decode()
    assert "min@example.test" in page and "gone@example.test" not in page
    page = editor.get("/editor/readers/", {"status": "unsubscribed"}).content.decode()
    assert "gone@example.test" in page and "min@example.test" not in page


def test_it_shows_a_readers_consent_and_history(editor):
    reader = Subscriber.objects.create(
        email="ada@example.test",
        status="bounced",
        consent_method="form",
        consent_ip="192.0.2.7",
        soft_bounces=2,
        last_bounce="550 5.1.1 user unknown",
    )
    page = editor.get(f"/editor/readers/{reader.id}/", HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "192.0.2.7" in page and "550 5.1.1 user unknown" in page and "동의" in page


def test_it_needs_permission_to_import(bare_staff):
    response = upload(bare_staff, b"email\nada@example.test\n")
    assert response.status_code == 403 and not Subscriber.objects.exists()
