"""Bringing the cache and the portal together: pull (full, incremental, reconciliation), push of the outbox."""
