"""The data API: :class:`~nkdigital.api.package.Package` (`nk.load`), its filters, questions and conflicts, row
views, and `refresh`. Imports only lower layers; charts, exports, report, explorer and the CLI build on it."""
