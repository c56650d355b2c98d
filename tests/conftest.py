"""Fixtures shared by the cross-app tests: the delivery tests' SMTP server on loopback."""

from techissue.delivery.tests.conftest import smtp_server  # noqa: F401 (a fixture)
