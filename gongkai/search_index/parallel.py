"""Analysis for a build, in this process or fanned out to forked worker processes.

Each worker analyses every W-th chunk of documents, sends each chunk prepared for the backend,
and keeps its own vocabulary (document frequencies, spellings, sound keys), which it sends once,
at the end: counting words in the parent as chunks arrived cost the parent — which also feeds
the index — more CPU than the merge of W vocabularies. The parent puts the chunks back in
document order, so the index (and ties in ranking) does not depend on timing.

The workers are forked so they share the loaded dictionary (copy-on-write) instead of loading
it again; fork only from a command, never inside a threaded server.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import queue
import signal
import traceback
from collections.abc import Callable, Iterator
from typing import Any

from gongkai.search_index.analysis import Analyzer, Vocabulary

PARALLEL_FROM = 500  # below this, starting worker processes costs more than it saves
CHUNK = 32  # documents per message between processes
POLL_SECONDS = 2.0  # how often a waiting parent checks that its workers are still alive

Analyse = Callable[[Analyzer, Any], dict]
Prepare = Callable[[dict], dict]
_JOB: tuple[list[Any], Analyse, Analyzer, Prepare] | None = None  # inherited by forked workers


class AnalysisFailed(RuntimeError):
    """A worker raised or died; the message names which and why."""


class Analysis:
    """``chunks()`` yields the documents prepared for the backend, in order; afterwards
    ``vocabulary`` holds the whole collection's. Use as a context manager: the workers start on
    entry (before the caller starts any thread of its own) and are stopped on exit."""

    def __init__(self, documents: list[Any], analyse: Analyse, analyzer: Analyzer, prepare: Prepare,
                 workers: int = 1, parallel_from: int = PARALLEL_FROM) -> None:
        self.job = (documents, analyse, analyzer, prepare)
        self.vocabulary = Vocabulary()
        forkable = "fork" in multiprocessing.get_all_start_methods()
        self.workers = workers if workers > 1 and len(documents) >= parallel_from and forkable else 1
        self.processes: list[multiprocessing.process.BaseProcess] = []
        self.messages: Any = None

    def __enter__(self) -> Analysis:
        global _JOB
        if self.workers > 1:
            context = multiprocessing.get_context("fork")
            self.messages = context.Queue(maxsize=4 * self.workers)
            _JOB = self.job
            # Objects that exist now are never collected in the workers: a collection there would
            # touch (and so copy) every page they inherited, and cost a fifth of their time
            gc.collect()
            gc.freeze()
            try:
                self.processes = [context.Process(target=_work, args=(n, self.workers, self.messages), daemon=True,
                                                  name=f"gongkai-analysis-{n}") for n in range(self.workers)]
                for process in self.processes:
                    process.start()
            finally:
                gc.unfreeze()
                _JOB = None
        return self

    def __exit__(self, *exc: object) -> None:
        for process in self.processes:
            if process.is_alive():
                process.terminate()
            process.join()
        if self.messages is not None:
            self.messages.close()

    def chunks(self) -> Iterator[list[tuple[dict, str, list[str]]]]:
        documents = self.job[0]
        if self.workers == 1:
            for start in range(0, len(documents), CHUNK):
                yield _chunk(self.job, start, self.vocabulary)
            return
        waiting: dict[int, list[tuple[dict, str, list[str]]]] = {}  # chunks that arrived before the ones in front of them
        following, finished = 0, 0
        while finished < self.workers:
            message = self._receive()
            if message[0] == "chunk":
                waiting[message[1]] = message[2]
                while following in waiting:
                    yield waiting.pop(following)
                    following += CHUNK
            else:  # a worker's last message: its vocabulary
                self.vocabulary.merge(message[1])
                finished += 1
        if waiting or following < len(documents):
            raise AnalysisFailed(f"analysis ended with documents missing from {following} (of {len(documents)})")

    def _receive(self) -> tuple:
        while True:
            try:
                message = self.messages.get(timeout=POLL_SECONDS)
            except queue.Empty:
                dead = [p for p in self.processes if p.exitcode not in (None, 0)]
                if dead:
                    raise AnalysisFailed(f"analysis worker {dead[0].name} died (exit code {dead[0].exitcode}); "
                                         "was it killed for memory? Try fewer workers.") from None
                continue
            if message[0] == "error":
                raise AnalysisFailed(f"analysis worker {message[1]} failed:\n{message[2]}")
            return message


def _chunk(job: tuple[list[Any], Analyse, Analyzer, Prepare], start: int, vocabulary: Vocabulary) -> list[tuple[dict, str, list[str]]]:
    """The chunk of documents from ``start``, analysed into ``vocabulary``: (prepared for the
    backend, key, distinct words) each — the words are kept so that an incremental update can
    take a document's words out of the lexicon again (gongkai.search_index.update)."""
    documents, analyse, analyzer, prepare = job
    analysed = [analyse(analyzer, doc) for doc in documents[start:start + CHUNK]]
    vocabulary.add(analysed, analyzer.segmenter.in_dictionary)
    return [(prepare(doc), doc["key"], doc["distinct"]) for doc in analysed]


def _work(number: int, workers: int, messages: Any) -> None:
    """A worker: every ``workers``-th chunk from chunk ``number``, then its vocabulary."""
    # The parent stops a worker with SIGTERM; a handler inherited from the parent (which may catch
    # it to clean up) must not keep a worker alive, blocked on a queue no one reads any more.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    vocabulary = Vocabulary()
    try:
        for start in range(number * CHUNK, len(_JOB[0]), workers * CHUNK):
            messages.put(("chunk", start, _chunk(_JOB, start, vocabulary)))
        messages.put(("vocabulary", vocabulary))
    except BaseException:  # the parent raises it with the worker's own traceback
        messages.put(("error", f"{number} (pid {os.getpid()})", traceback.format_exc()))
        raise


def build_workers() -> int:
    """Analysis processes for a command-line build: one per core."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
