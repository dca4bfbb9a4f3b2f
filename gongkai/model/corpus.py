"""The validated content, indexed for the site, search, open data and the link checker."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

from gongkai.model.codes import Agency, Code

SCHEMES = {"theme": "themes", "policy": "policies", "service": "services"}


class Corpus:
    """Immutable after construction. Only published documents are visible through it;
    drafts and documents in review stay out of every listing and lookup."""

    def __init__(self, agency: Agency, codes: dict[str, dict[str, Code]], documents: list[Any],
                 root: Path, version: str, digests: dict[str, str] | None = None) -> None:
        self.agency = agency
        self.codes = codes
        self.root = root
        self.files_root = root / "files"
        self.version = version
        self.all_documents = tuple(documents)
        self.documents = tuple(d for d in documents if d.is_published)
        # withdrawn documents answer 410 with their notice; they are in no listing, search or sitemap
        self._withdrawn = {(d.lang, d.id): d for d in documents if d.is_withdrawn}
        self._digests = digests or {}
        self.commit: str | None = None  # the content repository's commit this build was read from
        self.state: Any = None  # what gongkai.model.loader.load_changes reads the next change from
        self._by_key = {(d.lang, d.id): d for d in self.documents}
        self._twins: dict[tuple[str, str], Any] = {}
        for doc in self.documents:
            twin = self._by_key.get((_other(doc.lang), doc.translation)) if doc.translation else None
            if twin is not None:
                self._twins[(doc.lang, doc.id)] = twin
                self._twins.setdefault((twin.lang, twin.id), doc)
        # attachment paths (relative to files/) that published documents offer for download
        self.public_files = frozenset(a.file for d in self.documents for a in attachments(d))
        self._by_kind: dict[tuple[str, str], list[Any]] = defaultdict(list)
        for doc in sorted(self.documents, key=_order):
            self._by_kind[(doc.lang, doc.kind)].append(doc)

    def __len__(self) -> int:
        return len(self.documents)

    def get(self, lang: str, doc_id: str, kind: str | None = None) -> Any | None:
        doc = self._by_key.get((lang, doc_id))
        return doc if doc is not None and (kind is None or doc.kind == kind) else None

    def withdrawn(self, lang: str, doc_id: str, kind: str | None = None) -> Any | None:
        """The withdrawn document of this language and id (its page answers 410 Gone)."""
        doc = self._withdrawn.get((lang, doc_id))
        return doc if doc is not None and (kind is None or doc.kind == kind) else None

    def digest(self, doc: Any) -> str:
        """A fingerprint of what the document was read from (file and attachments): the search
        index compares it to find which documents a change touched."""
        return self._digests.get(doc.path, "")

    def twin(self, doc: Any) -> Any | None:
        """The same document in the other language, if there is one."""
        return self._twins.get((doc.lang, doc.id))

    def of_kind(self, lang: str, kind: str) -> list[Any]:
        return self._by_kind.get((lang, kind), [])

    def in_language(self, lang: str) -> list[Any]:
        return [d for d in self.documents if d.lang == lang]

    def classified(self, lang: str, scheme: str, code: str) -> list[Any]:
        """Documents of a language filed under a 主題/施政/服務 code."""
        return sorted((d for d in self.documents if d.lang == lang and code in getattr(d, scheme)), key=_order)

    def counts(self, lang: str, scheme: str) -> dict[str, int]:
        """How many documents each code of a scheme holds, for the browse pages."""
        result = {code: 0 for code in self.codes[SCHEMES[scheme]]}
        for doc in self.in_language(lang):
            for code in getattr(doc, scheme):
                result[code] = result.get(code, 0) + 1
        return result

    def disclosure_items(self, lang: str, category: str) -> list[Any]:
        return [d for d in self.documents if d.lang == lang and getattr(d, "category", None) == category]

    def by_unit(self, lang: str, unit: str, kind: str | None = None) -> list[Any]:
        return [d for d in self.in_language(lang) if d.unit == unit and (kind is None or d.kind == kind)]

    def code(self, listname: str, code: str) -> Code | None:
        return self.codes[listname].get(code)

    def forms_of(self, procedure: Any) -> list[Any]:
        return [f for f in (self.get(procedure.lang, i, "form") for i in procedure.forms) if f]

    def procedures_using(self, form: Any) -> list[Any]:
        """Every procedure that lists the form, its own ``procedure`` first."""
        primary = self.get(form.lang, form.procedure, "procedure") if form.procedure else None
        others = [p for p in self.of_kind(form.lang, "procedure") if form.id in p.forms and p is not primary]
        return ([primary] if primary else []) + others


def attachments(doc: Any) -> list[Any]:
    """A document's downloadable files: attachments, then the filling example."""
    fields = field_values(doc)
    found = list(fields.get("attachments", ()))
    if fields.get("example") is not None:
        found.append(fields["example"])
    return found


def field_values(doc: Any) -> dict[str, Any]:
    """A document's fields by name. For the loops over every document of a change (50,000 at a
    time): asking a pydantic model for a field its kind lacks, as getattr(doc, name, default)
    does, raises and catches an AttributeError inside pydantic, ≈10× slower than this lookup."""
    return doc.__dict__


def file_size(corpus: Corpus, attachment: Any) -> int:
    return (corpus.files_root / attachment.file).stat().st_size


def _other(lang: str) -> str:
    return "en" if lang == "zh-Hant-TW" else "zh-Hant-TW"


def _order(doc: Any) -> tuple:
    # news and statistics newest first; everything else in a stable title order
    if doc.kind in ("news", "statistics"):
        return (-doc.published.toordinal(), doc.title)
    return (0, doc.title)
