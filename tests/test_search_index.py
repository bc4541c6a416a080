"""Search without a browser: folding and tokens, plain text, the index files."""

import json
import random
import unicodedata
from array import array

import numpy as np
import pytest

import sitebuild
from sitebuild import article
from toasoan.search import index as index_module
from toasoan.search.index import SearchDoc, write_index
from toasoan.reading.plain import excerpt, plain_text
from toasoan.search.query import Index, query_terms
from toasoan.search.tokens import exact_terms, segments


def test_terms_fold_diacritics_and_d():
    assert query_terms("Đảng ủy Bắc Kạn") == [
        ("đảng", "dang"), ("uỷ", "uy"), ("bắc", "bac"), ("kạn", "kan"),
        ("đảng uỷ", "dang uy"), ("uỷ bắc", "uy bac"), ("bắc kạn", "bac kan")]


def test_nfd_capitals_and_tone_placement_give_the_same_terms():
    nfd = unicodedata.normalize("NFD", "BẮC KẠN hòa")
    assert nfd != unicodedata.normalize("NFC", nfd)
    assert query_terms(nfd) == query_terms("bắc kạn hoà")
    assert exact_terms(nfd) == exact_terms("bắc kạn hoà")  # the index reads text the same way
    assert query_terms("Hòa bình") == query_terms("hoà bình")


def test_pairs_stop_at_punctuation_not_at_hyphens():
    assert segments("Tổ chức, Đảng ủy. COVID-19 (mới)") == [
        ["tổ", "chức"], ["đảng", "uỷ"], ["covid", "19"], ["mới"]]
    words, count = exact_terms("Tổ chức, Đảng")
    assert words == ["tổ", "chức", "tổ chức", "đảng"] and count == 3


def test_query_terms_fold_both_ways():
    assert [f for _, f in query_terms("dang uy")] == [f for _, f in query_terms("Đảng Ủy")] == \
        ["dang", "uy", "dang uy"]


def test_plain_text_keeps_words_and_captions():
    md = ('## Kết quả\n\nTỉnh đạt **giải nhất** tại [hội thi](https://x.vn/).{: .lead }\n\n'
          '![Lễ trao giải](2022/01/a.jpg "Các đại biểu. Ảnh: Xuân Nghiệp")\n\n<div>Hộp &amp; chữ</div>')
    text = plain_text(md)
    for words in ("Kết quả", "giải nhất tại hội thi", "Các đại biểu", "Ảnh: Xuân Nghiệp", "Hộp & chữ"):
        assert words in text
    assert "https" not in text and "**" not in text and "jpg" not in text and "{" not in text


def test_excerpt_cuts_at_a_word():
    assert excerpt("một hai ba", 20) == "một hai ba"
    assert excerpt("Tổ chức hội nghị tổng kết năm", 12) == "Tổ chức hội…"


def doc(title, body="", date="2024-01-01", section=0):
    return SearchDoc(title, f"{title}/", date, section, body[:50], body)


@pytest.fixture()
def built(tmp_path):
    docs = [
        doc("Nông dân Ba Bể thu hoạch lúa", "Tổ hợp tác bán lúa. Các chức sắc đến thăm.", "2024-06-01", 1),
        doc("Người dân đang làm đường", "Con đường đang được mở rộng.", "2024-05-01", 2),
        doc("Ban Tổ chức triển khai nhiệm vụ", "Công tác tổ chức cán bộ.", "2023-01-01", 0),
        doc("Đảng ủy xã học tập nghị quyết", "Đảng bộ xã có 12 chi bộ.", "2022-01-01", 0),
    ]
    write_index(tmp_path / "search", docs, [("thoi-su", "Thời sự"), ("kinh-te", "Kinh tế"), ("xa-hoi", "Xã hội")])
    return Index(tmp_path / "search")


def titles(index, query):
    return [index.document(d)[0] for d in index.search(query)]


def test_phrase_ranks_above_scattered_syllables(built):
    found = titles(built, "to chuc")
    assert found[0] == "Ban Tổ chức triển khai nhiệm vụ"
    assert "Nông dân Ba Bể thu hoạch lúa" in found[1:]


