"""Rebuild datapackage/datapackage.json and the data dictionary from src/nkdigital/metadata.

Run after changing a field, enum, unit or resource; then `nkdigital refresh` records hashes and sizes.
"""

from pathlib import Path

from nkdigital.metadata.build import write

if __name__ == "__main__":
    print(f"wrote {write(Path(__file__).resolve().parents[1] / 'datapackage')} and its data dictionary")
