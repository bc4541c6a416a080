import unicodedata

import pytest

from toasoan.core.text import fold, nfc, slugify, unify_tones, words


@pytest.mark.parametrize("text, folded", [
    ("Bắc Kạn", "bac kan"),
    ("BẮC KẠN", "bac kan"),
    ("Đảng ủy", "dang uy"),
    ("đường Điện Biên", "duong dien bien"),
    (unicodedata.normalize("NFD", "Tổ chức"), "to chuc"),
])
def test_fold_drops_diacritics_and_maps_d(text, folded):
    assert fold(text) == folded


def test_nfc_composes_decomposed_text():
    decomposed = unicodedata.normalize("NFD", "Nghị quyết")
    assert decomposed != "Nghị quyết"
    assert nfc(decomposed) == "Nghị quyết"


@pytest.mark.parametrize("title, slug", [
    ("Ban Tổ chức Trung ương triển khai nhiệm vụ", "ban-to-chuc-trung-uong-trien-khai-nhiem-vu"),
    ("Đại hội Đảng bộ: 'Đoàn kết – Đổi mới'!", "dai-hoi-dang-bo-doan-ket-doi-moi"),
    ("  Na Rì  có   miến dong  ", "na-ri-co-mien-dong"),
    ("COVID-19: 5 ca mới", "covid-19-5-ca-moi"),
])
def test_slugify(title, slug):
    assert slugify(title) == slug


def test_slug_is_cut_at_a_word_boundary():
    slug = slugify("rất dài " * 30, max_length=40)
    assert len(slug) <= 40
    assert not slug.endswith("-") and set(slug.split("-")) == {"rat", "dai"}


def test_old_and_new_tone_placement_are_unified():
    assert unify_tones("hòa bình") == unify_tones("hoà bình")
    assert unify_tones("Ủy ban") == unify_tones("Uỷ ban")
    # Only syllable-final oa/oe/uy move: these stay as written.
    assert unify_tones("Hoàng khuya") == "Hoàng khuya"


def test_tone_placement_matches_every_pair_spelled_out():
    """unify_tones looks for the pairs as letter classes ("[òóỏõọ]a|…", faster): the same
    replacements as the fifteen pairs spelled out, in any case, at any place."""
    import random
    import re

    from toasoan.core.text import _TONE_PAIRS, _unify_match
    spelled = re.compile("(" + "|".join(_TONE_PAIRS) + r")(?!\w)", re.IGNORECASE)
    letters = "oaeuyòóỏõọùúủũụÒÓỎÕỌÙÚỦŨỤAEYÀàĐđx1_ .\u0300"
    rng = random.Random(5)
    for _ in range(20000):
        text = "".join(rng.choice(letters) for _ in range(rng.randint(0, 12)))
        assert unify_tones(text) == spelled.sub(_unify_match, nfc(text)), text
    assert unify_tones("HÒA, Hòa, hÒa; THỦY thủy.") == "HOÀ, Hoà, hOà; THUỶ thuỷ."


def test_words_split_syllables():
    assert words("Tổ chức, Hội nghị.") == ["tổ", "chức", "hội", "nghị"]
