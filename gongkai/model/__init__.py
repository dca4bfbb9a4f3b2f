"""The content model: content/ files validated into immutable documents.

Nothing here imports Flask: the site, search index, open data and link checker all
read the same validated ``Corpus`` built by :func:`load_content`.
"""

from gongkai.model.corpus import Corpus
from gongkai.model.documents import Document
from gongkai.model.loader import load_content
from gongkai.model.problems import Problem, Report

__all__ = ["Corpus", "Document", "Problem", "Report", "load_content"]
