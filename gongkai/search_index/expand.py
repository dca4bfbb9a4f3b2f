"""Query expansion, once for every backend: a parsed query becomes clauses of alternatives —
the exact words, synonyms (同義), same-sound words (同音, also from Zhuyin) and one-edit
corrections (容錯) — and two query trees: the exact tier (exact words and synonyms only) and
the full tree. The service ranks every exact-tier hit above every other hit."""

from __future__ import annotations

from dataclasses import dataclass, field

from gongkai.search_index.lexicon import Lexicon
from gongkai.search_index.normalize import fold, is_cjk
from gongkai.search_index.normalize import units as text_units
from gongkai.search_index.parse import Item
from gongkai.search_index.query import CHARS, TITLE, WORDS, AllOf, AnyOf, Node, Phrase, Term, simple
from gongkai.search_index.segment import Segmenter
from gongkai.search_index.sounds import is_zhuyin
from gongkai.search_index.synonyms import Synonyms

TITLE_BOOST = 3.0
WEIGHTS = {"exact": 1.0, "synonym": 0.8, "sound": 0.2, "typo": 0.15}  # exact ×5 over fuzzy (docs/search-design.md §5)
EXACT_KINDS = ("exact", "synonym")
MAX_SPAN = 3  # tokens joined when looking for a mistyped word split by the segmenter


@dataclass
class Alternative:
    text: str  # folded
    kind: str  # exact | synonym | sound | typo


@dataclass
class Clause:
    label: str  # what the user typed for this clause
    alternatives: list[Alternative]
    phrase: bool = False

    def of_kind(self, *kinds: str) -> list[str]:
        return [a.text for a in self.alternatives if a.kind in kinds]


@dataclass
class Expansion:
    lexicon: Lexicon
    clauses: list[Clause] = field(default_factory=list)
    excluded: list[Clause] = field(default_factory=list)

    def tree(self, exact_only: bool = False, any_clause: bool = False) -> Node | None:
        kinds = EXACT_KINDS if exact_only else tuple(WEIGHTS)
        parts = [p for p in (_clause_node(c, kinds, self.lexicon) for c in self.clauses) if p is not None]
        if not parts:
            return None
        excluded = tuple(p for p in (_clause_node(c, EXACT_KINDS, self.lexicon) for c in self.excluded) if p is not None)
        if any_clause and len(parts) > 1:
            return AllOf((AnyOf(tuple(parts)),), excluded)
        return simple(AllOf(tuple(parts), excluded))

    def exclusions_only(self) -> Node:
        """Every document except the excluded ones (a query of only -words, or only filters)."""
        return AllOf((), tuple(p for p in (_clause_node(c, EXACT_KINDS, self.lexicon) for c in self.excluded) if p is not None))

    def also_searched(self) -> dict[str, list[str]]:
        """kind → terms searched besides what was typed (shown to the user)."""
        shown: dict[str, list[str]] = {}
        for clause in self.clauses:
            for alt in clause.alternatives:
                if alt.kind != "exact" and self.spelt(alt.text) not in shown.setdefault(alt.kind, []):
                    shown[alt.kind].append(self.spelt(alt.text))
        return {k: v for k, v in shown.items() if v}

    def spelt(self, term: str) -> str:
        """A folded term as the documents spell it: s2twp turns the text's 驗證登錄 into the
        term 驗證登入, which a reader would not recognise as the word they were offered."""
        spellings = self.lexicon.surfaces.get(term)
        return term if not spellings or term in spellings else spellings[0]

    def highlight_terms(self) -> set[str]:
        return {a.text for c in self.clauses for a in c.alternatives}

    def suggestion(self) -> str | None:
        """The query with each unknown word replaced by its likeliest correction, if any."""
        words, changed = [], False
        for clause in self.clauses:
            exact = clause.of_kind("exact")
            fixes = clause.of_kind("typo", "sound")
            if not clause.phrase and fixes and not all(self.lexicon.known(e) for e in exact):
                words.append(self.spelt(fixes[0]))
                changed = True
            else:
                words.append(clause.label)
        return " ".join(words) if changed else None


def _alternative_nodes(alt: Alternative, lexicon: Lexicon) -> list[Node]:
    weight = WEIGHTS[alt.kind]
    nodes: list[Node] = [Term(WORDS, alt.text, weight), Term(TITLE, alt.text, weight * TITLE_BOOST)]
    units = tuple(text_units(alt.text))
    # A word the index does not hold as a word (a single character, an unknown or longer word)
    # is looked for as a character sequence: an exact substring, whatever the segmenter did.
    # Known words skip it: phrase matching is the costly part of a query (Whoosh ×10).
    if units and (len(units) > 1 or is_cjk(alt.text)) and (len(alt.text) == 1 or not lexicon.known(alt.text)):
        nodes.append(Phrase(CHARS, units, weight * 0.8))
    return nodes


def _clause_node(clause: Clause, kinds: tuple[str, ...], lexicon: Lexicon) -> Node | None:
    if clause.phrase:
        units = tuple(text_units(clause.alternatives[0].text))
        return Phrase(CHARS, units, 1.0) if units else None
    nodes = [n for a in clause.alternatives if a.kind in kinds for n in _alternative_nodes(a, lexicon)]
    return AnyOf(tuple(nodes)) if nodes else None


