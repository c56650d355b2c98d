"""Every string shown to users, in any app's templates or Python, has a Korean translation."""

from __future__ import annotations

from pathlib import Path

from techissue.editor.translations import missing_korean


def test_every_shown_string_has_korean() -> None:
    missing = missing_korean()
    assert missing == [], "add these to the app's locale/ko/LC_MESSAGES/django.po:\n" + "\n".join(
        f"{name}:{line}: {msgid!r}" for msgid, name, line in missing
    )


def test_it_catches_a_template_and_a_python_string_without_korean(tmp_path: Path) -> None:
    app = tmp_path / "app"
    (app / "templates" / "app").mkdir(parents=True)
    (app / "templates" / "app" / "page.html").write_text(
        '{% load i18n %}{% translate "Log out" %}{% blocktranslate with name=x %}Hi {{ name }}, ready?{% endblocktranslate %}'
    )
    (app / "views.py").write_text(
        'from django.utils.translation import gettext as _\nWORDS = _("A fresh untranslated line")\n'
    )
    (app / "locale" / "ko" / "LC_MESSAGES").mkdir(parents=True)
    (app / "locale" / "ko" / "LC_MESSAGES" / "django.po").write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\nmsgid "Hi %(name)s, ready?"\nmsgstr ""\n'
    )
    found = sorted(msgid for msgid, _name, _line in missing_korean(tmp_path))
    # "Log out" is in Django's own Korean catalogue; an empty msgstr is as good as none.
    assert found == ["A fresh untranslated line", "Hi %(name)s, ready?"]
