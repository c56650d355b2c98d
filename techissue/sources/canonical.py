"""Canonical article URLs: one spelling per page, so copies of a link compare equal."""

from __future__ import annotations

import re
from urllib.parse import quote, urljoin, urlsplit

import idna

TRACKING_PARAMETERS = frozenset(
    {
        "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "twclid", "ttclid",
        "mc_cid", "mc_eid", "igshid", "ref", "ref_src", "ref_url", "cmpid", "_ga", "_gl", "_hsenc",
        "_hsmi", "mkt_tok", "oly_anon_id", "oly_enc_id", "vero_id", "spm", "s_cid", "ncid",
        "sr_share", "wt.mc_id", "__twitter_impression",
    }
)  # fmt: skip
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "hsa_")
DEFAULT_PORTS = {"http": "80", "https": "443"}
# Hosts that serve the same site under a different label; a canonical hint from one of these
# for the other is still "the same site".
_SAME_SITE_PREFIXES = ("www.", "m.", "mobile.", "amp.")

WEB_SCHEMES = frozenset({"http", "https"})


def web_url(url: str | None) -> str:
    """`url` when it is an http(s) address with a host, else "": no javascript:, data:, file: or mailto:.

    Browsers ignore leading blanks and control characters and tabs inside a scheme, so the check
    reads the URL as they do (`urlsplit` drops tabs and newlines too).
    """
    text = (url or "").strip().lstrip("".join(map(chr, range(33))))
    try:
        parts = urlsplit(text)
    except ValueError:
        return ""
    return text if parts.scheme.lower() in WEB_SCHEMES and parts.netloc else ""


_UNRESERVED = re.compile(r"[A-Za-z0-9\-._~]")
_TRIPLET = re.compile(r"%([0-9A-Fa-f]{2})")
_STRAY_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")
_PATH_SAFE = "%/:@!$&'()*+,;=-._~"
_QUERY_PART_SAFE = "%/:@!$'()*+,;?-._~"  # '&' and '=' separate pairs, so they stay encoded inside


def _normalise_percent_encoding(part: str, safe: str) -> str:
    """Encode what must be encoded (non-ASCII as UTF-8), decode unreserved escapes, uppercase hex.

    Existing escapes of reserved or non-ASCII bytes are kept as they are, so an EUC-KR
    percent-encoded Korean path is not re-encoded into a different URL.
    """
    part = _STRAY_PERCENT.sub("%25", part)
    part = quote(part, safe=safe)

    def fix(match: re.Match[str]) -> str:
        char = chr(int(match.group(1), 16))
        return char if _UNRESERVED.fullmatch(char) else "%" + match.group(1).upper()

    return _TRIPLET.sub(fix, part)


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 section 5.2.4: resolve "." and ".." path segments."""
    output: list[str] = []
    segments = path.split("/")
    for index, segment in enumerate(segments):
        is_last = index == len(segments) - 1
        if segment == ".":
            if is_last:
                output.append("")
        elif segment == "..":
            if len(output) > 1:
                output.pop()
            if is_last:
                output.append("")
        else:
            output.append(segment)
    result = "/".join(output)
    return result if result.startswith("/") else "/" + result


def _encode_host(host: str) -> str:
    host = host.strip().rstrip(".").lower()
    if not host or host.isascii():
        return host
    try:
        return idna.encode(host, uts46=True).decode("ascii")
    except idna.IDNAError:
        try:
            return host.encode("idna").decode("ascii")
        except UnicodeError:
            return quote(host, safe="")


def _split_netloc(netloc: str) -> tuple[str, str]:
    """Return (host, port) from a netloc, dropping any user:password@ part."""
    hostport = netloc.rpartition("@")[2]
    if hostport.startswith("["):  # IPv6 literal
        host, _, rest = hostport.partition("]")
        return host + "]", rest[1:] if rest.startswith(":") else ""
    host, _, port = hostport.partition(":")
    return host, port


def _is_tracking(key: str) -> bool:
    key = key.lower()
    return key in TRACKING_PARAMETERS or key.startswith(TRACKING_PREFIXES)


def _canonical_query(query: str) -> str:
    pairs: list[tuple[str, str]] = []
    for piece in query.split("&"):
        if not piece:
            continue
        key, has_value, value = piece.partition("=")
        key = _normalise_percent_encoding(key, _QUERY_PART_SAFE + "=")
        value = _normalise_percent_encoding(value, _QUERY_PART_SAFE + "=")
        if _is_tracking(key.replace("%5F", "_")) or not (key or value):
            continue
        pairs.append((key, value if has_value else ""))
    pairs.sort()
    return "&".join(f"{key}={value}" if value else key for key, value in pairs)


def _site_key(host: str) -> str:
    for prefix in _SAME_SITE_PREFIXES:
        if host.startswith(prefix):
            return host[len(prefix) :]
    return host


def _same_site(url_a: str, url_b: str) -> bool:
    host_a = _encode_host(_split_netloc(urlsplit(url_a).netloc)[0])
    host_b = _encode_host(_split_netloc(urlsplit(url_b).netloc)[0])
    return bool(host_a) and _site_key(host_a) == _site_key(host_b)


def canonicalize(url: str, canonical_hint: str | None = None) -> str:
    """Return the canonical spelling of `url`.

    Steps:
    1. a `<link rel=canonical>` hint is used instead of `url` when it is http(s) and on the same
       site (same host, give or take a "www."/"m." label) — a page cannot claim another site's URL;
    2. scheme and host are lowercased, the host IDNA-encoded, default ports and user info dropped;
    3. the path keeps its case; dot segments go, percent-encoding is normalised (non-ASCII such
       as Korean is UTF-8 encoded, unreserved escapes decoded, hex uppercased), empty becomes "/";
    4. tracking parameters (utm_*, fbclid, gclid, mc_cid, ref, …) are dropped, the rest sorted;
    5. the fragment is dropped.
    Idempotent: canonicalize(canonicalize(u)) == canonicalize(u).
    """
    url = url.strip()
    if canonical_hint:
        hint = urljoin(url, canonical_hint.strip())
        if urlsplit(hint).scheme.lower() in DEFAULT_PORTS and _same_site(url, hint):
            url = hint
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        return url  # mailto:, tel: and friends have no canonical form we can improve on
    host, port = _split_netloc(parts.netloc)
    host = _encode_host(host)
    port = port.lstrip("0") or ("0" if port else "")
    netloc = host if not port or port == DEFAULT_PORTS[scheme] else f"{host}:{port}"
    path = _remove_dot_segments(_normalise_percent_encoding(parts.path, _PATH_SAFE))
    query = _canonical_query(parts.query)
    return f"{scheme}://{netloc}{path}" + (f"?{query}" if query else "")
