"""Open data: frictionless data packages, the personal-data gate, a SQLite row store, the
JSON/CSV API, CSV/ODS/JSON exports, catalog metadata (data.gov.tw fields, DCAT-AP 3) and the
data pages of the site.

Data flows one way: content/datasets/<id>/datapackage.json + CSV → validation and the gate →
the store and the exports → the API and the pages. A dataset that fails the gate never reaches
the store, so nothing downstream can serve it.
"""
