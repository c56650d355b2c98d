"""Which addresses an outgoing request may reach: public ones, and networks allowed on purpose. No Django here.

The check is made where the connection is opened (`GuardedBackend.connect_tcp`): the host is resolved once,
every address is checked, and the socket goes to an address that passed. So every spelling of a host
(`127.1`, `0x7f000001`, `2130706433`, `localhost`, `[::1]`, a name whose DNS answer points inside) meets the
same test, a redirect is checked again when it opens its connection, and no second lookup can answer
differently (no DNS-rebinding window). TLS still verifies, and SNI still names, the host of the URL.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import httpcore
import httpx

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

SHARED = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT (RFC 6598): inside someone's network
NAT64 = ipaddress.ip_network("64:ff9b::/96")
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")


class AddressRefused(Exception):
    """The host resolved to an address the policy does not let us reach; the message says which and why."""

    def __init__(self, host: str, address: Address, reason: str):
        named = "" if _same(host, address) else f" ({host} resolves to it)"
        super().__init__(f"refused: {address} is {reason}{named}")
        self.host, self.address, self.reason = host, address, reason


def _same(host: str, address: Address) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")) == address
    except ValueError:
        return False


def parse_networks(value: str | Iterable[str | Network]) -> tuple[Network, ...]:
    """`"127.0.0.0/8, ::1/128"` (or a list of such) as networks; ValueError names the bad one."""
    items = value.split(",") if isinstance(value, str) else value
    networks: list[Network] = []
    for item in items:
        if isinstance(item, ipaddress.IPv4Network | ipaddress.IPv6Network):
            networks.append(item)
            continue
        text = item.strip()
        if not text:
            continue
        try:
            networks.append(ipaddress.ip_network(text, strict=False))
        except ValueError:
            raise ValueError(f"{text!r} is not a network in CIDR form (e.g. 10.0.0.0/8 or fd00::/8)") from None
    return tuple(networks)


def embedded_ipv4(address: Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address inside an IPv6 one (mapped, compatible, NAT64, 6to4, Teredo), or None."""
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in NAT64 or (address in IPV4_COMPATIBLE and int(address) > 1):
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    return None


def kind_of(address: Address) -> str | None:
    """Why `address` is not public ("a loopback address", …), or None when it is a public address."""
    inner = embedded_ipv4(address)
    if inner is not None:
        reason = kind_of(inner)
        return f"{reason} in IPv6 form ({inner})" if reason else None
    if address.is_unspecified or (isinstance(address, ipaddress.IPv4Address) and address.packed[0] == 0):
        return "an unspecified address"
    if address.is_loopback:
        return "a loopback address"
    if address.is_link_local:
        return "a link-local address"
    if isinstance(address, ipaddress.IPv4Address) and address in SHARED:
        return "a shared (carrier-grade NAT) address"
    if address.is_multicast:
        return "a multicast address"
    if address.is_reserved:
        return "a reserved address"
    if address.is_private:
        return "a private address"
    if not address.is_global:
        return "not a public address"
    return None


@dataclass(frozen=True)
class AddressPolicy:
    """Public addresses pass; so do addresses inside `allow` (TECHISSUE_FETCH_ALLOW_NETWORKS)."""

    allow: tuple[Network, ...] = ()

    def allows(self, address: Address) -> bool:
        inner = embedded_ipv4(address)
        candidates = [address] if inner is None else [address, inner]
        return any(candidate in network for candidate in candidates for network in self.allow)

    def check(self, host: str, address: Address) -> Address:
        """`address` when the policy lets us reach it; AddressRefused otherwise."""
        if self.allows(address):
            return address
        reason = kind_of(address)
        if reason:
            raise AddressRefused(host, address, reason)
        return address

    async def resolve(self, host: str, port: int) -> list[Address]:
        """Every address `host` resolves to, each checked; AddressRefused when any of them is refused.

        One refused answer refuses the host: a name that points both outside and inside is an attack.
        """
        host = host.strip("[]")
        try:
            literal: Address | None = ipaddress.ip_address(host)
        except ValueError:
            literal = None
        if literal is not None:
            return [self.check(host, literal)]
        loop = asyncio.get_running_loop()
        # getaddrinfo reads every spelling the C library accepts (127.1, 0x7f000001, 2130706433, localhost).
        answers = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
        addresses: list[Address] = []
        for _family, _type, _proto, _name, sockaddr in answers:
            address = ipaddress.ip_address(str(sockaddr[0]).partition("%")[0])
            if address not in addresses:
                addresses.append(self.check(host, address))
        if not addresses:
            raise OSError(f"{host} has no address")
        return addresses

    def resolve_sync(self, host: str, port: int = 80) -> list[Address]:
        """`resolve` for code that is not async (outgoing webhooks, commands)."""
        return asyncio.run(self.resolve(host, port))


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend, but each TCP connection goes only to an address the policy checked."""

    def __init__(self, policy: AddressPolicy, inner: httpcore.AsyncNetworkBackend | None = None):
        self.policy = policy
        self.inner = inner or httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            addresses = await self.policy.resolve(host, port)
        except OSError as error:
            raise httpcore.ConnectError(f"cannot resolve {host}: {error}") from error
        last: Exception | None = None
        for address in addresses:
            try:
                return await self.inner.connect_tcp(
                    str(address), port, timeout=timeout, local_address=local_address, socket_options=socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as error:
                last = error
        assert last is not None
        raise last

    async def connect_unix_socket(self, *args: Any, **kwargs: Any) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("unix sockets are not reachable through the address policy")

    async def sleep(self, seconds: float) -> None:
        await self.inner.sleep(seconds)


def guarded_transport(policy: AddressPolicy, **kwargs: Any) -> httpx.AsyncHTTPTransport:
    """An httpx transport (same arguments as AsyncHTTPTransport) whose connections obey `policy`."""
    transport = httpx.AsyncHTTPTransport(**kwargs)
    pool = transport._pool
    # httpx builds the httpcore pool itself and takes no backend: swap it in. The lock pins httpx and
    # httpcore, and the fetcher's tests fail if this attribute ever moves.
    if not hasattr(pool, "_network_backend"):
        raise RuntimeError("httpcore's connection pool changed: the address guard cannot be installed")
    pool._network_backend = GuardedBackend(policy)
    return transport
