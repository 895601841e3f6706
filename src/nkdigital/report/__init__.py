"""The offline report: the notebooks rendered by nbconvert with our template, every chart, an index page.

Needs the `notebooks` extra (nbconvert, nbclient). `nkdigital report OUT` is the command line for it.
"""

from nkdigital.report.notebooks import execute, execute_all, notebook_paths
from nkdigital.report.site import build_site

__all__ = ["build_site", "execute", "execute_all", "notebook_paths"]
