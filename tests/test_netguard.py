"""The address policy on its own (no Django, no network): what counts as internal, and what an allow-list opens."""

from __future__ import annotations

import ipaddress
import re

import pytest

from techissue.netguard import AddressPolicy, AddressRefused, kind_of, parse_networks


@pytest.mark.parametrize(
    ("address", "words"),
    [
        ("127.0.0.1", "a loopback address"),
        ("10.0.0.5", "a private address"),
        ("172.16.0.1", "a private address"),
        ("169.254.169.254", "a link-local address"),
        ("100.64.0.1", "a shared (carrier-grade NAT) address"),
        ("224.0.0.251", "a multicast address"),
        ("255.255.255.255", "a reserved address"),
        ("0.0.0.0", "an unspecified address"),
        ("0.1.2.3", "an unspecified address"),
        ("::", "an unspecified address"),
        ("::ffff:10.0.0.5", "a private address in IPv6 form (10.0.0.5)"),
        ("64:ff9b::7f00:1", "a loopback address in IPv6 form (127.0.0.1)"),
        ("2002:a9fe:a9fe::1", "a link-local address in IPv6 form (169.254.169.254)"),
        ("ff02::1", "a multicast address"),
        ("2001:db8::1", "a private address"),
    ],
)
def test_it_names_why_an_address_is_internal(address: str, words: str) -> None:
    assert kind_of(ipaddress.ip_address(address)) == words


@pytest.mark.parametrize("address", ["93.184.216.34", "2606:4700::1111", "::ffff:93.184.216.34", "64:ff9b::808:808"])
def test_public_addresses_pass(address: str) -> None:
    assert kind_of(ipaddress.ip_address(address)) is None


def test_an_allow_list_opens_only_its_networks() -> None:
    policy = AddressPolicy(parse_networks("127.0.0.0/8, fd00::/8"))
    assert policy.resolve_sync("127.0.0.9") == [ipaddress.ip_address("127.0.0.9")]
    assert policy.resolve_sync("::ffff:127.0.0.1")
    with pytest.raises(AddressRefused, match=re.escape("refused: 10.0.0.5 is a private address")):
        policy.resolve_sync("10.0.0.5")


def test_a_bad_network_is_named() -> None:
    with pytest.raises(ValueError, match=re.escape("'10.0.0/33' is not a network")):
        parse_networks("127.0.0.0/8,10.0.0/33")
