"""The `nkdigital` command line: validate, refresh, export, charts, chart, report, cite, info, serve."""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Sequence

from nkdigital.citation.styles import DEFAULT, STYLES
from nkdigital.core.errors import PackageError, for_terminal
from nkdigital.export.formats import CHART_FILE_FORMATS, CHART_FORMATS, TABLE_FORMATS, unknown

PACKAGE_HELP = "datapackage.json or its folder (default: bundled)"
ARCHIVE_HELP = "source archive for quote checks (default: archive/ beside the package folder)"


def _parser() -> argparse.ArgumentParser:
    from nkdigital.core.version import VERSION

    parser = argparse.ArgumentParser(prog="nkdigital", description=__doc__)
    parser.add_argument("--version", action="version", version=f"nkdigital {VERSION}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for add in (_add_package_commands, _add_chart_commands, _add_reader_commands):
        add(commands)
    return parser


def _add_package_commands(commands) -> None:
    """validate, refresh and export: commands about the package itself."""
    validate = commands.add_parser("validate", help="check schema, keys, hashes, quotes and logic",
                                   description="Validate the bundled package or any copy of it.")
    validate.add_argument("package", nargs="?", help=PACKAGE_HELP)
    validate.add_argument("--archive", help=ARCHIVE_HELP)

    refresh = commands.add_parser("refresh", help="sort rows and record hashes after an edit",
                                  description="Sort rows and record resource hashes and sizes;"
                                  " refuses while the data is invalid.")
    refresh.add_argument("package", nargs="?", help=PACKAGE_HELP)
    refresh.add_argument("--archive", help=ARCHIVE_HELP)

    export = commands.add_parser("export", help=f"write the package as {_either(TABLE_FORMATS)}",
                                 description="Validate the package, then export every resource: "
                                 + "; ".join(f"{name}: {what}" for name, what in TABLE_FORMATS.items()) + ".")
    export.add_argument("format", choices=list(TABLE_FORMATS))
    export.add_argument("out", help="output file (a new folder for csv and parquet); its folder must exist")
    _package_options(export)


def _add_chart_commands(commands) -> None:
    """charts, chart and report: commands that draw."""
    charts = commands.add_parser("charts", help=f"write every chart as {', '.join(CHART_FORMATS)} (one or more)",
                                 description="Write every house chart; PNG, SVG and PDF need a Chromium browser.")
    charts.add_argument("out", help="output folder")
    charts.add_argument("--format", default="html",
                        help=f"comma-separated: {','.join(CHART_FORMATS)} (default: html)")
    _package_options(charts)

    chart = commands.add_parser("chart", help="write one chart; the suffix of OUT picks the format",
                                description="Write one chart; OUT's suffix picks the format: "
                                f"{_either(['.' + f for f in CHART_FILE_FORMATS])} (PNG at scale 2, HTML"
                                " self-contained, CSV the rows drawn with outlet, URL, quote and terms).")
    chart.add_argument("name", nargs="?", help="chart name (see --list)")
    chart.add_argument("out", nargs="?", help="output file: its suffix picks the format")
    chart.add_argument("--list", action="store_true", help="list the chart names and exit")
    chart.add_argument("--width", type=int, help="image width in px (png, svg, pdf)")
    chart.add_argument("--height", type=int, help="image height in px (png, svg, pdf)")
    chart.add_argument("--include-weak", action="store_true", help="also draw rows from weak sources, marked")
    _package_options(chart)

    report = commands.add_parser("report", help="build the offline report: notebooks, charts, index",
                                 description="Build the report as a static site (needs the notebooks extra and,"
                                 " for PNG and SVG, a Chromium browser).")
    report.add_argument("out", nargs="?",
                        help="output folder (e.g. site): new, empty or an earlier report, which is replaced whole")
    report.add_argument("--notebooks", help="folder of numbered notebooks (default: the bundled ones)")
    report.add_argument("--base-url", default="", help="URL the site is served from, for the embed snippets")
    report.add_argument("--execute", action="store_true", help="re-execute every notebook in place first")
    report.add_argument("--execute-only", action="store_true", help="only re-execute the notebooks")


def _add_reader_commands(commands) -> None:
    """cite, info and serve: commands for reading what the package says."""
    cite = commands.add_parser("cite", help="print the citation of a source or row (or of the package)",
                               description="Cite sources by id, the sources behind rows (obs-, evt-, att-,"
                               " dev-, tier-, ctl-, rgt- id), or the package with no id.")
    cite.add_argument("source_id", nargs="*", metavar="ID", help="source ids or row ids (none: the package)")
    cite.add_argument("--style", choices=list(STYLES), default=DEFAULT,
                      help="; ".join(f"{name}: {what}" for name, what in STYLES.items()))

    info = commands.add_parser("info", help="show version, resources and row counts",
                               description="Show the package version, resources and row counts.")
    _package_options(info)

    serve = commands.add_parser("serve", help="explore the package in Datasette (pip install 'nkdigital[explorer]')",
                                description="Build nkdigital.sqlite (search, facets, canned queries) in"
                                " $XDG_CACHE_HOME/nkdigital (default ~/.cache/nkdigital) and serve it with Datasette,"
                                " each source linked to its archived text.")
    serve.add_argument("--port", type=int, default=8001, help="port to listen on (default: 8001)")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--package", help=PACKAGE_HELP)
    serve.add_argument("--allow-sql", action="store_true",
                       help="allow arbitrary read-only SQL (time, row and size limits apply; default: off)")


def _package_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--package", help=PACKAGE_HELP)
    command.add_argument("--archive", help=ARCHIVE_HELP)


def _validated(args: argparse.Namespace):
    """The package `--package` names (default: bundled), validated against `--archive`."""
    from nkdigital.api.package import load
    from nkdigital.core.memory import lean_pool

    lean_pool()
    return load(args.package, validate=True, archive=args.archive)


def _either(names) -> str:
    """`a, b or c`."""
    names = list(names)
    return ", ".join(names[:-1]) + f" or {names[-1]}" if len(names) > 1 else names[0]


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except PackageError as error:
        _say(f"error: {error}", sys.stderr)
        return 1
    except OSError as error:  # a file that cannot be written or read: a failure, not a usage error
        _say(f"error: {error}", sys.stderr)
        return 1
    except (ValueError, KeyError, RuntimeError) as error:
        message = error.args[0] if isinstance(error, KeyError) and error.args else error
        _say(f"error: {message}", sys.stderr)
        return 2


def _say(text: str, stream=None) -> None:
    """Print text that may come from the data: never a control sequence to the terminal."""
    print(for_terminal(text), file=stream or sys.stdout)


def _validate(args: argparse.Namespace) -> int:
    from nkdigital.core.memory import freed_memory_returned

    with freed_memory_returned():
        from nkdigital.checking.validation import validate

        report = validate(args.package, args.archive)
    for note in report.notes:
        print(f"note: {note}", file=sys.stderr)
    if report.problems:
        count = len(report.problems)
        print(f"invalid: {count} problem{'s' if count != 1 else ''}", file=sys.stderr)
        for problem in report.problems:
            _say(f"  - {problem}", sys.stderr)
        return 1
    rows = sum(table.num_rows for table in report.tables.values())
    print(f"valid: {len(report.tables)} resources, {rows} rows")
    return 0


def _refresh(args: argparse.Namespace) -> int:
    from nkdigital.api.refresh import refresh

    changed = refresh(args.package, args.archive)
    print("refreshed: " + (", ".join(sorted(changed)) if changed else "nothing changed"))
    return 0


def _export(args: argparse.Namespace) -> int:
    from nkdigital import export

    package = _validated(args)
    written = export.export(package, args.format, args.out, progress=True)
    print(f"wrote {written}")
    return 0


def _charts(args: argparse.Namespace) -> int:
    from nkdigital import export

    formats = [f.strip() for f in args.format.split(",") if f.strip()]
    wrong = sorted(set(formats) - set(CHART_FORMATS))
    if wrong:
        raise unknown("chart", wrong[0], CHART_FORMATS)
    package = _validated(args)
    paths = export.write_charts(package, args.out, formats, progress=True)
    print(f"wrote {len(paths)} files to {args.out}")
    return 0


def _report(args: argparse.Namespace) -> int:
    from nkdigital import report
    from nkdigital.api.package import load

    if args.out is None and not args.execute_only:
        raise ValueError("give an output folder, e.g. nkdigital report site")
    package = load(validate=True)  # the notebooks draw from the bundled package: nothing runs on invalid data
    if args.execute or args.execute_only:
        for path, changed in report.execute_all(args.notebooks):
            print(f"{'updated' if changed else 'unchanged'}: {path.name}")
    if not args.execute_only:
        images = _browser_note("the report's charts are HTML only, without PNG, SVG and PDF")
        print(f"built {report.build_site(args.out, args.notebooks, args.base_url, package, images=images)}")
        if not args.base_url:
            from nkdigital.report.chart_page import NO_BASE_URL

            print(f"note: no embed snippets. {NO_BASE_URL}", file=sys.stderr)
    return 0


def _browser_note(without: str) -> bool:
    """True if a Chromium is found; otherwise say on stderr what is left out and how to get one."""
    from nkdigital.export import find_browser

    try:
        find_browser()
    except RuntimeError as missing:
        print(f"note: {without}: {missing}", file=sys.stderr)
        return False
    return True


def _chart(args: argparse.Namespace) -> int:
    from nkdigital.charts.registry import CHARTS, chart
    from nkdigital.export.chart_file import format_of, write_chart

    if args.list:
        for name, entry in CHARTS.items():
            print(f"{name:<24} {entry.view:<9} {entry.summary}")
        return 0
    if not args.name or not args.out:
        raise ValueError("give a chart NAME and an OUT file (or --list for the names)")
    if args.name not in CHARTS:
        raise ValueError(f"unknown chart {args.name!r}; choose from {', '.join(CHARTS)}")
    format_of(args.out)  # refuse a bad suffix before building anything
    package = _validated(args)
    written = write_chart(chart(args.name, package, args.include_weak), args.out, package, args.width, args.height)
    print(f"wrote {written}")
    return 0


def _cite(args: argparse.Namespace) -> int:
    from nkdigital.api.package import cite

    _say(cite(args.source_id or None, style=args.style))
    return 0


def _info(args: argparse.Namespace) -> int:

    package = _validated(args)
    _say(f"{package.descriptor.get('title', 'nkdigital')} — version {package.version}")
    _say(f"descriptor: {package.path}")
    for name in package.resource_names:
        print(f"  {name:<18} {len(package.resource(name)):>5} rows")
    return 0


def _serve(args: argparse.Namespace) -> int:
    from nkdigital.explorer import serve

    serve(args.package, args.host, args.port, allow_sql=args.allow_sql)  # validates when it builds its database
    return 0


COMMANDS = {"validate": _validate, "refresh": _refresh, "export": _export, "charts": _charts, "chart": _chart,
            "report": _report, "cite": _cite, "info": _info, "serve": _serve}


def command() -> None:
    """The `nkdigital` command: :func:`main` in a process of its own.

    Only here, where the whole process is the command, jsonschema's optional `rfc3987_syntax` plugin is marked
    absent before anything imports jsonschema (nbformat does; frictionless did, in every validation before issue 25):
    compiling its IRI grammar cost 1-5 s, and nothing the command checks is IRI syntax. Also only here, SIGTERM
    exits cleanly (see :func:`_terminated`). Calling :func:`main` or the library leaves `sys.modules` and the
    signal handlers alone.
    """
    sys.modules.setdefault("rfc3987_syntax", None)
    signal.signal(signal.SIGTERM, _terminated)
    try:
        sys.exit(main())
    except KeyboardInterrupt:  # Ctrl-C: the temporary files are gone (as on SIGTERM); no traceback
        sys.exit(128 + signal.SIGINT)


def _terminated(signum: int, frame) -> None:
    """SIGTERM (`kill`, `timeout`) ends the command as an exit does, so every temporary file and folder beside its
    output is removed on the way out, as on an error, instead of being left behind."""
    raise SystemExit(128 + signum)


if __name__ == "__main__":
    command()
