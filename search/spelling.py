"""Did-you-mean: respellings of query words from the archive's own vocabulary.

The vocabulary (each word and how many articles use it) lives in the index's manifest;
candidates within an edit distance are found with Whoosh's Levenshtein automata over the
sorted word list, and the closest, most used word wins.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

from whoosh.spelling import ListCorrector

from morgue.indexer.manifest import MANIFEST_NAME, read_vocabulary


class Vocabulary:
    """The words of an archive, with the number of articles using each."""

    def __init__(self, counts: dict[str, int]) -> None:
        self.counts = counts
        self.words = sorted(counts)  # sorted, for prefix ranges (search/fuzzy.py)
        self._corrector = ListCorrector(self.words)

    def __contains__(self, word: str) -> bool:
        return word in self.counts

    def suggest(self, word: str, *, maxdist: int = 2) -> str | None:
        """The best respelling of `word` (same first letter), or None."""
        if not self.counts:
            return None
        best: tuple[int, int, str] | None = None
        for score, candidate in self._corrector._suggestions(word, maxdist, 1):
            key = (score, self.counts.get(candidate, 0), candidate)  # nearer, then more used
            if candidate != word and (best is None or key[:2] > best[:2]):
                best = key
        return best[2] if best else None


class VocabularyCache:
    """Loads an index's vocabulary once, and again when its manifest changes."""

    def __init__(self, index_dir: str | Path) -> None:
        self.path = Path(index_dir) / MANIFEST_NAME
        self.index_dir = index_dir
        self._stamp: tuple[float, int] | None = None
        self._vocabulary = Vocabulary({})
        self._lock = threading.Lock()

    def get(self) -> Vocabulary:
        try:
            st = os.stat(self.path)
            wal = os.stat(f"{self.path}-wal") if os.path.exists(f"{self.path}-wal") else None
            stamp = (st.st_mtime, st.st_size, wal.st_mtime if wal else 0.0, wal.st_size if wal else 0)
        except OSError:
            return self._vocabulary
        if stamp != self._stamp:
            with self._lock:
                if stamp != self._stamp:
                    self._vocabulary = Vocabulary(read_vocabulary(self.index_dir))
                    self._stamp = stamp
        return self._vocabulary
