"""Polite, bounded HTTP: timeouts, a total deadline, a body cap, hand-followed redirects."""

from __future__ import annotations

import asyncio
import email.utils
import os
import ssl
import time
import zlib
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from types import TracebackType
from typing import Self
from urllib.parse import urljoin, urlsplit

import httpx

from techissue.netguard import AddressPolicy, AddressRefused, Network, guarded_transport, parse_networks

REDIRECT_STATUSES = {301, 302, 303, 307, 308}
# Only encodings we can inflate chunk by chunk with a bound on each step are advertised.
ACCEPT_ENCODING = "gzip, deflate"
DECODE_STEP_BYTES = 64 * 1024


def user_agent_for(site_url: str) -> str:
    """The User-Agent we send: who we are and where a webmaster can read about us."""
    return f"techissue/0.1 (+{site_url}; newsletter feed reader)"


def _default_user_agent() -> str:
    return user_agent_for(os.environ.get("SITE_URL", "http://localhost:8000"))


def _allowed_networks() -> tuple[Network, ...]:
    """TECHISSUE_FETCH_ALLOW_NETWORKS when Django is set up (every FetchPolicy obeys it), else none."""
    try:
        from django.conf import settings
    except ImportError:
        return ()
    return parse_networks(getattr(settings, "TECHISSUE_FETCH_ALLOW_NETWORKS", ())) if settings.configured else ()


@dataclass
class FetchPolicy:
    """Limits for one request. `deadline` is total seconds, redirects and body included."""

    connect_timeout: float = 5
    read_timeout: float = 10
    deadline: float = 20
    max_redirects: int = 5
    max_body_bytes: int = 10 * 1024 * 1024  # decompressed size
    per_host_limit: int = 2
    max_connections: int = 20
    user_agent: str = field(default_factory=_default_user_agent)
    # Internal addresses (loopback, private, link-local, …) are refused unless inside one of these networks.
    allow_networks: tuple[Network, ...] = field(default_factory=_allowed_networks)


@dataclass
class FetchResult:
    """A successful response (2xx, or 304 when `not_modified`)."""

    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    body: bytes
    etag: str | None
    last_modified: str | None
    not_modified: bool
    content_type: str | None
    charset: str | None
    retry_after: int | None


class FetchError(Exception):
    """A fetch that failed; `kind` is one of KINDS and the message names the cause in plain words."""

    KINDS = frozenset(
        {"timeout", "deadline", "too_large", "too_many_redirects", "redirect_loop",
         "http_status", "connection", "bad_url", "tls", "refused"}
    )  # fmt: skip

    def __init__(
        self,
        kind: str,
        message: str,
        status: int | None = None,
        retry_after: int | None = None,
    ):
        assert kind in self.KINDS, kind
        super().__init__(message)
        self.kind = kind
        self.status = status
        self.retry_after = retry_after


