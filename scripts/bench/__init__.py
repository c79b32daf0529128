"""The benchmark: the site against a bare Material site built from the same pages (`python -m scripts.bench`).

One module per kind of figure; scripts/bench/settings.py holds the budgets.
"""
