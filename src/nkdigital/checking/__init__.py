"""Checking a package: frictionless plus our checks (logic, quotes, credits, dates, laws, tiers, network records),
gathered by :func:`nkdigital.checking.validation.validate` with its content-keyed cache. Imports only lower layers."""
