"""Search backends behind one interface (base.py). tantivy is the default; Whoosh is the second."""

from __future__ import annotations

from gongkai.search_index.backends.base import Backend, IndexReader, IndexUpdater, IndexWriter

BACKENDS = ("tantivy", "whoosh")


def get_backend(name: str) -> Backend:
    """The backend called ``name``; a clear error for any other name."""
    if name == "tantivy":
        from gongkai.search_index.backends.tantivy_backend import TantivyBackend

        return TantivyBackend()
    if name == "whoosh":
        from gongkai.search_index.backends.whoosh_backend import WhooshBackend

        return WhooshBackend()
    raise ValueError(f"SEARCH_BACKEND={name!r} is not a search backend — use one of: {', '.join(BACKENDS)}")


__all__ = ["BACKENDS", "Backend", "IndexReader", "IndexUpdater", "IndexWriter", "get_backend"]
