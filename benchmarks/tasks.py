"""The in-process halves of the benchmark pairs, each run as `python benchmarks/tasks.py TASK ARG ...`.

    load DESCRIPTOR          prints the seconds `nk.load(DESCRIPTOR)` takes (after `import nkdigital`)
    read_csv FOLDER          prints the seconds `pandas.read_csv` takes over the same CSV files
    frictionless ARG ...     the `frictionless` command, with the start-up skip `nkdigital` has: jsonschema's
                             optional `rfc3987_syntax` marked absent, as `nkdigital.cli.command` does
    export FORMAT OUT FOLDER the plain pandas (or DuckDB-from-DataFrame) writer of every CSV file in FOLDER
    kernels N                N bare Jupyter kernel starts and shutdowns

Imports happen inside each task, so that each process pays only for what its task uses.
"""

from __future__ import annotations

import sys
from pathlib import Path


def load(descriptor: str) -> None:
    import time

    import nkdigital as nk

    load = nk.load  # `import nkdigital` is lazy: this imports pandas, as the peer does before its timer
    start = time.perf_counter()
    load(descriptor)
    print(time.perf_counter() - start)


def read_csv(folder: str) -> None:
    import time

    import pandas as pd

    start = time.perf_counter()
    [pd.read_csv(file) for file in sorted(Path(folder).glob("*.csv"))]
    print(time.perf_counter() - start)


def frictionless(*args: str) -> None:
    sys.modules.setdefault("rfc3987_syntax", None)
    from frictionless.__main__ import console

    sys.argv = ["frictionless", *args]
    sys.exit(console())


def export(fmt: str, out: str, folder: str) -> None:
    import pandas as pd

    frames = {file.stem: pd.read_csv(file) for file in sorted(Path(folder).glob("*.csv"))}
    target = Path(out)
    if fmt == "sqlite":
        import sqlite3

        with sqlite3.connect(target) as connection:
            for name, frame in frames.items():
                frame.to_sql(name, connection, index=False)
        connection.close()
    elif fmt == "duckdb":
        import duckdb

        with duckdb.connect(str(target)) as connection:
            for name, frame in frames.items():
                connection.register("frame", frame)
                connection.execute(f'CREATE TABLE "{name}" AS SELECT * FROM frame')
                connection.unregister("frame")
    elif fmt == "xlsx":
        with pd.ExcelWriter(target) as writer:
            for name, frame in frames.items():
                frame.to_excel(writer, sheet_name=name, index=False)
    elif fmt == "parquet":
        target.mkdir()
        for name, frame in frames.items():
            frame.to_parquet(target / f"{name}.parquet", index=False)
    else:
        sys.exit(f"unknown format {fmt}")


def kernels(count: str) -> None:
    from jupyter_client.manager import start_new_kernel

    for _ in range(int(count)):
        manager, client = start_new_kernel(kernel_name="python3")
        client.stop_channels()
        manager.shutdown_kernel(now=True)


TASKS = {"load": load, "read_csv": read_csv, "frictionless": frictionless, "export": export, "kernels": kernels}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in TASKS:
        sys.exit(__doc__)
    TASKS[sys.argv[1]](*sys.argv[2:])
