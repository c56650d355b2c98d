"""Hostile uploads through a live server (the app as `techissue serve` runs it): SVG with script, PHP named .php.png, 30 MB; and how uploads are served."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from django.contrib.auth.models import User

from techissue.editions.models import EditionImage
from techissue.editions.tests.uploads import AppServer, admin_session, csrf_of, png_bytes

pytestmark = pytest.mark.django_db(transaction=True)

SVG_WITH_SCRIPT = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
PHP = b"<?php system($_GET['c']); ?>"


@pytest.fixture
def session(settings, tmp_path: Path) -> httpx.Client:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    User.objects.create_superuser("editor", "editor@127.0.0.1", "a-long-password-1")
    with AppServer() as server:
        client = admin_session(server.url, "editor", "a-long-password-1")
        yield client
        client.close()


def upload(client: httpx.Client, name: str, content: bytes) -> httpx.Response:
    form = client.get("/admin/editions/editionimage/add/")
    return client.post(
        "/admin/editions/editionimage/add/",
        data={"alt": "그림", "caption": "", "csrfmiddlewaretoken": csrf_of(form.text)},
        files={"file": (name, content, "image/png")},
        headers={"Referer": str(form.url)},
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [("chart.svg", SVG_WITH_SCRIPT), ("chart.png", SVG_WITH_SCRIPT), ("shell.php.png", PHP), ("notes.png", b"hello")],
)
def test_it_refuses_what_is_not_a_picture_whatever_its_name(session: httpx.Client, name: str, content: bytes) -> None:
    response = upload(session, name, content)
    assert response.status_code == 200 and "errorlist" in response.text  # the form again, with the reason
    assert not EditionImage.objects.exists()


def test_it_refuses_a_30_mb_file(session: httpx.Client) -> None:
    response = upload(session, "huge.png", png_bytes() + b"\0" * (30 * 1024 * 1024))
    assert "errorlist" in response.text and "MB" in response.text
    assert not EditionImage.objects.exists()


def test_it_stores_a_real_image_under_a_generated_name_and_serves_it_safely(session: httpx.Client, settings) -> None:
    response = upload(session, "shell.php.png", png_bytes())
    assert response.status_code == 302
    image = EditionImage.objects.get()
    assert "php" not in image.file.name and image.file.name.endswith(".png")

    served = session.get(image.file.url)
    assert served.status_code == 200 and served.content == png_bytes()
    assert served.headers["content-type"] == "image/png"
    assert served.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in served.headers["content-security-policy"]
    assert "default-src 'none'" in served.headers["content-security-policy"]


def test_it_serves_nothing_but_stored_images(session: httpx.Client, settings) -> None:
    media = Path(settings.MEDIA_ROOT)
    (media / "editions").mkdir(parents=True)
    (media / "editions" / "page.html").write_text("<script>alert(1)</script>")
    (media / "editions" / "x.bin").write_bytes(PHP)
    for path in [
        "/media/editions/page.html",
        "/media/editions/x.bin",
        "/media/../../etc/passwd",
        "/media/%2e%2e/x.png",
    ]:
        assert session.get(path).status_code == 404, path
