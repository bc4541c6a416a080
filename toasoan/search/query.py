"""Read an index written by ``index.py`` and rank a query, as the browser does.

A Python twin of the client's ranking (toasoan/mkdocs/theme/javascripts/search.js) for tests
and benchmarks; the site itself never runs it. Keep the two in step:
tests/test_search_js.py runs both on one index and compares the results.
"""

from __future__ import annotations

import json
from pathlib import Path

from .encoding import get_varint
from ..core.text import fold_syllable
from .tokens import segments, term_check, term_hash, variant_hash

MISMATCH = 0.45  # weight of another spelling when the query has diacritics
PAGE = 10        # results the page shows at a time


def query_terms(text: str) -> list[tuple[str, str]]:
    """(exact, folded) terms of a query: syllables, then pairs, without repeats."""
    singles, pairs, seen = [], [], set()
    for words in segments(text):
        for exact in words + [f"{a} {b}" for a, b in zip(words, words[1:])]:
            folded = " ".join(fold_syllable(s) for s in exact.split(" "))
            if folded not in seen:
                seen.add(folded)
                (pairs if " " in exact else singles).append((exact, folded))
    return singles + pairs


def lookup(data: bytes, term: str) -> tuple[list[int], list[tuple[int, int, int]]] | None:
    """(spelling hashes, [(doc, impact, spelling index)]) of ``term`` in a shard."""
    check, pos = term_check(term), 0
    while pos < len(data):
        found = int.from_bytes(data[pos:pos + 3], "little") == check
        pos += 3
        count, pos = get_varint(data, pos)
        nvar, pos = get_varint(data, pos)
        variants = [int.from_bytes(data[pos + 2 * i:pos + 2 * i + 2], "little") for i in range(nvar)]
        pos += 2 * nvar
        size, pos = get_varint(data, pos)
        if not found:
            pos += size
            continue
        rows, doc = [], 0
        for _ in range(count):
            delta, pos = get_varint(data, pos)
            doc += delta
            impact = data[pos]
            spelling = data[pos + 1] if nvar > 1 else 0
            pos += 2 if nvar > 1 else 1
            rows.append((doc, impact, spelling))
        return variants, rows
    return None


class Index:
    """An index folder on disk; remembers which files a query read."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.manifest = json.loads((self.folder / "manifest.json").read_text(encoding="utf-8"))
        self.read: set[str] = set()

    def _bytes(self, rel: str) -> bytes:
        self.read.add(rel)
        path = self.folder / rel
        return path.read_bytes() if path.exists() else b""

    def search(self, text: str) -> list[int]:
        """Document ids, best first: those holding every syllable, then the others."""
        return self.results(text)[0]

    def shown(self, text: str) -> list[int]:
        """What the search page lists: articles holding every syllable, followed
        (under "Bài gần đúng nhất") by the closest others when fewer than a page do."""
        ids, full, _ = self.results(text)
        return ids[:full] if full >= PAGE else ids

    def results(self, text: str) -> tuple[list[int], int, set[int]]:
        """(ids best first, how many hold every syllable, ids holding the whole phrase).

        A term keeps only its best ``keep`` postings: a document missing from
        a list that long may still hold the syllable, so it is not ruled out.
        """
        terms = query_terms(text)
        marked = any(e != f for e, f in terms)
        keep = self.manifest.get("keep", 300)
        score: dict[int, float] = {}
        hits: dict[int, int] = {}
        singles: dict[int, int] = {}
        pairs: dict[int, int] = {}
        need_singles = need_pairs = pair_terms = 0
        missing = False
        for exact, folded in terms:
            is_pair = " " in folded
            pair_terms += is_pair
            shard = term_hash(folded) & (self.manifest["shards"] - 1)
            found = lookup(self._bytes(f"t/{shard}.bin"), folded)
            if not found:
                missing = missing or not is_pair
                continue
            variants, rows = found
            complete = len(rows) < keep
            counts = (pairs if is_pair else singles) if complete else None
            if complete:
                if is_pair:
                    need_pairs += 1
                else:
                    need_singles += 1
            want = variants.index(variant_hash(exact)) if variant_hash(exact) in variants else -1
            for doc, impact, spelling in rows:
                weight = MISMATCH if marked and spelling != want else 1
                score[doc] = score.get(doc, 0) + impact * weight
                hits[doc] = hits.get(doc, 0) + 1
                if counts is not None:
                    counts[doc] = counts.get(doc, 0) + 1
        n = len(terms)
        final = {d: s * (0.5 + 0.5 * hits[d] / n) for d, s in score.items()}
        ranked = sorted(final, key=lambda d: (-final[d], -d))   # a tie: the newer article (higher id)
        full = [d for d in ranked if not missing and singles.get(d, 0) == need_singles]
        chosen = set(full)
        phrase = {d for d in full if pair_terms and need_pairs == pair_terms and pairs.get(d, 0) == need_pairs}
        return full + [d for d in ranked if d not in chosen], len(full), phrase

    def document(self, doc: int) -> list:
        """[title, url, date, section index, excerpt] of a document id."""
        chunk = self.manifest["chunk"]
        rows = json.loads(self._bytes(f"d/{doc // chunk}.json"))
        return rows[doc % chunk]
