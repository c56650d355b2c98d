"""Typed helpers that read settings from the environment and fail loudly on a bad value."""

from __future__ import annotations

import builtins
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def read_dotenv(path: Path) -> dict[str, str]:
    """Parse a `.env` file: `KEY=value` lines, `#` comments, optional quotes; never executes anything."""
    values: dict[str, str] = {}
    if not path.is_file():
        return values
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("export "):
            line = line[len("export ") :]
        key, sep, value = line.partition("=")
        if not sep or not key.strip().isidentifier():
            raise ImproperlyConfigured(f"{path}:{number}: expected KEY=value, got {raw!r}")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip()] = value
    return values


class Env:
    """The process environment, with a `.env` file underneath it (the real environment wins)."""

    def __init__(
        self, environ: Mapping[builtins.str, builtins.str], dotenv: Mapping[builtins.str, builtins.str] | None = None
    ):
        self.values = {**(dotenv or {}), **environ}

    def str(self, name: builtins.str, default: builtins.str) -> builtins.str:
        return self.values.get(name, default)

    def bool(self, name: builtins.str, default: builtins.bool) -> builtins.bool:
        raw = self.values.get(name)
        if raw is None:
            return default
        word = raw.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")

    def int(self, name: builtins.str, default: builtins.int, minimum: builtins.int | None = None) -> builtins.int:
        raw = self.values.get(name)
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from None
        if minimum is not None and value < minimum:
            raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}")
        return value

    def float(
        self, name: builtins.str, default: builtins.float, minimum: builtins.float | None = None
    ) -> builtins.float:
        raw = self.values.get(name)
        if raw is None:
            return default
        try:
            value = float(raw)
        except ValueError:
            raise ImproperlyConfigured(f"{name} must be a number, not {raw!r}") from None
        if minimum is not None and value < minimum:
            raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}")
        return value

    def list(self, name: builtins.str, default: builtins.list[builtins.str]) -> builtins.list[builtins.str]:
        raw = self.values.get(name)
        if raw is None:
            return list(default)
        return [item.strip() for item in raw.split(",") if item.strip()]

    def url(
        self, name: builtins.str, default: builtins.str, schemes: set[builtins.str], host: builtins.bool = True
    ) -> builtins.str:
        """A URL with one of `schemes` (and a host unless `host=False`); "" stays "" (unset)."""
        from urllib.parse import urlsplit

        value = self.values.get(name, default).strip()
        if not value:
            return value
        try:
            parts = urlsplit(value)
            parts.port  # noqa: B018 -- raises ValueError for a bad port
        except ValueError as error:
            raise ImproperlyConfigured(f"{name} is not a valid URL ({error}): {value!r}") from None
        if parts.scheme not in schemes or (host and not parts.hostname):
            raise ImproperlyConfigured(
                f"{name} must be a {' or '.join(sorted(s + '://' for s in schemes))} URL, not {value!r}"
            )
        return value

    def email_address(self, name: builtins.str, default: builtins.str) -> builtins.str:
        """An e-mail address, optionally with a display name (`techissue <news@example.com>`)."""
        from email.utils import parseaddr

        value = self.values.get(name, default).strip()
        if value and "@" not in parseaddr(value)[1]:
            raise ImproperlyConfigured(f"{name} must be an e-mail address, not {value!r}")
        return value

    def log_level(self, name: builtins.str, default: builtins.str) -> builtins.str:
        """A logging level name, in any case."""
        value = self.values.get(name, default).strip().upper()
        levels = {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}
        if value not in levels:
            raise ImproperlyConfigured(f"{name} must be one of {', '.join(sorted(levels))}, not {self.values[name]!r}")
        return value

    def schedule(self, name: builtins.str, default: builtins.str) -> builtins.str:
        """Send slots such as "mon 07:00, thu 07:00", checked now rather than at the first send."""
        from techissue.editions.schedule import parse_schedule

        value = self.values.get(name, default)
        try:
            parse_schedule(value)
        except ValueError as error:
            raise ImproperlyConfigured(f"{name}: {error}") from None
        return value

    def path(self, name: builtins.str, default: builtins.str, kind: builtins.str = "file") -> builtins.str:
        """A path that, when set, must exist as a `kind` ("file") or be usable as one ("dir")."""
        value = self.values.get(name, default)
        if not value:
            return value
        target = Path(value)
        if kind == "file" and not target.is_file():
            raise ImproperlyConfigured(f"{name} names no readable file: {value!r}")
        if kind == "dir" and target.exists() and not target.is_dir():
            raise ImproperlyConfigured(f"{name} must be a directory, but {value!r} is a file")
        return value

    def origins(self, name: builtins.str, default: builtins.list[builtins.str]) -> builtins.list[builtins.str]:
        """Comma-separated origins, each with its scheme (`https://news.example`), as Django's CSRF check needs."""
        items = self.list(name, default)
        for item in items:
            if not item.startswith(("http://", "https://")) or len(item.split("://", 1)[1]) == 0:
                raise ImproperlyConfigured(f"{name}: {item!r} must start with http:// or https://")
        return items

    def user_password(self, name: builtins.str) -> builtins.str:
        """`user:password`, or "" when unset."""
        value = self.values.get(name, "")
        user, sep, password = value.partition(":")
        if value and not (sep and user and password):
            raise ImproperlyConfigured(f"{name} must be user:password")
        return value

    def domain(self, name: builtins.str) -> builtins.str:
        """A DNS domain name (`example.com`), or "" when unset."""
        import re

        value = self.values.get(name, "").strip().lower()
        if value and not re.fullmatch(r"(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}", value):
            raise ImproperlyConfigured(f"{name} must be a domain name such as example.com, not {value!r}")
        return value

    def networks(
        self, name: builtins.str, default: builtins.list[builtins.str] | None = None
    ) -> builtins.list[builtins.str]:
        """Comma-separated CIDRs (`127.0.0.0/8, fd00::/8`), each checked; `default` (none) when unset."""
        import ipaddress

        items = self.list(name, default or [])
        for item in items:
            try:
                ipaddress.ip_network(item, strict=False)
            except ValueError:
                raise ImproperlyConfigured(
                    f"{name}: {item!r} is not a network in CIDR form (e.g. 10.0.0.0/8)"
                ) from None
        return items

    def choice(self, name: builtins.str, default: builtins.str, choices: set[builtins.str]) -> builtins.str:
        value = self.values.get(name, default)
        if value not in choices:
            raise ImproperlyConfigured(f"{name} must be one of {', '.join(sorted(choices))}, not {value!r}")
        return value

    def time_zone(self, name: builtins.str, default: builtins.str) -> builtins.str:
        value = self.values.get(name, default)
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ImproperlyConfigured(f"{name} is not a known time zone: {value!r}") from None
        return value


