"""Documentation is code: every techissue command and every setting is documented."""

from __future__ import annotations

import re
from pathlib import Path

from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
ENV_EXAMPLE = (ROOT / ".env.example").read_text(encoding="utf-8")
OPERATOR_GUIDE = (ROOT / "docs" / "operator-guide.md").read_text(encoding="utf-8")


def techissue_commands() -> list[str]:
    return sorted(name for name, app in get_commands().items() if app.startswith("techissue."))


def settings_variables() -> list[str]:
    source = (ROOT / "techissue" / "settings.py").read_text(encoding="utf-8")
    source += (ROOT / "techissue" / "conf.py").read_text(encoding="utf-8")
    return sorted(set(re.findall(r"env\.\w+\(\s*\"([A-Z][A-Z0-9_]+)\"", source)))


def test_it_finds_the_commands_and_settings_it_checks():
    assert {"feeds", "fetch", "worker", "serve", "demo"} <= set(techissue_commands())
    assert {"DATABASE_URL", "SECRET_KEY", "TIME_ZONE"} <= set(settings_variables())


def test_it_documents_every_command_in_the_readme():
    missing = [name for name in techissue_commands() if f"techissue {name}" not in README]
    assert not missing, f"README.md does not mention: {missing}"


def test_it_documents_every_setting_in_the_readme_and_env_example():
    missing_readme = [name for name in settings_variables() if f"`{name}`" not in README]
    missing_example = [name for name in settings_variables() if not re.search(rf"^#? ?{name}=", ENV_EXAMPLE, re.M)]
    assert not missing_readme, f"README.md does not document: {missing_readme}"
    assert not missing_example, f".env.example does not list: {missing_example}"


def test_it_opens_the_readme_with_the_two_commands():
    head = "\n".join(README.splitlines()[:15])
    assert "make run" in head and "make test" in head


def test_the_operator_guide_covers_scale_and_backups():
    for topic in ("PostgreSQL", "techissue worker", "gunicorn", "backup"):
        assert topic in OPERATOR_GUIDE
