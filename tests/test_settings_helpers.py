"""Settings come from the environment through typed helpers that fail loudly on a bad value."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from techissue.conf import Env, database_from, email_from, read_dotenv, secret_key_from


def test_it_reads_a_dotenv_file_under_the_real_environment(tmp_path: Path):
    path = tmp_path / ".env"
    path.write_text(
        "# comment\nexport TIME_ZONE='Europe/Berlin'\nDEBUG=\"true\"\n\nSITE_URL=http://a\n", encoding="utf-8"
    )
    env = Env({"SITE_URL": "http://b"}, read_dotenv(path))
    assert env.str("TIME_ZONE", "") == "Europe/Berlin"
    assert env.bool("DEBUG", False) is True
    assert env.str("SITE_URL", "") == "http://b"


def test_it_names_the_line_of_a_broken_dotenv(tmp_path: Path):
    path = tmp_path / ".env"
    path.write_text("GOOD=1\nthis is not a setting\n", encoding="utf-8")
    with pytest.raises(ImproperlyConfigured, match=r"\.env:2"):
        read_dotenv(path)


@pytest.mark.parametrize(
    ("method", "name", "value", "words"),
    [
        ("bool", "DEBUG", "maybe", "true or false"),
        ("int", "TECHISSUE_FETCH_CONCURRENCY", "many", "whole number"),
        ("float", "TECHISSUE_FETCH_DEADLINE", "soon", "a number"),
        ("time_zone", "TIME_ZONE", "Mars/Olympus", "time zone"),
    ],
)
def test_it_refuses_a_bad_value_and_names_the_variable(method: str, name: str, value: str, words: str):
    env = Env({name: value})
    with pytest.raises(ImproperlyConfigured, match=name) as error:
        getattr(env, method)(name, *({"bool": [False], "int": [1], "float": [1.0], "time_zone": ["UTC"]}[method]))
    assert words in str(error.value)


def test_it_refuses_a_value_below_its_minimum():
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        Env({"N": "0"}).int("N", 5, minimum=1)


def test_it_generates_the_secret_key_once_and_keeps_it_private(tmp_path: Path):
    first = secret_key_from(Env({}), tmp_path)
    second = secret_key_from(Env({}), tmp_path)
    assert first == second and len(first) >= 50
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600


def test_it_refuses_a_short_secret_key(tmp_path: Path):
    with pytest.raises(ImproperlyConfigured, match="SECRET_KEY"):
        secret_key_from(Env({"SECRET_KEY": "short"}), tmp_path)


def test_it_defaults_to_sqlite_in_wal_mode(tmp_path: Path):
    config = database_from(Env({}), tmp_path)
    assert str(config["ENGINE"]).endswith("sqlite3")
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]  # type: ignore[index]


def test_it_reads_postgres_urls_and_refuses_others(tmp_path: Path):
    config = database_from(Env({"DATABASE_URL": "postgres://u:p@db:5433/news"}), tmp_path)
    assert config["NAME"] == "news" and config["PORT"] == 5433
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        database_from(Env({"DATABASE_URL": "mysql://u@db/news"}), tmp_path)


def test_it_reads_email_urls():
    smtp = email_from(Env({"EMAIL_URL": "smtp://me%40x.com:s3cret@relay.example:587?tls=starttls"}))
    assert smtp["EMAIL_HOST"] == "relay.example" and smtp["EMAIL_PORT"] == 587
    assert smtp["EMAIL_HOST_USER"] == "me@x.com" and smtp["EMAIL_HOST_PASSWORD"] == "s3cret"
    assert smtp["EMAIL_USE_TLS"] is True and smtp["EMAIL_USE_SSL"] is False
    assert email_from(Env({"EMAIL_URL": "smtps://relay.example"}))["EMAIL_PORT"] == 465
    assert (
        email_from(Env({"EMAIL_URL": "anymail://mailgun"}))["EMAIL_BACKEND"] == "anymail.backends.mailgun.EmailBackend"
    )
    with pytest.raises(ImproperlyConfigured, match="tls="):
        email_from(Env({"EMAIL_URL": "smtp://relay?tls=sometimes"}))
    with pytest.raises(ImproperlyConfigured, match="EMAIL_URL"):
        email_from(Env({"EMAIL_URL": "carrier-pigeon://coop"}))