def secret_key_from(env: Env, data_dir: Path) -> str:
    """SECRET_KEY from the environment, else one generated on first run and kept in the data dir."""
    key = env.str("SECRET_KEY", "")
    if key:
        if len(key) < 32:
            raise ImproperlyConfigured("SECRET_KEY must be at least 32 characters long")
        return key
    path = data_dir / "secret_key"
    if path.is_file():
        return path.read_text(encoding="utf-8").strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    # Write it readable by the owner only: the key signs every unsubscribe and confirm link.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key)
    return key


def database_from(env: Env, data_dir: Path) -> dict[str, object]:
    """DATABASES['default'] from DATABASE_URL; SQLite in WAL mode under the data dir by default."""
    import dj_database_url

    url = env.str("DATABASE_URL", "")
    if not url:
        data_dir.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{(data_dir / 'techissue.sqlite3').resolve()}"
    if not url.startswith(("sqlite:", "postgres:", "postgresql:", "pgsql:")):
        raise ImproperlyConfigured(f"DATABASE_URL must be a sqlite:// or postgres:// URL, not {url!r}")
    try:
        config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=60))
    except ValueError as error:
        raise ImproperlyConfigured(f"DATABASE_URL could not be read: {error}") from None
    if str(config["ENGINE"]).endswith("sqlite3"):
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock up
            # front so that two writers never deadlock upgrading a read lock.
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    else:
        config["CONN_HEALTH_CHECKS"] = True
    return config


def email_from(env: Env) -> dict[str, object]:
    """Django's EMAIL_* settings from EMAIL_URL: `smtp://user:pass@host:587?tls=starttls|ssl|none`.

    `console://` prints mails, `file:///path` writes them to a folder, and `anymail://ESP` selects an
    email provider's API through django-anymail (its key in ANYMAIL_API_KEY).
    """
    from urllib.parse import parse_qs, unquote, urlsplit

    url = env.str("EMAIL_URL", "smtp://127.0.0.1:1025")
    parts = urlsplit(url)
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    if parts.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme == "file":
        return {"EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend", "EMAIL_FILE_PATH": parts.path}
    if parts.scheme == "anymail":
        esp = parts.netloc
        if not esp.isidentifier():
            raise ImproperlyConfigured(f"EMAIL_URL names no email provider: {url!r} (e.g. anymail://mailgun)")
        return {
            "EMAIL_BACKEND": f"anymail.backends.{esp}.EmailBackend",
            "ANYMAIL": {"API_KEY": env.str("ANYMAIL_API_KEY", ""), **{k.upper(): v for k, v in query.items()}},
        }
    if parts.scheme not in {"smtp", "smtps"}:
        raise ImproperlyConfigured(
            f"EMAIL_URL must start with smtp://, smtps://, console://, file:// or anymail://, not {url!r}"
        )
    tls = query.get("tls", "ssl" if parts.scheme == "smtps" else "none")
    if tls not in {"starttls", "ssl", "none"}:
        raise ImproperlyConfigured(f"EMAIL_URL's tls= must be starttls, ssl or none, not {tls!r}")
    try:
        port = parts.port or (465 if tls == "ssl" else 587 if tls == "starttls" else 25)
    except ValueError:
        raise ImproperlyConfigured(f"EMAIL_URL has a bad port: {url!r}") from None
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname or "127.0.0.1",
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": tls == "starttls",
        "EMAIL_USE_SSL": tls == "ssl",
        "EMAIL_TIMEOUT": _timeout(query.get("timeout", "30"), url),
    }


def _timeout(raw: str, url: str) -> float:
    try:
        seconds = float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"EMAIL_URL's timeout= must be a number of seconds, not {raw!r}") from None
    if seconds <= 0:
        raise ImproperlyConfigured(f"EMAIL_URL's timeout= must be more than 0 seconds, not {raw!r}")
    return seconds
