"""Metadata as code: one definition of every field, enum value, unit, colour and package fact.

The descriptor (`datapackage.json`), the data README's dictionary, the checks, the exports' column descriptions
and the charts' labels and colours all read from here. A new unit, enum value or constraint changes one place.
"""
