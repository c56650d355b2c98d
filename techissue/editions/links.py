"""Reader-facing links: the canonical address, without the outlets' tracking parameters."""

from __future__ import annotations

from techissue.sources.canonical import canonicalize


def clean_link(url: str) -> str:
    """`url` without utm_* and other tracking parameters or fragments; anything not http(s) is kept as it is."""
    url = (url or "").strip()
    if not url.lower().startswith(("http://", "https://")):
        return url
    return canonicalize(url)


def reader_link(url: str) -> str:
    """The link a reader follows: a clean http(s) address, or "" for anything else (javascript:, data:, …)."""
    url = (url or "").strip()
    return clean_link(url) if url.lower().startswith(("http://", "https://")) else ""
