"""`nkdigital serve`: build the explorer database and metadata in the cache folder, then run Datasette on it."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import sys
from contextlib import closing, suppress
from pathlib import Path

from nkdigital.atomic import atomic_write_bytes
from nkdigital.explorer.database import build, search_columns, table_columns
from nkdigital.explorer.metadata import DATABASE, metadata
from nkdigital.load import Package
from nkdigital.paths import default_archive

INSTALL = "nkdigital serve needs Datasette: pip install 'nkdigital[explorer]'"
MOUNT = "archive"  # URL prefix of the archived texts; the plugin links to it


def cache_dir() -> Path:
    """Where the explorer's files live: $XDG_CACHE_HOME/nkdigital, else ~/.cache/nkdigital."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "nkdigital"


def prepare(package: Package, folder: str | os.PathLike) -> tuple[Path, Path]:
    """Write `nkdigital.sqlite` and its `metadata.json` to `folder` (created if need be: it is the explorer's own
    cache; earlier files are replaced); return both paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    database = build(package, folder / f"{DATABASE}.sqlite")
    with closing(sqlite3.connect(database)) as connection:
        columns = table_columns(connection)
    described = metadata(package.descriptor, columns, search_columns(columns))
    atomic_write_bytes(folder / "metadata.json", json.dumps(described, indent=2, ensure_ascii=False).encode())
    return database, folder / "metadata.json"


def serve(package: Package, host: str = "127.0.0.1", port: int = 8001) -> None:
    """Serve `package` with Datasette at http://host:port/nkdigital until interrupted."""
    try:
        from click.exceptions import Abort
        from datasette.cli import cli
        from datasette.plugins import pm
    except ImportError:
        raise RuntimeError(INSTALL) from None
    from nkdigital.explorer import plugin

    archive = default_archive(package.path)
    if not archive.is_dir():
        raise OSError(f"source archive not found: {archive}")
    _check_free(host, port)
    database, described = prepare(package, cache_dir())
    pm.register(plugin, name="nkdigital-explorer")
    print(f"database: {database} (rebuilt at every start)\narchived texts: {archive}\n"
          f"explore: http://{host}:{port}/{DATABASE}", file=sys.stderr)
    args = ["serve", "--immutable", str(database), "--metadata", str(described), "--static", f"{MOUNT}:{archive}",
            "--host", host, "--port", str(port)]
    with suppress(KeyboardInterrupt, Abort):  # Ctrl-C: uvicorn has already shut down cleanly
        cli.main(args, prog_name="datasette", standalone_mode=False)


def _check_free(host: str, port: int) -> None:
    """Fail with one clear line, before building anything, if the address cannot be listened on."""
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except (OSError, OverflowError) as error:
        raise OSError(f"cannot serve on {host}:{port}: {getattr(error, 'strerror', None) or error}") from None