def test_d_words_found_without_diacritics(built):
    assert titles(built, "dang uy")[0] == "Đảng ủy xã học tập nghị quyết"


def test_exact_spelling_first_when_typed(built):
    assert titles(built, "đảng")[0] == "Đảng ủy xã học tập nghị quyết"
    assert titles(built, "đang")[0] == "Người dân đang làm đường"


def test_title_weighs_more_than_body(built):
    # "đường" is in the body of one article and in the title of another.
    assert titles(built, "duong")[0] == "Người dân đang làm đường"


def test_manifest_and_files(built):
    m = built.manifest
    assert m["documents"] == 4 and m["shards"] & (m["shards"] - 1) == 0
    assert m["years"] == [[2024, 0, 1], [2023, 2, 2], [2022, 3, 3]]  # years are id ranges, newest year first
    assert (built.folder / "sections.bin").read_bytes() == bytes([2, 3, 1, 1])
    assert json.loads((built.folder / "d" / "0.json").read_text())[0][:4] == [
        "Nông dân Ba Bể thu hoạch lúa", "Nông dân Ba Bể thu hoạch lúa/", "2024-06-01", 1]


def test_postings_are_capped_best_first(tmp_path, monkeypatch):
    monkeypatch.setattr(index_module, "KEEP", 5)
    monkeypatch.setattr(index_module, "KEEP_VARIANT", 1)
    docs = [doc(f"Bài {i}", "lúa " * (1 + i % 3)) for i in range(20)]
    docs.append(doc("Lúa vàng", "lúa"))
    write_index(tmp_path / "s", docs, [])
    index = Index(tmp_path / "s")
    found = index.search("lua")
    assert len(found) <= 5 + 1
    assert index.document(found[0])[0] == "Lúa vàng"  # in the title: kept and first


def test_results_hold_every_syllable_first_and_mark_the_phrase(built):
    ids, full, phrase = built.results("dang uy")
    # "đang" alone is not "đảng ủy": that article comes after the one full match.
    assert full == 1 and [built.document(d)[0] for d in ids[:full]] == ["Đảng ủy xã học tập nghị quyết"]
    assert phrase == set(ids[:1])
    assert "Người dân đang làm đường" in [built.document(d)[0] for d in ids[full:]]
    ids, full, phrase = built.results("dang uy xyz")  # no article holds "xyz": none is full
    assert full == 0 and ids and not phrase
    assert built.shown("dang uy") == built.results("dang uy")[0]  # fewer than a page: the others follow


def test_a_capped_list_does_not_rule_a_document_out(tmp_path, monkeypatch):
    # "lúa" is in every article but keeps only 5 postings; "vàng" is in one that
    # the capped list dropped: it still holds every syllable for the count.
    monkeypatch.setattr(index_module, "KEEP", 5)
    monkeypatch.setattr(index_module, "KEEP_VARIANT", 1)
    docs = [doc(f"Bài {i}", "lúa " * (2 + i % 3) + "ruộng") for i in range(20)]
    docs.append(doc("Chợ phiên", "lúa vàng"))
    write_index(tmp_path / "s", docs, [])
    index = Index(tmp_path / "s")
    ids, full, _ = index.results("lua vang")
    assert index.document(ids[0])[0] == "Chợ phiên" and full >= 1


def test_no_documents(tmp_path):
    write_index(tmp_path / "s", [], [])
    assert Index(tmp_path / "s").search("bac kan") == []


def test_parallel_build_writes_the_same_bytes(tmp_path, monkeypatch):
    from toasoan.search import parallel
    docs = [doc(f"Tin số {i} về tổ chức Đảng ủy", "Đảng bộ đang tổ chức hội nghị. " * (i % 4 + 1),
                f"202{i % 5}-01-01") for i in range(40)]
    assert parallel.workers(len(docs)) == 1  # a small archive stays in this process …
    write_index(tmp_path / "one", docs, [])
    monkeypatch.setattr(parallel, "workers", lambda count: 2)  # … this one is split over two
    write_index(tmp_path / "two", docs, [])
    one = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*") if p.is_file())
    two = sorted(p.relative_to(tmp_path / "two") for p in (tmp_path / "two").rglob("*") if p.is_file())
    assert one == two
    assert all((tmp_path / "one" / p).read_bytes() == (tmp_path / "two" / p).read_bytes() for p in one)


