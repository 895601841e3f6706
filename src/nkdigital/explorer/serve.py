"""`nkdigital serve`: build the explorer database (or reuse it while nothing changed), then run Datasette on it.

A start on a reused database reads the content key (`nkdigital.checking.content`), the stored Datasette metadata and
Datasette: neither pandas nor the package code is imported (a test checks).
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import sys
from contextlib import closing, suppress
from pathlib import Path

from nkdigital.checking.content import content_key
from nkdigital.core.atomic import atomic_write_bytes
from nkdigital.core.paths import cache_dir, default_archive, resolve_descriptor
from nkdigital.explorer.names import DATABASE

INSTALL = "nkdigital serve needs Datasette: pip install 'nkdigital[explorer]'"
DATABASE_FILE = "nkdigital.sqlite"
METADATA_FILE = "metadata.json"
KEY_FILE = "nkdigital.key"  # content key the database and its metadata were built from
HERE = Path(__file__).resolve().parent
SHUTDOWN_SECONDS = 2


def prepare(package, folder: str | os.PathLike, allow_sql: bool = False) -> tuple[Path, Path]:
    """Write `nkdigital.sqlite` and its `metadata.json` to `folder` (created if need be: it is the explorer's own
    cache; earlier files are replaced); return both paths."""
    from nkdigital.explorer.database import build

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    database = build(package, folder / DATABASE_FILE)
    return database, describe(package.descriptor, database, folder, allow_sql)


def describe(descriptor: dict, database: Path, folder: Path, allow_sql: bool = False) -> Path:
    """Write the Datasette metadata of `database` to `folder/metadata.json`."""
    from nkdigital.explorer.database import search_columns, table_columns
    from nkdigital.explorer.metadata import metadata

    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as connection:
        columns = table_columns(connection)
    described = metadata(descriptor, columns, search_columns(columns))
    described["databases"][DATABASE]["allow_sql"] = allow_sql
    return _write(folder, described)


def _write(folder: Path, described: dict) -> Path:
    atomic_write_bytes(folder / METADATA_FILE, json.dumps(described, indent=2, ensure_ascii=False).encode())
    return folder / METADATA_FILE


def prepared(package_path, folder: Path, archive: Path, allow_sql: bool) -> tuple[Path, Path, bool]:
    """The database and metadata for the package at `package_path`: reused while the content key is the one they
    were built from (the same code, package and archive, validated before), else validated, loaded and rebuilt.
    Returns (database, metadata, reused)."""
    descriptor = resolve_descriptor(package_path)
    key = content_key(descriptor, archive)  # None: something cannot be keyed; validation will say what
    database, key_file = folder / DATABASE_FILE, folder / KEY_FILE
    described = _reused(folder, key, allow_sql) if key is not None else None
    if described is not None:
        return database, described, True
    from nkdigital.api.package import load  # only now: a reused database needs no pandas

    package = load(package_path, validate=True, archive=archive)  # PackageError: nothing is built
    with suppress(FileNotFoundError):
        key_file.unlink()  # the database is about to change: never pair it with the old key
    database, described = prepare(package, folder, allow_sql)
    if key is not None and key == content_key(descriptor, archive):  # unchanged while it was built
        atomic_write_bytes(key_file, key.encode("ascii"))
    return database, described, False


def _reused(folder: Path, key: str, allow_sql: bool) -> Path | None:
    """The stored metadata (with `allow_sql` as asked) if the database in `folder` was built from `key`."""
    with suppress(OSError, ValueError, KeyError, TypeError):
        if (folder / KEY_FILE).read_text(encoding="ascii") == key and (folder / DATABASE_FILE).is_file():
            described = json.loads((folder / METADATA_FILE).read_text(encoding="utf-8"))
            if described["databases"][DATABASE]["allow_sql"] != allow_sql:
                described["databases"][DATABASE]["allow_sql"] = allow_sql
                _write(folder, described)
            return folder / METADATA_FILE
    return None


def serve(package_path=None, host: str = "127.0.0.1", port: int = 8001, allow_sql: bool = False) -> None:
    """Serve the package with Datasette at http://host:port/nkdigital until the first Ctrl-C (or SIGTERM)."""
    try:
        import uvicorn
        from datasette.app import Datasette
        from datasette.plugins import pm
    except ImportError:
        raise RuntimeError(INSTALL) from None
    from nkdigital.explorer import plugin
    from nkdigital.explorer.limits import SETTINGS

    archive = default_archive(resolve_descriptor(package_path))
    if not archive.is_dir():
        raise OSError(f"source archive not found: {archive}")
    _check_free(host, port)
    database, described, reused = prepared(package_path, cache_dir(), archive, allow_sql)
    plugin.settings["archive"] = archive.resolve()
    if not pm.is_registered(plugin):
        pm.register(plugin, name="nkdigital-explorer")
    explorer = Datasette([], immutables=[str(database)], metadata=json.loads(described.read_text(encoding="utf-8")),
                         template_dir=str(HERE / "templates"), settings=SETTINGS)
    print(f"database: {database} ({'reused: package unchanged' if reused else 'built'})\n"
          f"archived texts: {archive}\narbitrary SQL: {'allowed (--allow-sql)' if allow_sql else 'off'}\n"
          f"explore: http://{host}:{port}/nkdigital", file=sys.stderr)
    # uvicorn stops on the first Ctrl-C, waiting at most SHUTDOWN_SECONDS for open requests, then re-raises it
    with suppress(KeyboardInterrupt):
        uvicorn.run(explorer.app(), host=host, port=port, log_level="warning", lifespan="on",
                    timeout_graceful_shutdown=SHUTDOWN_SECONDS)


def _check_free(host: str, port: int) -> None:
    """Fail with one clear line, before building anything, if the address cannot be listened on."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except (OSError, OverflowError) as error:
        raise OSError(f"cannot serve on {host}:{port}: {getattr(error, 'strerror', None) or error}") from None
