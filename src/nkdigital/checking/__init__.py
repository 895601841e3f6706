"""Checking a package: integrity (limits, keys, hashes) and our checks (logic, quotes, credits, dates, laws, tiers,
network records), gathered by :func:`nkdigital.checking.validation.validate` with its content-keyed cache. Imports
only lower layers."""