def test_index_in_many_parts_writes_the_same_bytes(tmp_path, monkeypatch):
    """A large archive is indexed a part at a time, each by a fresh worker (memory):
    parts of uneven size, more parts than workers, still the same files."""
    from toasoan.search import parallel
    docs = [doc(f"Tin số {i} về tổ chức Đảng ủy", "Đảng bộ đang tổ chức hội nghị. " * (i % 4 + 1)
                + f"Xã số {i % 7}.", f"202{i % 5}-01-01") for i in range(40)]
    write_index(tmp_path / "one", docs, [])
    monkeypatch.setattr(parallel, "workers", lambda count: 2)
    monkeypatch.setattr(parallel, "PART", 7)   # 6 parts, the last one of 5
    write_index(tmp_path / "parts", docs, [])
    one = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*") if p.is_file())
    parts = sorted(p.relative_to(tmp_path / "parts") for p in (tmp_path / "parts").rglob("*") if p.is_file())
    assert one == parts
    assert all((tmp_path / "one" / p).read_bytes() == (tmp_path / "parts" / p).read_bytes() for p in one)


def _packed(rng, df: int, docs: int, spellings: int) -> array:
    """``df`` postings of random documents below ``docs``, as the collector packs them."""
    ids = sorted(rng.sample(range(docs), df))
    return array("Q", (d << 28 | rng.randrange(spellings) << 12 | rng.randrange(1, 0xFFF) for d in ids))


@pytest.mark.parametrize("df, docs, spellings", [
    (301, 400, 1),           # just above the cap, one spelling
    (1200, 5000, 3),         # a few spellings, each topped up beyond the cap
    (4000, 2_300_000, 300),  # id gaps of four varint bytes; more spellings than can be named
    (2000, 2100, 2000),      # every posting its own spelling: ties everywhere
])
def test_long_posting_lists_encode_the_same_with_numpy(df, docs, spellings):
    rng = random.Random(df)
    norms = [rng.uniform(0.5, 3.0) for _ in range(docs)]
    packed = _packed(rng, df, docs, spellings)
    plain = index_module._entry("lúa", packed, norms, docs, 0.9)
    assert index_module._entry("lúa", packed, norms, docs, 0.9, np.asarray(norms)) == plain


@pytest.mark.parametrize("docs, spellings", [
    (400, 1),          # one spelling: no index bytes
    (5000, 3),         # a few spellings, ties among them
    (2_300_000, 300),  # id gaps of four varint bytes; more spellings than can be named
])
def test_short_posting_lists_encode_the_same_together(docs, spellings):
    """The lists that keep every posting are encoded all at once with numpy (_entries_short):
    the bytes of _entry, one term at a time (lists of 1 to KEEP postings)."""
    rng = random.Random(docs)
    norms = np.random.default_rng(docs).uniform(0.5, 3.0, docs).tolist()
    lists = [_packed(rng, df, docs, spellings) for df in [1, 2, 3, 17, 255, 256, index_module.KEEP]
             + [rng.randint(1, index_module.KEEP) for _ in range(40)]]
    terms = [f"từ {i}" for i in range(len(lists))]
    starts = np.cumsum([0] + [len(p) for p in lists])
    packed = np.concatenate([np.frombuffer(p, dtype=np.uint64) for p in lists])
    together = index_module._entries_short(terms, packed, starts, np.asarray(norms), docs, 0.9)
    assert together == [index_module._entry(t, p, norms, docs, 0.9) for t, p in zip(terms, lists)]


def test_postings_are_grouped_by_term_in_document_order():
    from toasoan.search.index import _stable_order
    rng = np.random.default_rng(2)
    for top in (3, 70_000, 2 ** 31 - 1):   # one 16-bit pass, or two
        term = rng.integers(0, top, 100_000).astype(np.int32)
        assert (_stable_order(term) == np.argsort(term, kind="stable")).all()


