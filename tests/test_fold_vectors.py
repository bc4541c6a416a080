"""tests/vectors/fold.json: the outputs every fold of the project must give.

The search's JavaScript reads the same file, so the browser folds queries
exactly as the index was folded.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from toasoan.core.text import fold, fold_case, fold_fast, fold_syllable
from toasoan.search.query import query_terms

VECTORS = json.loads((Path(__file__).parent / "vectors" / "fold.json").read_text(encoding="utf-8"))


def test_vectors_are_many_and_simple():
    assert set(VECTORS) == {"fold", "fold_syllable"}
    assert len(VECTORS["fold"]) >= 50 and len(VECTORS["fold_syllable"]) >= 30
    assert all(isinstance(i, str) and isinstance(o, str) for pairs in VECTORS.values() for i, o in pairs)


@pytest.mark.parametrize("given, folded", VECTORS["fold"])
def test_fold(given, folded):
    assert fold(given) == folded
    # The case-keeping and the fast variants are the same fold.
    assert fold_case(given).lower() == folded
    assert fold_fast(given) == folded


@pytest.mark.parametrize("given, folded", VECTORS["fold_syllable"])
def test_fold_syllable(given, folded):
    assert fold_syllable(given) == folded


def test_fold_case_keeps_case():
    assert fold_case("Đảng ủy HOÀ Bình, Ưu tiên") == "Dang uy HOA Binh, Uu tien"


def test_search_terms_use_the_syllable_fold():
    syllables = dict(VECTORS["fold_syllable"])
    for exact, folded in query_terms("Hòa thuỷ đảng người"):
        if " " not in exact:
            assert folded == syllables[exact] == fold(exact)
