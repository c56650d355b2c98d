"""Delivery: one row per (edition, subscriber), leased batches, SMTP, retries and DKIM."""
