"""`subscribers export` writes no cell a spreadsheet would run, whatever a stranger typed into the form."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command

from techissue.audience.csvsafe import safe_cell
from techissue.audience.models import Subscriber

pytestmark = pytest.mark.django_db

FORMULAS = ["=SUM(A1:A9)", "+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)"]


def exported() -> list[dict[str, str]]:
    out = io.StringIO()
    call_command("subscribers", "export", stdout=out)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


def test_it_neutralises_formulas_typed_into_the_public_form(client) -> None:
    for n, name in enumerate(FORMULAS):
        assert client.post("/subscribe/", {"email": f"f{n}@example.test", "name": name}).status_code == 200
    # And what reached the table another way (an import, the admin): a link formula, a hidden tab or CR.
    Subscriber.objects.create(email="h@example.test", name='=HYPERLINK("http://evil.example","x")')
    Subscriber.objects.create(email="t@example.test", name="\t=1+1")
    Subscriber.objects.create(email="r@example.test", name="\r=1+1")

    names = [row["name"] for row in exported()]

    assert len(names) == 7
    assert all(not name.startswith(("=", "+", "-", "@", "\t", "\r")) for name in names), names
    assert "'=SUM(A1:A9)" in names and "'-2+3" in names


def test_it_leaves_ordinary_cells_alone() -> None:
    assert [safe_cell(v) for v in ["김민지", "Ada Lovelace", "", None, 3]] == ["김민지", "Ada Lovelace", "", "", "3"]
