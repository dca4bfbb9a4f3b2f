"""The webmaster's monthly audits, with history.

links/          link validity: crawler (politeness, fetch, checks) → findings
content.py      content correctness over the same crawl (update cycles, sources, open formats, orphans)
accessibility/  axe-core, HTML_CodeSniffer and the Taiwanese conventions in headless Chromium
results.py      the one finding shape all three produce
store.py        the one history store (SQLite: runs, and problems first seen / still open / fixed)
reports/        the one report writer (HTML, JSON, CSV, ODS, JUnit)

The crawler knows nothing of gongkai's content model, so the link and accessibility audits work
against any site; only the content audit reads the model.
"""