def parse_retry_after(value: str | None, now: datetime | None = None) -> int | None:
    """Seconds to wait from a Retry-After header, in delta-seconds or HTTP-date form."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return int(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    now = now or datetime.now(UTC)
    return max(0, round((when - now).total_seconds()))


def _content_type_and_charset(header: str | None) -> tuple[str | None, str | None]:
    if not header:
        return None, None
    mime, *params = header.split(";")
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            charset = value.strip().strip("\"'")
    return mime.strip().lower() or None, charset


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


class _BoundedDecoder:
    """Inflate gzip/deflate in steps of at most DECODE_STEP_BYTES, so a bomb never balloons."""

    def __init__(self, encoding: str):
        self.encoding = encoding
        # 47 = auto-detect zlib or gzip header; raw deflate is tried if the zlib header is absent.
        self.inflater = zlib.decompressobj(47 if encoding in {"gzip", "x-gzip"} else zlib.MAX_WBITS)
        self.first = encoding == "deflate"

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self.first and data:
            self.first = False
            if data[0] & 0x0F != 8:  # no zlib header: servers often send raw deflate
                self.inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        while data:
            try:
                out = self.inflater.decompress(data, DECODE_STEP_BYTES)
            except zlib.error as error:
                raise FetchError("connection", f"the {self.encoding} body is corrupt ({error})") from error
            data = self.inflater.unconsumed_tail
            if out:
                yield out
            if self.inflater.eof:
                return


def _decoders_for(header: str | None) -> list[_BoundedDecoder]:
    encodings = [part.strip().lower() for part in (header or "").split(",")]
    decoders = []
    for encoding in encodings:
        if encoding in {"", "identity"}:
            continue
        if encoding not in {"gzip", "x-gzip", "deflate"}:
            raise FetchError(
                "http_status",
                f"the server sent a body in an encoding we did not ask for ({encoding})",
            )
        decoders.append(_BoundedDecoder(encoding))
    return list(reversed(decoders))  # the last encoding applied is the first to undo


def _undo_encodings(decoders: list[_BoundedDecoder], data: bytes) -> Iterator[bytes]:
    """Lazily pass `data` through each decoder: nothing is inflated before the caller asks."""
    if not decoders:
        yield data
        return
    for piece in decoders[0].feed(data):
        yield from _undo_encodings(decoders[1:], piece)


async def _decoded_chunks(response: httpx.Response) -> AsyncIterator[bytes]:
    decoders = _decoders_for(response.headers.get("content-encoding"))
    async for raw in response.aiter_raw():
        for piece in _undo_encodings(decoders, raw):
            yield piece


class Fetcher:
    """Owns one httpx.AsyncClient; `get` fetches a URL within the policy's limits.

    Use as `async with Fetcher(policy) as fetcher: result = await fetcher.get(url)`.
    At most `per_host_limit` requests run against one host at a time, and at most
    `max_connections` in all. Time spent waiting for a slot does not count against the deadline.
    """

    def __init__(self, policy: FetchPolicy | None = None):
        self.policy = policy or FetchPolicy()
        self._client: httpx.AsyncClient | None = None
        self._host_slots: dict[str, asyncio.Semaphore] = {}
        self._all_slots = asyncio.Semaphore(self.policy.max_connections)

    async def __aenter__(self) -> Self:
        policy = self.policy
        limits = httpx.Limits(
            max_connections=policy.max_connections,
            max_keepalive_connections=policy.max_connections,
        )
        self._client = httpx.AsyncClient(
            # Every connection (the feed, its redirects, article pages, discovery) goes through the address guard.
            transport=guarded_transport(AddressPolicy(policy.allow_networks), limits=limits, trust_env=False),
            follow_redirects=False,
            timeout=httpx.Timeout(
                connect=policy.connect_timeout,
                read=policy.read_timeout,
                write=policy.read_timeout,
                pool=None,
            ),
            headers={
                "User-Agent": policy.user_agent,
                "Accept-Encoding": ACCEPT_ENCODING,
            },
            trust_env=False,  # a proxy from the environment would change who we connect to
        )
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    def _slot_for(self, host: str) -> asyncio.Semaphore:
        if host not in self._host_slots:
            self._host_slots[host] = asyncio.Semaphore(self.policy.per_host_limit)
        return self._host_slots[host]

    async def get(self, url: str, etag: str | None = None, last_modified: str | None = None) -> FetchResult:
        """Fetch `url`, following up to `max_redirects` http(s) redirects by hand.

        Returns a FetchResult for 2xx and 304; raises FetchError for everything else.
        """
        if self._client is None:
            raise RuntimeError("use Fetcher as an async context manager")
        conditional = {}
        if etag:
            conditional["If-None-Match"] = etag
        if last_modified:
            conditional["If-Modified-Since"] = last_modified
        remaining = float(self.policy.deadline)
        seen = {url}
        current = url
        for _hop in range(self.policy.max_redirects + 1):
            host = _check_url(current)
            async with self._slot_for(host), self._all_slots:
                started = time.monotonic()
                try:
                    async with asyncio.timeout(remaining):
                        outcome = await self._one_request(url, current, conditional)
                except TimeoutError as error:
                    raise FetchError(
                        "deadline",
                        f"the server took longer than {self.policy.deadline:g} s in all (slow drip?)",
                    ) from error
                remaining -= time.monotonic() - started
            if isinstance(outcome, FetchResult):
                return outcome
            next_url = outcome
            if next_url in seen:
                raise FetchError("redirect_loop", f"redirect loop: {next_url} came back")
            seen.add(next_url)
            current = next_url
        raise FetchError(
            "too_many_redirects",
            f"more than {self.policy.max_redirects} redirects, the last to {current}",
        )

    async def _one_request(self, original: str, url: str, headers: dict[str, str]) -> FetchResult | str:
        """One hop: a FetchResult, or the absolute URL of the next hop when redirected."""
        assert self._client is not None
        try:
            async with self._client.stream("GET", url, headers=headers) as response:
                status = response.status_code
                if status in REDIRECT_STATUSES:
                    location = response.headers.get("location")
                    if not location:
                        raise FetchError(
                            "http_status",
                            f"the server answered {_status_words(status)} with no Location",
                            status,
                        )
                    next_url = urljoin(url, location.strip())
                    if urlsplit(next_url).scheme not in {"http", "https"}:
                        raise FetchError(
                            "bad_url",
                            f"the server redirected to {next_url}, which is not http(s)",
                        )
                    return next_url
                if status == 304 or 200 <= status < 300:
                    body = b"" if status == 304 else await self._read_capped(response)
                    return _result(original, url, response, body)
                retry_after = parse_retry_after(response.headers.get("retry-after"))
                raise FetchError(
                    "http_status",
                    f"the server answered {_status_words(status)}",
                    status,
                    retry_after,
                )
        except AddressRefused as error:
            raise FetchError("refused", str(error)) from error
        except httpx.TimeoutException as error:
            if isinstance(error, httpx.ConnectTimeout):
                message = f"the server did not accept the connection within {self.policy.connect_timeout:g} s"
            else:
                message = f"the server went silent for {self.policy.read_timeout:g} s"
            raise FetchError("timeout", message) from error
        except httpx.ConnectError as error:
            if _is_tls_error(error):
                raise FetchError("tls", f"the TLS handshake failed ({error})") from error
            raise FetchError("connection", f"could not connect to {urlsplit(url).netloc} ({error})") from error
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as error:
            raise FetchError(
                "connection",
                f"the connection broke mid-response ({error or type(error).__name__})",
            ) from error
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as error:
            raise FetchError("bad_url", f"{url} is not a fetchable URL ({error})") from error
        except ssl.SSLError as error:
            raise FetchError("tls", f"the TLS connection failed ({error})") from error

    async def _read_capped(self, response: httpx.Response) -> bytes:
        cap = self.policy.max_body_bytes
        too_large = FetchError("too_large", f"the body passed the {_megabytes(cap)} cap")
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and not response.headers.get("content-encoding") and int(declared) > cap:
            raise too_large
        body = bytearray()
        async for chunk in _decoded_chunks(response):
            body += chunk
            if len(body) > cap:
                raise too_large
        return bytes(body)


def _check_url(url: str) -> str:
    """The URL's host, after checking it is an absolute http(s) URL."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        parts.port  # noqa: B018 -- raises ValueError for a port out of range, which httpx would hide in an ExceptionGroup
    except ValueError as error:
        raise FetchError("bad_url", f"{url!r} is not a valid URL ({error})") from error
    if parts.scheme not in {"http", "https"}:
        raise FetchError("bad_url", f"{url!r} is not an http(s) URL")
    if not host:
        raise FetchError("bad_url", f"{url!r} has no host")
    return host


def _status_words(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def _is_tls_error(error: BaseException) -> bool:
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, ssl.SSLError) or "SSL" in type(seen).__name__ or "certificate" in str(seen).lower():
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _result(original: str, final_url: str, response: httpx.Response, body: bytes) -> FetchResult:
    headers = {name.lower(): value for name, value in response.headers.items()}
    content_type, charset = _content_type_and_charset(headers.get("content-type"))
    return FetchResult(
        url=original,
        final_url=final_url,
        status=response.status_code,
        headers=headers,
        body=body,
        etag=headers.get("etag"),
        last_modified=headers.get("last-modified"),
        not_modified=response.status_code == 304,
        content_type=content_type,
        charset=charset,
        retry_after=parse_retry_after(headers.get("retry-after")),
    )
