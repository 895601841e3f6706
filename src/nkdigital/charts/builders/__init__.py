"""One module per registered chart, named after the chart ('access-tiers' is ``access_tiers.py``), each with a
``build(package, include_weak)`` the registry calls. A builder takes the same steps: select rows, draw marks,
label them, then :func:`nkdigital.charts.house.finish`.

The modules live in this subpackage so that their names do not shadow the chart functions
``nk.charts.rights``, ``nk.charts.timeline`` and so on.
"""
