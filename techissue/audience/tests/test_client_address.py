"""The address that rate limits count: REMOTE_ADDR, unless trusted proxies stand in front."""

from __future__ import annotations

from django.test import RequestFactory

from techissue.audience.views import client_ip


def request(forwarded: str = "", remote: str = "127.0.0.1"):  # type: ignore[no-untyped-def]
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return RequestFactory().post("/subscribe/", REMOTE_ADDR=remote, **extra)


def test_it_ignores_a_forwarded_header_nobody_vouches_for(settings):
    settings.TECHISSUE_TRUSTED_PROXIES = 0
    assert client_ip(request("203.0.113.9")) == "127.0.0.1"


def test_it_takes_the_address_the_trusted_proxy_saw(settings):
    settings.TECHISSUE_TRUSTED_PROXIES = 1
    # The client forged the first entry; nginx appended the real one.
    assert client_ip(request("10.9.9.9, 198.51.100.7")) == "198.51.100.7"


def test_it_falls_back_when_the_header_is_shorter_than_the_proxy_chain(settings):
    settings.TECHISSUE_TRUSTED_PROXIES = 2
    assert client_ip(request("198.51.100.7", remote="10.0.0.2")) == "10.0.0.2"