def test_an_index_is_the_same_with_every_list_encoded_alone(tmp_path, monkeypatch):
    rng = random.Random(4)
    docs = [doc(f"Tin {i} " + " ".join(rng.sample(WORDS, 4)), " ".join(rng.choice(WORDS) for _ in range(80))
                + f" Đảng đang ĐẢNG xã{i % 13}") for i in range(700)]
    write_index(tmp_path / "together", docs, [])
    monkeypatch.setattr(index_module, "BATCH", 50)   # short lists in many batches
    write_index(tmp_path / "batches", docs, [])
    monkeypatch.setattr(index_module, "BATCH", 0)    # every list through _entry, one at a time
    write_index(tmp_path / "alone", docs, [])
    assert _files(tmp_path / "together") == _files(tmp_path / "batches") == _files(tmp_path / "alone")


def test_an_index_with_long_lists_is_the_same_written_either_way(tmp_path, monkeypatch):
    docs = [doc(f"Tin {i}", "lúa " * (1 + i % 5) + ("Lúa" if i % 3 else "lụa") + f" xã{i % 9}")
            for i in range(700)]
    write_index(tmp_path / "numpy", docs, [])
    monkeypatch.setattr(index_module, "WIDE", 10 ** 9)   # every list through the Python loop
    write_index(tmp_path / "python", docs, [])
    assert _files(tmp_path / "numpy") == _files(tmp_path / "python")


WORDS = ("tỉnh ủy hội nghị ban chấp hành đảng bộ huyện xã nhân dân phát triển kinh tế văn hóa du lịch "
         "nông thôn mới trồng rừng đồng bào dân tộc cán bộ đảng viên thực hiện chỉ đạo lúa ngô chè cầu "
         "đường trường học bệnh viện").split()


def test_a_new_article_leaves_most_index_files_as_they_were(tmp_path):
    """Numbered oldest first, a new article takes the next id: an hourly deploy uploads the
    shards of its terms and the last metadata file, not the whole index (a real build)."""
    rng = random.Random(3)
    files = {f"2026/bai-{i}.md": article(
        title=f"Tin {i} " + " ".join(rng.sample(WORDS, 4)), date=f"2026-{1 + i // 28:02d}-{1 + i % 28:02d} 08:00",
        category="Kinh tế", body=" ".join(rng.choice(WORDS) for _ in range(60))) for i in range(120)}
    first = sitebuild.build(tmp_path, files, env={"TOASOAN_PAGE_CACHE": "0"})
    assert first.returncode == 0, first.log
    before = _files(first.site / "search")
    new = article(title="Khánh thành cầu treo Nà Làng", date="2026-11-20 08:00", category="Kinh tế",
                  body="Cầu treo mới nối hai bản.")
    second = sitebuild.build(tmp_path, {"2026/moi.md": new}, env={"TOASOAN_PAGE_CACHE": "0"})
    assert second.returncode == 0, second.log
    after = _files(second.site / "search")
    changed = {str(p) for p in after if before.get(p) != after[p]}
    # (numbered newest first, every one changed)
    assert {p for p in changed if p.startswith("d/")} == {"d/30.json"}   # ids 120…: a new file


def test_a_real_index_lists_the_newest_year_first(tmp_path):
    # Ids are numbered oldest first; the search page's year menu still reads newest first.
    files = {f"{y}/bai-{y}.md": article(title=f"Bài năm {y}", date=f"{y}-05-01 08:00") for y in (2022, 2023, 2024)}
    built = sitebuild.build(tmp_path, files, env={"TOASOAN_PAGE_CACHE": "0"})
    assert built.returncode == 0, built.log
    m = json.loads((built.site / "search" / "manifest.json").read_text("utf-8"))
    assert m["years"] == [[2024, 2, 2], [2023, 1, 1], [2022, 0, 0]]


