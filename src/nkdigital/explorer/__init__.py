"""The evidence explorer: the package in Datasette, searchable, faceted, and linked to the archived texts.

Datasette (the `explorer` extra) is imported only by :func:`serve`.
"""

from nkdigital.explorer.database import build
from nkdigital.explorer.metadata import metadata, queries
from nkdigital.explorer.serve import cache_dir, content_key, prepare, serve

__all__ = ["build", "cache_dir", "content_key", "metadata", "prepare", "queries", "serve"]