class Expander:
    def __init__(self, segmenter: Segmenter, lexicon: Lexicon, synonyms: Synonyms, stopwords: set[str]) -> None:
        self.segmenter, self.lexicon, self.synonyms, self.stopwords = segmenter, lexicon, synonyms, stopwords

    def expand(self, items: list[Item], forgiving: bool = True) -> Expansion:
        result = Expansion(self.lexicon)
        for item in _join_zhuyin(items):
            folded = fold(item.text)
            if item.negated:
                result.excluded.append(Clause(item.text, [Alternative(folded, "exact")], phrase=item.phrase))
            elif item.phrase:
                result.clauses.append(Clause(item.text, [Alternative(folded, "exact")], phrase=True))
            elif is_zhuyin(item.text):
                result.clauses.extend(self._zhuyin(item.text))
            else:
                result.clauses.extend(self._words(folded, forgiving))
        content = [c for c in result.clauses if c.label not in self.stopwords]
        if content:
            result.clauses = content
        return result

    def _zhuyin(self, text: str) -> list[Clause]:
        key = self.lexicon.zhuyin_key(text)
        if key is None:
            return [Clause(text, [Alternative(fold(text), "exact")])]
        syllables, clauses, i = key.split(" "), [], 0
        while i < len(syllables):  # longest run of syllables that is an indexed word
            for j in range(min(len(syllables), i + 6), i, -1):
                words = self.lexicon.by_sound(" ".join(syllables[i:j]))
                if words and (j - i > 1 or j == len(syllables) == 1):
                    clauses.append(Clause(text, [Alternative(w, "exact") for w in words[:5]]))
                    i = j
                    break
            else:
                i += 1  # an unknown syllable adds nothing rather than failing the query
        return clauses or [Clause(text, [Alternative(fold(text), "exact")])]

    def _words(self, folded: str, forgiving: bool) -> list[Clause]:
        tokens = self.segmenter.query_words(folded)
        clauses: list[Clause] = []
        i = 0
        while i < len(tokens):
            clause, i = self._synonym_span(tokens, i) or self._span(tokens, i, forgiving)
            clauses.append(clause)
        return clauses

    def _synonym_span(self, tokens: list[str], i: int) -> tuple[Clause, int] | None:
        for j in range(min(len(tokens), i + 4), i, -1):
            joined = "".join(tokens[i:j])
            others = self.synonyms.of(joined)
            if others:
                alts = [Alternative(joined, "exact"), *(Alternative(o, "synonym") for o in others)]
                return Clause(joined, alts), j
        return None

    def _weak(self, token: str) -> bool:
        return not self.lexicon.known(token) or (len(token) == 1 and is_cjk(token))

    def _span(self, tokens: list[str], i: int, forgiving: bool) -> tuple[Clause, int]:
        """The clause starting at token i: a mistyped word the segmenter cut into pieces is
        joined back (減定 → 減/定 → 檢定) before looking for corrections."""
        n = len(tokens)
        if forgiving:
            if self._weak(tokens[i]):
                ends: range | list[int] = range(min(n, i + MAX_SPAN), i + 1, -1)
            else:  # a known word with the pieces that follow it (驗證 登 路 → 驗證登路 → 驗證登錄)
                run = i + 1
                while run < n and run - i < MAX_SPAN and self._weak(tokens[run]):
                    run += 1
                ends = [run] if run >= i + 2 else []
            for j in ends:
                if not all(self._weak(t) for t in tokens[i + 1:j]):
                    continue
                joined = "".join(tokens[i:j])
                if not is_cjk(joined):
                    continue
                if self.lexicon.known(joined):
                    return self._clause(joined, forgiving), j
                fixes = self._fixes(joined)
                if fixes:
                    return Clause(joined, [Alternative(joined, "exact"), *fixes]), j
        return self._clause(tokens[i], forgiving), i + 1

    def _fixes(self, text: str) -> list[Alternative]:
        sounds = [Alternative(w, "sound") for w in self.lexicon.homophones(text)]
        seen = {a.text for a in sounds}
        typos = [Alternative(w, "typo") for w in self.lexicon.corrections(text) if w not in seen]
        return sounds + typos

    def _clause(self, token: str, forgiving: bool) -> Clause:
        alts = [Alternative(token, "exact")]
        alts += [Alternative(o, "synonym") for o in self.synonyms.of(token)]
        if forgiving:
            sounds = self.lexicon.homophones(token)
            alts += [Alternative(w, "sound") for w in sounds[:4]]
            if not self.lexicon.known(token):
                alts += [Alternative(w, "typo") for w in self.lexicon.corrections(token) if w not in sounds]
        return Clause(token, alts)


def _join_zhuyin(items: list[Item]) -> list[Item]:
    """ㄐㄧㄢˇ ㄉㄧㄥˋ arrives as two space-separated items: one Zhuyin run is one query word."""
    joined: list[Item] = []
    for item in items:
        plain = not item.phrase and not item.negated and is_zhuyin(item.text)
        if plain and joined and not joined[-1].phrase and not joined[-1].negated and is_zhuyin(joined[-1].text):
            joined[-1] = Item(joined[-1].text + " " + item.text)
        else:
            joined.append(item)
    return joined
