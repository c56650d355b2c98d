"""Subscribers: double opt-in, one-click unsubscribe, imports, suppression and bounces."""
