"""One package row as `Package.row` returns it: a Series that prints each date at its precision."""

from __future__ import annotations

import pandas as pd

FORMATS = {"year": "%Y", "month": "%Y-%m"}  # any other precision (day, range) or none: the whole date


class Row(pd.Series):
    """A pandas Series whose printout shows `2008` for a year-precision date, `2008-09` for a month and the full
    date otherwise (a range's ends, an access date); the values themselves stay Timestamps."""

    @property
    def _constructor(self):
        return Row

    @classmethod
    def of(cls, series: pd.Series) -> Row:
        """`series` as a Row; each date field's precision (`<field>_precision`, also for `<field>_end`) is kept in
        ``attrs`` so a selection of columns prints the same."""
        row = cls(series)
        fields = [str(f) for f in series.index]
        row.attrs["precisions"] = {field: str(series[f"{base}_precision"]) for field in fields
                                   if f"{(base := field.removesuffix('_end'))}_precision" in fields}
        return row

    def __repr__(self) -> str:
        return repr(self.shown())

    def shown(self) -> pd.Series:
        """A plain copy with every date as text at its precision."""
        shown = pd.Series(self, copy=True, dtype=object)
        precisions = self.attrs.get("precisions", {})
        for field, value in self.items():
            if isinstance(value, pd.Timestamp):
                shown[field] = value.strftime(FORMATS.get(precisions.get(str(field), ""), "%Y-%m-%d"))
        return shown
