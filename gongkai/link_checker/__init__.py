"""The webmaster's monthly audits: link validity, content correctness and accessibility, with history.

crawler (politeness, fetch, checks) -> results -> store (SQLite history) -> reports (HTML/JSON/CSV/ODS/JUnit).
The crawler knows nothing of gongkai's content model, so it works against any site; the content
pass (content_pass.py) and the accessibility audit (a11y/) add their findings to the same run shape.
"""