def test_shards_without_the_new_articles_terms_keep_their_bytes(tmp_path):
    rng = random.Random(3)

    def news(i):
        return doc(f"Tin {i} " + " ".join(rng.sample(WORDS, 4)), " ".join(rng.choice(WORDS) for _ in range(80)))
    docs = [news(i) for i in range(2000)]
    write_index(tmp_path / "before", docs, [])
    write_index(tmp_path / "after", docs + [news(2000)], [])
    before, after = _files(tmp_path / "before"), _files(tmp_path / "after")
    shards = [p for p in after if str(p).startswith("t/")]
    changed = [p for p in shards if before.get(p) != after[p]]
    # A small vocabulary: the new article holds a tenth of the terms. Numbered newest first,
    # every shard changed.
    assert 0 < len(changed) < len(shards) / 2


def test_a_tie_goes_to_the_newer_article(tmp_path, monkeypatch):
    # The same words in every article: the newest (the highest id) first, and the newest
    # kept when a term keeps only some of its postings.
    monkeypatch.setattr(index_module, "KEEP", 5)
    monkeypatch.setattr(index_module, "KEEP_VARIANT", 1)
    docs = [doc(f"Bài {i}", "Hội nghị tỉnh ủy bàn về lúa.", f"2024-01-{1 + i:02d}") for i in range(12)]
    write_index(tmp_path / "s", docs, [])
    index = Index(tmp_path / "s")
    found = index.search("hoi nghi")
    assert [index.document(d)[0] for d in found[:3]] == ["Bài 11", "Bài 10", "Bài 9"]
    assert sorted(index.results("lua")[0]) == list(range(6, 12))   # 5 kept, 1 more of its spelling


def _files(folder):
    return {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_the_term_store_gives_the_same_bytes_and_makes_only_what_changed(tmp_path, monkeypatch):
    """The hourly build keeps each document's terms: with the store (empty, then
    holding all but the new and edited documents), on one process or in parts on
    two, the index is the one written without it."""
    from toasoan.search import parallel
    from toasoan.search.terms import TermStore
    docs = [doc(f"Tin số {i} về tổ chức Đảng ủy", "Đảng bộ đang tổ chức hội nghị. " * (i % 4 + 1)
                + f"Xã số {i % 7}, ĐẢNG, đảng và đang.", f"202{i % 5}-01-01") for i in range(40)]
    docs[3] = SearchDoc("Bài viết sẵn", "x/", "2024-01-01", 0, "", markdown="**Đảng** bộ [xã](a.md) họp.")
    path = tmp_path / "terms.bin"
    first = TermStore(path)
    write_index(tmp_path / "first", docs, [], first)
    assert (first.loaded, first.made) == (0, 40) and first.records == {}, "saved and let go"
    assert _files(tmp_path / "first") == _files(_plain(tmp_path / "a", docs))

    docs = [doc("Tin mới về hội nghị Đảng bộ", "Hôm nay Đảng bộ họp.", "2025-06-01")] + docs[:20] + docs[21:]
    docs[5] = doc(docs[5].title, docs[5].text + " Đã sửa.", docs[5].date)
    expected = _files(_plain(tmp_path / "b", docs))
    kept = path.read_bytes()
    for workers, part in ((1, 5000), (2, 7)):
        monkeypatch.setattr(parallel, "workers", lambda count: workers)
        monkeypatch.setattr(parallel, "PART", part)
        path.write_bytes(kept)   # each way starts from the first build's store
        store = TermStore(path)
        write_index(tmp_path / f"w{workers}", docs, [], store)
        assert (store.loaded, store.made) == (40, 2), "the new and the edited document only"
        assert _files(tmp_path / f"w{workers}") == expected
    store.save()
    assert TermStore(path).loaded == 40, "the deleted document is forgotten"


def _plain(folder, docs):
    write_index(folder, docs, [])
    return folder


def test_a_term_store_that_is_not_a_plain_file_is_ignored(tmp_path):
    """The cache folder comes back from CI or a copy: a FIFO must not hang the build."""
    import os
    from toasoan.search.terms import TermStore
    fifo = tmp_path / "fifo.bin"
    os.mkfifo(fifo)
    link = tmp_path / "link.bin"
    link.symlink_to("/dev/zero")
    for path in (fifo, link):
        store = TermStore(path)
        write_index(tmp_path / path.stem, [doc("Tin Đảng bộ", "Đảng bộ họp.")], [], store)
        assert (store.loaded, store.made) == (0, 1)
