"""What gongkai reads of Whoosh's private internals, in one place: its on-disk posting blocks
(``W3LeafMatcher``'s block reads, ≈1 µs a posting faster than its per-posting methods), its
encoding of positions, and the index's files — all of whoosh-reloaded 2.7.5, pinned in
pyproject.toml. A Whoosh upgrade is checked here, and by tests/search/test_whoosh_evaluator.py,
which compares this code's answers with Whoosh's own.

Whoosh keeps its table of contents and position lists as pickles, so an index is opened only from
a folder that no one but the site's own user may write (``open_private_index``): a pickle from
anyone else could run code in the serving process.
"""

from __future__ import annotations

import os
import pickle
import stat
from array import array
from bisect import bisect_left
from collections.abc import Callable, Sequence
from itertools import accumulate
from pathlib import Path
from typing import Any

from whoosh import formats
from whoosh.codec.whoosh3 import W3LeafMatcher
from whoosh.filedb.filestore import FileStorage
from whoosh.system import _INT_SIZE


class UnsafeIndexFolder(RuntimeError):
    """The index folder (or a file in it) could be written by someone other than the site."""


def open_private_index(path: Path | str) -> Any:
    """Open the Whoosh index in ``path``, after checking that only this process's user may write
    the folder, the folder holding it (which could swap it) and its files. Not memory-mapped: Whoosh copies each mapped part of a compound
    segment into a BytesIO (≈160 MB of copies at 10k documents, plus the mapped pages)."""
    path = Path(path)
    for item in (path.parent, path, *path.iterdir()):
        info = item.lstat()
        if stat.S_ISLNK(info.st_mode) or info.st_uid != os.geteuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            raise UnsafeIndexFolder(f"{item}: the Whoosh index must belong to the site's user and be writable by it alone "
                                    f"(Whoosh loads pickles from it) — rebuild it with 'gongkai index' as that user, "
                                    f"or remove group/other write permission (chmod go-w)")
    return FileStorage(str(path), supports_mmap=False, readonly=True).open_index()


def bits_of(docnums: Sequence[int], size: int) -> int:
    buffer = bytearray((size + 7) // 8)
    for d in docnums:
        buffer[d >> 3] |= 1 << (d & 7)
    return int.from_bytes(buffer, "little")


def members(bits: int) -> list[int]:
    """The document numbers in ``bits``, ascending."""
    digits = bin(bits)[:1:-1]  # bit 0 first
    out, find = [], digits.find
    i = find("1")
    while i >= 0:
        out.append(i)
        i = find("1", i + 1)
    return out


class Postings:
    """One term of one field: ascending global document numbers, their unboosted scores (arrays:
    12 bytes a posting), the same documents as a bitset."""

    __slots__ = ("bits", "ids", "scores")

    def __init__(self, ids: Sequence[int], scores: Sequence[float], bits: int) -> None:
        self.ids, self.scores, self.bits = array("i", ids), array("d", scores), bits

    def score_of(self, docnum: int) -> float:
        return self.scores[bisect_left(self.ids, docnum)]

    def size(self) -> int:
        """Bytes held, roughly (what the cache counts)."""
        return held_bytes((self.ids, self.scores)) + self.bits.bit_length() // 8 + 200


NO_POSTINGS = Postings([], [], 0)


def held_bytes(arrays: tuple[array, ...]) -> int:
    return sum(a.itemsize * len(a) for a in arrays) + 64 * len(arrays)


def read_postings(matcher: Any, with_values: bool = False) -> tuple[list[int], list[float], list[Any]]:
    """(local docnums, weights, values) of a posting list. Whoosh's on-disk matcher is read a
    block at a time (its per-posting methods cost ~1 µs each); any other matcher (inlined or
    deletion-filtered postings) through the public interface."""
    ids: list[int] = []
    weights: list[float] = []
    values: list[Any] = []
    if type(matcher) is W3LeafMatcher:
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            ids.extend(matcher._ids)
            weights.extend(matcher._weights)
            if with_values:
                matcher._read_values()
                values.extend(matcher._values)
            matcher._next_block()
        return ids, weights, values
    while matcher.is_active():
        ids.append(matcher.id())
        weights.append(matcher.weight())
        if with_values:
            values.append(matcher.value())
        matcher.next()
    return ids, weights, values


def decode_positions(value: bytes) -> list[int]:
    """whoosh.formats.Positions.decode_positions, without its Python loop: a count, then the
    pickled gaps between positions (Whoosh's own index file, written by WhooshWriter)."""
    if not value.endswith(b"."):
        value += b"."
    return list(accumulate(pickle.loads(value[_INT_SIZE:])))  # noqa: S301 - Whoosh's own encoding of our index


def position_decoder(field: Any) -> Callable[[bytes], list[int]]:
    return decode_positions if type(field.format) is formats.Positions else field.format.decode_positions


def values_for(matcher: Any, wanted: list[int]) -> dict[int, Any]:
    """local docnum → posting value, for the ascending docnums ``wanted`` that the posting list
    holds; blocks holding none of them are skipped unread."""
    found: dict[int, Any] = {}
    j, n = 0, len(wanted)
    if type(matcher) is W3LeafMatcher:
        while j < n and matcher.is_active():
            top = matcher.block_max_id()
            if wanted[j] <= top:
                matcher._read_ids()
                ids = matcher._ids
                values = None
                k = 0
                while j < n and wanted[j] <= top:
                    k = bisect_left(ids, wanted[j], k)
                    if k < len(ids) and ids[k] == wanted[j]:
                        if values is None:
                            matcher._read_values()
                            values = matcher._values
                        found[wanted[j]] = values[k]
                    j += 1
            matcher._next_block()
        return found
    while j < n and matcher.is_active():
        matcher.skip_to(wanted[j])
        if not matcher.is_active():
            break
        docnum = matcher.id()
        if docnum == wanted[j]:
            found[docnum] = matcher.value()
        j = bisect_left(wanted, docnum + 1 if docnum == wanted[j] else docnum, j)
    return found
