"""`nkdigital serve`: build the explorer database (or reuse it while nothing changed), then run Datasette on it."""

from __future__ import annotations

import hashlib
import json
import os
import socket
import sqlite3
import stat
import sys
from contextlib import closing, suppress
from pathlib import Path

from nkdigital.core.atomic import atomic_write_bytes
from nkdigital.core.paths import default_archive, resolve_descriptor

INSTALL = "nkdigital serve needs Datasette: pip install 'nkdigital[explorer]'"
DATABASE_FILE = "nkdigital.sqlite"
KEY_FILE = "nkdigital.key"  # content hash the database was built from
HERE = Path(__file__).resolve().parent
CODE = HERE.parent  # the library's code: a new version rebuilds
SHUTDOWN_SECONDS = 2


def cache_dir() -> Path:
    """Where the explorer's files live: $XDG_CACHE_HOME/nkdigital, else ~/.cache/nkdigital."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "nkdigital"


def content_key(descriptor: Path, archive: Path) -> str:
    """SHA-256 over the library's code, the descriptor, its resource files and every entry of the archive (the
    bytes of regular files, the kind of anything else, so that a symlink or FIFO added later is validated too)."""
    digest = hashlib.sha256()
    code = [*CODE.rglob("*.py"), *HERE.glob("*.css"), *HERE.glob("templates/*.html")]
    for path in sorted(code):
        _add(digest, f"code:{path.relative_to(CODE)}", path)
    _add(digest, "descriptor", descriptor)
    with suppress(OSError, ValueError, AttributeError, TypeError):
        for resource in json.loads(descriptor.read_text(encoding="utf-8")).get("resources", []):
            _add(digest, f"resource:{resource.get('path')}", descriptor.parent / str(resource.get("path")))
    for path in sorted(archive.rglob("*")):  # a symlink or FIFO added to the archive changes the key too
        _add(digest, f"archive:{path.relative_to(archive)}", path)
    return digest.hexdigest()


def _add(digest, label: str, path: Path) -> None:
    """The label and the kind of entry (file, folder, symlink, other, absent), then a regular file's bytes."""
    try:
        mode = path.lstat().st_mode
    except OSError:
        mode = None
    regular = mode is not None and stat.S_ISREG(mode)
    kind = "absent" if mode is None else "file" if regular else "folder" if stat.S_ISDIR(mode) else (
        "symlink" if stat.S_ISLNK(mode) else "other")
    digest.update(f"{label}\0{kind}\0".encode())
    if regular:
        with path.open("rb") as file:
            for chunk in iter(lambda: file.read(1 << 20), b""):
                digest.update(chunk)
        digest.update(b"\0")


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
    from nkdigital.explorer.metadata import DATABASE, metadata

    with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as connection:
        columns = table_columns(connection)
    described = metadata(descriptor, columns, search_columns(columns))
    described["databases"][DATABASE]["allow_sql"] = allow_sql
    atomic_write_bytes(folder / "metadata.json", json.dumps(described, indent=2, ensure_ascii=False).encode())
    return folder / "metadata.json"


def prepared(package_path, folder: Path, archive: Path, allow_sql: bool) -> tuple[Path, Path, bool]:
    """The database and metadata for the package at `package_path`: reused while its content key is unchanged
    (the same code, package and archive validated and built before), else validated, loaded and rebuilt.
    Returns (database, metadata, reused)."""
    from nkdigital.api.package import load

    descriptor = resolve_descriptor(package_path)
    key = content_key(descriptor, archive)
    database, key_file = folder / DATABASE_FILE, folder / KEY_FILE
    with suppress(OSError):
        if key_file.read_text(encoding="ascii") == key and database.is_file():
            descriptor_json = json.loads(descriptor.read_text(encoding="utf-8"))
            return database, describe(descriptor_json, database, folder, allow_sql), True
    package = load(package_path, validate=True, archive=archive)  # PackageError: nothing is built
    with suppress(FileNotFoundError):
        key_file.unlink()  # the database is about to change: never pair it with the old key
    database, described = prepare(package, folder, allow_sql)
    atomic_write_bytes(key_file, key.encode("ascii"))
    return database, described, False


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
