"""`techissue subscribers import`: good rows in, bad rows reported by line, re-import idempotent, suppression wins."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.utils import translation

from techissue.audience.models import Subscriber

pytestmark = pytest.mark.django_db

CSV = """email,name,language,status
ada@example.test,Ada,en,
not-an-address,Bad,en,
min@example.test,민,ko,pending
ADA@example.test,Again,en,
bob@example.test,Bob,fr,
eve@example.test,Eve,en,sleeping
"""


def run_import(tmp_path, text: str) -> tuple[str, str, int]:
    path = tmp_path / "people.csv"
    path.write_text(text, encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        with translation.override("en"):
            call_command("subscribers", "import", str(path), stdout=out, stderr=err)
    except SystemExit as exit:
        code = int(exit.code or 0)
    return out.getvalue(), err.getvalue(), code


def test_it_imports_good_rows_and_reports_bad_ones_by_line(tmp_path):
    out, err, code = run_import(tmp_path, CSV)
    assert code == 1
    assert "line 3:" in err and "line 5:" in err and "line 6:" in err and "line 7:" in err
    assert "2 created" in out
    ada = Subscriber.objects.get(email="ada@example.test")
    assert ada.status == "active" and ada.consent_method == "import" and ada.consent_at
    assert Subscriber.objects.get(email="min@example.test").status == "pending"


def test_reimporting_changes_nothing(tmp_path):
    run_import(tmp_path, CSV)
    out, _err, _code = run_import(tmp_path, CSV)
    assert "0 created, 0 updated, 2 unchanged" in out
    assert Subscriber.objects.count() == 2


def test_an_import_never_reactivates_a_suppressed_address(tmp_path):
    Subscriber.objects.create(email="ada@example.test", status="unsubscribed")
    run_import(tmp_path, "email\nada@example.test\n")
    assert Subscriber.objects.get().status == "unsubscribed"


def test_export_writes_the_import_columns():
    Subscriber.objects.create(email="ada@example.test", name="Ada", status="active")
    out = io.StringIO()
    call_command("subscribers", "export", stdout=out)
    assert out.getvalue().splitlines()[0].startswith("email,name,language,status,consent_at")
    assert "ada@example.test,Ada" in out.getvalue()
