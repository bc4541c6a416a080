"""Related articles ("Xem thêm"): ranking, editor's links, exclusions, determinism."""

from __future__ import annotations

import dataclasses
import os
import random
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
import yaml

import related_fixture as fx
from toasoan.build import prepare
from toasoan.core.config import SiteConfig
from toasoan.core.model import DRAFT, SCHEDULED, Article
from toasoan.related.rank import RelatedIndex, relate_all, same_section
from toasoan.core.text import fold_fast
from toasoan.related.terms import TermMatrix, features
from toasoan.core.text import fold

REPO = Path(__file__).resolve().parent.parent
NOW = datetime.fromisoformat("2026-11-25T12:00:00+07:00")


def site_config(**values) -> SiteConfig:
    data = yaml.safe_load((REPO / "tests" / "fixtures" / "site" / "mkdocs.yml").read_text(encoding="utf-8"))["extra"]["bulletin"]
    return SiteConfig.from_dict({**data, **values})


def write(root: Path, texts: dict[str, str]) -> Path:
    for rel, text in texts.items():
        path = root / "articles" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def prepared(tmp_path, preview=False, **extra):
    return prepare(write(tmp_path, fx.files(**extra)), site_config(), preview=preview, now=NOW)


def related_of(build, count=5):
    return relate_all(build.shown, build.articles, build.chosen, count)


def by_slug(build, slug) -> Article:
    return next(a for a in build.articles if a.slug == slug)


@pytest.fixture
def build(tmp_path):
    return prepared(tmp_path)


def test_cluster_members_find_each_other_first(build):
    related = related_of(build)
    for name, members in fx.CLUSTERS.items():
        slugs = {fx.slug_of(path) for path, _ in members}
        for slug in slugs:
            found = [a.slug for a in related[by_slug(build, slug)]]
            assert set(found[:2]) == slugs - {slug}, (name, slug, found)


def test_lists_are_full_and_never_hold_the_article_itself(build):
    related = related_of(build)
    assert set(related) == set(build.shown)
    for article, found in related.items():
        assert article not in found
        assert len(found) == len(set(found))
        assert len(found) <= 5


def test_count_is_configurable(build):
    for count in (1, 3):
        assert all(len(found) <= count for found in related_of(build, count).values())
    assert len(related_of(build, 3)[by_slug(build, "sat-lo-nam-mau")]) == 3


def test_editor_links_come_first_in_their_order(tmp_path):
    chosen = ["2023/03/tiem-chung-pac-nam.md", "thu-ngan-sach"]
    build = prepared(tmp_path, **{"2023/07/sat-lo-nam-mau.md": {"related": chosen}})
    assert not build.problems.errors
    found = [a.slug for a in related_of(build)[by_slug(build, "sat-lo-nam-mau")]]
    assert found[:2] == ["tiem-chung-pac-nam", "thu-ngan-sach"]
    # then the automatic ones, best first, up to five in all and without repeats
    assert set(found[2:4]) == {"thong-tuyen-nam-mau", "ho-tro-ho-dan-nam-mau"}
    assert len(found) == 5 and len(set(found)) == 5


def test_editor_links_beyond_the_count_are_all_kept(tmp_path):
    chosen = [fx.slug_of(p) for p, _ in fx.UNRELATED[:6]]
    build = prepared(tmp_path, **{"2023/07/sat-lo-nam-mau.md": {"related": chosen}})
    assert [a.slug for a in related_of(build)[by_slug(build, "sat-lo-nam-mau")]] == chosen


def test_unknown_editor_link_is_an_error_with_file_and_line(tmp_path):
    build = prepared(tmp_path, **{"2023/07/sat-lo-nam-mau.md": {"related": ["khong-co-bai-nay"]}})
    errors = [p for p in build.problems.errors if "khong-co-bai-nay" in p.message]
    assert len(errors) == 1
    assert errors[0].path.endswith("articles/2023/07/sat-lo-nam-mau.md")
    text = (tmp_path / "articles/2023/07/sat-lo-nam-mau.md").read_text(encoding="utf-8").split("\n")
    assert "khong-co-bai-nay" in text[errors[0].line - 1]
    assert errors[0].fix


def test_unknown_link_in_a_list_names_its_own_line(tmp_path):
    text = fx.files()["2023/07/sat-lo-nam-mau.md"].replace(
        "\n---\n", "\nrelated:\n  - thu-ngan-sach\n  - bai-da-xoa\n---\n", 1)
    build = prepare(write(tmp_path, {**fx.files(), "2023/07/sat-lo-nam-mau.md": text}),
                    site_config(), now=NOW)
    [error] = [p for p in build.problems.errors if "bai-da-xoa" in p.message]
    assert text.split("\n")[error.line - 1].strip() == "- bai-da-xoa"


@pytest.mark.parametrize("preview", [False, True])
def test_drafts_and_scheduled_articles_are_never_linked(tmp_path, preview):
    build = prepared(tmp_path, preview=preview)
    hidden = {a for a in build.articles if not a.published}
    assert {a.status for a in hidden} == {"draft", "scheduled"}
    assert (hidden <= set(build.shown)) == preview
    related = related_of(build)
    for article, found in related.items():
        assert not hidden & set(found), article
    if preview:  # a draft gets its own list, from published articles
        draft = by_slug(build, "sat-lo-nam-mau-nhap")
        assert {a.slug for a in related[draft][:3]} == {
            "sat-lo-nam-mau", "thong-tuyen-nam-mau", "ho-tro-ho-dan-nam-mau"}


def test_ranking_is_deterministic_whatever_the_order(build):
    first = {a.slug: [b.slug for b in found] for a, found in related_of(build).items()}
    pool = list(build.articles)
    for seed in range(3):
        random.Random(seed).shuffle(pool)
        again = relate_all([a for a in pool if a in build.shown], pool, build.chosen, 5)
        assert {a.slug: [b.slug for b in found] for a, found in again.items()} == first


def test_ranking_is_the_same_in_another_process(tmp_path):
    """String hashing differs between processes: nothing may depend on it."""
    code = ("import sys, json; sys.path[:0] = ['tests', '.'];"
            "from test_related import prepared, related_of; from pathlib import Path;"
            "b = prepared(Path(sys.argv[1]));"
            "print(json.dumps({a.slug: [x.slug for x in f] for a, f in related_of(b).items()}, sort_keys=True))")
    outs = set()
    for seed in ("1", "2"):
        proc = subprocess.run([sys.executable, "-c", code, str(tmp_path / seed)], cwd=REPO, text=True,
                              capture_output=True, env={**os.environ, "PYTHONHASHSEED": seed})
        assert proc.returncode == 0, proc.stderr
        outs.add(proc.stdout)
    assert len(outs) == 1


def _section(count: int) -> list[Article]:
    """``count`` articles of one section, one a day, newest first (as the Archive lists them)."""
    day = datetime.fromisoformat("2026-01-01T08:00:00+07:00")
    return [Article(Path(f"{i}.md"), f"{i}.md", f"Bài {i}", day + timedelta(days=i), ["A"], "Bắc Kạn",
                    f"bai-{i:03d}", "", 1, section="kinh-te") for i in reversed(range(count))]


def _slugs(articles) -> list[str]:
    return [a.slug for a in articles]


def test_same_section_lists_the_articles_posted_just_before():
    listing = _section(20)
    tenth = next(a for a in listing if a.slug == "bai-010")
    assert _slugs(same_section(listing, tenth, 3)) == ["bai-009", "bai-008", "bai-007"]
    # the articles already in "Xem thêm" are not repeated; the next older one takes the place
    assert _slugs(same_section(listing, tenth, 3, skip=[listing[10]])) == ["bai-008", "bai-007", "bai-006"]
    # drafts and scheduled articles (in preview) are never listed
    listing[11].status = SCHEDULED
    assert _slugs(same_section(listing, tenth, 3)) == ["bai-009", "bai-007", "bai-006"]


def test_same_section_tops_up_the_oldest_with_the_next_ones():
    listing = _section(20)
    assert _slugs(same_section(listing, listing[-2], 3)) == ["bai-003", "bai-002", "bai-000"]
    assert _slugs(same_section(listing, listing[-1], 3)) == ["bai-003", "bai-002", "bai-001"]
    assert _slugs(same_section(listing[-2:], listing[-1], 3)) == ["bai-001"]


def test_a_new_article_changes_no_older_articles_list():
    # Why the list looks back: the hourly build then re-renders (and the deploy uploads)
    # only the new article's neighbours, not every page of its section.
    before = _section(30)
    after = _section(31)
    for old, new in zip(before[4:], after[5:]):
        assert _slugs(same_section(before, old, 5)) == _slugs(same_section(after, new, 5))
    # an article that is not in the list (a draft in preview) still finds its place
    tenth = next(a for a in before if a.slug == "bai-010")
    draft = dataclasses.replace(tenth, slug="bai-nhap", date=tenth.date + timedelta(hours=12), status=DRAFT)
    assert _slugs(same_section(before, draft, 2)) == ["bai-010", "bai-009"]


def test_tags_and_place_count(build):
    # The Nam Mẫu articles share a place and words: the closest is one of them.
    # (Their shared tag changes nothing here; the next test shows that a tag counts.)
    index = RelatedIndex([a for a in build.articles if a.published])
    nam_mau, ho_tro = by_slug(build, "sat-lo-nam-mau"), by_slug(build, "ho-tro-ho-dan-nam-mau")
    assert "#thien tai" in features(nam_mau) and "#thien tai" in features(ho_tro)
    assert index.similar(nam_mau, 1) in ([ho_tro], [by_slug(build, "thong-tuyen-nam-mau")])


def test_a_shared_rare_tag_relates_otherwise_unrelated_articles():
    def art(slug, title, body, location, tags, days):
        return Article(path=Path(slug + ".md"), rel_path=slug + ".md", title=title, date=NOW - timedelta(days=days),
                       authors=[], location=location, slug=slug, body=body, body_line=1, tags=tags)
    pool = [
        art("mua-lu", "Mưa lớn gây ngập úng ở Pác Nặm", "Nước sông dâng cao, nhiều ruộng ngô bị ngập.",
            "Pác Nặm", ["thiên tai"], 1),
        # Shares the tag only: no word, no place.
        art("trao-qua", "Trao quà cho học sinh vùng cao", "Các em nhận sách vở và áo ấm trước năm học.",
            "Na Rì", ["thiên tai"], 6),
        # Shares one word ("ngô") only.
        art("cho-phien", "Chợ phiên vùng cao đông vui", "Người dân mang rau và gà ra chợ bán ngô.",
            "Ngân Sơn", [], 2),
        art("bong-da", "Khai mạc giải bóng đá thanh niên", "Mười đội bóng tranh cúp tại sân vận động.",
            "Chợ Mới", [], 3),
        art("du-lich", "Du khách đến hồ Ba Bể dịp lễ", "Thuyền đưa khách thăm động Puông.", "Ba Bể", [], 4),
        art("hoi-nghi", "Hội nghị tổng kết công tác cán bộ", "Đại biểu bàn về nhiệm vụ năm tới.",
            "Bạch Thông", [], 5),
    ]
    assert [a.slug for a in RelatedIndex(pool).similar(pool[0], 1)] == ["trao-qua"]
    # The control: the same articles without tags relate by the shared word instead.
    bare = [dataclasses.replace(a, tags=[]) for a in pool]
    assert [a.slug for a in RelatedIndex(bare).similar(bare[0], 1)] == ["cho-phien"]


def test_terms_are_folded_syllables_and_pairs():
    assert fold_fast("Đảng ủy HOÀ Bắc Kạn") == fold("Đảng ủy HOÀ Bắc Kạn")
    a = Article(path=Path("x.md"), rel_path="x.md", title="Nông thôn mới", date=NOW, authors=[],
                location="", slug="x", body="Xây dựng nông thôn mới, ở Chợ Đồn.", body_line=1)
    terms = features(a)
    assert {"nong", "thon", "nong thon", "thon moi", "xay dung", "cho don"} <= set(terms)
    assert "moi o" not in terms           # punctuation ends a run of pairs
    assert terms["nong thon"] == 3 + 1    # the title counts thrice
    assert "o" not in terms               # function syllables alone are dropped


def test_term_matrix_counts_what_features_counts(build):
    """The archive-wide counting (numpy) gives every article exactly features()."""
    articles = [a for a in build.articles]
    extra = Article(path=Path("y.md"), rel_path="y.md", title="Đại hội: Nông thôn mới!", date=NOW,
                    authors=[], location="", slug="y", body="Xây dựng **nông thôn** mới 2025, "
                    "ở Chợ Đồn.\n\n![Ảnh](a.jpg \"Đường thôn. Ảnh: T\")", body_line=1,
                    tags=["Nông thôn mới", "OCOP"], summary="Tóm tắt nông thôn", summary_given=True)
    articles.append(extra)
    terms = TermMatrix(articles)
    names = {i: t for t, i in terms.vocab.items()}
    for row, article in enumerate(articles):
        m = terms.matrix[row]
        assert {names[i]: v for i, v in zip(m.indices, m.data)} == features(article), article.slug


def test_term_matrix_is_the_same_whatever_the_chunk_size(build, monkeypatch):
    """Articles are counted a chunk at a time (memory); the columns, and so every
    ranking tie, must not depend on where the chunks fall."""
    from toasoan.related import terms as terms_module
    articles = list(build.articles) * 3   # repeats: every chunk meets terms seen before
    whole = TermMatrix(articles)
    monkeypatch.setattr(terms_module, "CHUNK", 4)
    chunked = TermMatrix(articles)
    assert len(articles) > 3 * 4
    assert chunked.vocab == whole.vocab
    assert chunked.matrix.shape == whole.matrix.shape
    assert (chunked.matrix != whole.matrix).nnz == 0
    assert (chunked.matrix.indices == whole.matrix.indices).all()   # rows stay sorted by column


def test_term_matrix_from_a_store_is_the_matrix_made_afresh(build, tmp_path):
    """The hourly build keeps each article's terms (related-terms.bin): empty, full,
    holding some of the articles, or damaged, the matrix is the one made without it."""
    from toasoan.related.terms import TermStore
    articles = list(build.articles)
    plain = TermMatrix(articles)
    path = tmp_path / "related-terms.bin"

    def same(store):
        terms = TermMatrix(articles, store)
        store.save()
        assert terms.vocab == plain.vocab and terms.matrix.shape == plain.matrix.shape
        assert (terms.matrix != plain.matrix).nnz == 0
        assert (terms.matrix.indices == plain.matrix.indices).all()
        return store

    first = same(TermStore(path, "v1"))
    assert (first.loaded, first.made) == (0, len(articles))
    again = same(TermStore(path, "v1"))
    assert (again.loaded, again.made) == (len(articles), 0), "nothing tokenised again"
    assert same(TermStore(path, "v2")).made == len(articles), "another generator's store is ignored"
    articles[0].body += "\n\nĐoạn mới về chè Shan tuyết."
    plain = TermMatrix(articles)
    assert same(TermStore(path, "v2")).made == 1, "the edited article only"
    blob = bytearray(path.read_bytes())
    blob[-2] ^= 0x40   # one record damaged (its zlib check): made again
    path.write_bytes(bytes(blob))
    assert same(TermStore(path, "v2")).made == 1
    path.write_bytes(b"not a store")
    assert same(TermStore(path, "v2")).made == len(articles)


def topical_archive(per_topic=60, topics=6, seed=3) -> list[Article]:
    """Articles on a few broad subjects, each article a few subject words in common filler."""
    rng = random.Random(seed)
    syllables = [o + r for o in ["b", "c", "d", "h", "l", "m", "n", "t", "v", "x"]
                 for r in ["a", "am", "an", "ang", "e", "en", "i", "inh", "o", "ong", "u", "ung"]]
    words = [f"{rng.choice(syllables)} {rng.choice(syllables)}" for _ in range(1500)]
    common, subjects = words[:300], [words[300 + 200 * t: 500 + 200 * t] for t in range(topics)]
    out = []
    for i in range(per_topic * topics):
        topic = subjects[i % topics]
        body = " ".join(rng.choices(common, k=60) + rng.choices(topic, k=12))
        out.append(Article(path=Path(f"t{i}.md"), rel_path=f"t{i}.md", title=" ".join(rng.sample(topic, 2)),
                           date=datetime(2024, 1, 1, tzinfo=NOW.tzinfo) + timedelta(hours=5 * i),
                           authors=[], location="", slug=f"bai-{i}", body=body + ".", body_line=1,
                           section=f"chu-de-{i % topics}"))
    return out


def test_second_step_on_a_larger_archive_keeps_links_on_the_subject():
    """360 articles: the neighbour-graph step runs (sparse eigensolver) and keeps links on topic."""
    archive = topical_archive()
    for a in archive:   # sections unknown, as in the quality benchmark
        a.section = ""
    index = RelatedIndex(archive)
    assert index.options.neighbours == 36 and index.e.shape == (360, 10)
    links = [(a, b) for a in archive for b in index.similar(a, 5)]
    assert len(links) == 5 * len(archive)
    same = sum(int(a.slug[4:]) % 6 == int(b.slug[4:]) % 6 for a, b in links) / len(links)
    assert same > 0.9, same
    # the same lists whatever the order the articles come in
    shuffled = list(archive)
    random.Random(1).shuffle(shuffled)
    again = RelatedIndex(shuffled)
    assert all(again.similar(a, 5) == index.similar(a, 5) for a in archive)


def test_small_archive_ranks_by_text_alone(build):
    """Under 50 articles the neighbour graph would hold nearly everyone: no second step."""
    index = RelatedIndex([a for a in build.articles if a.published])
    assert index.options.neighbours == 0 and index.options.graph_weight == 0


def test_two_workers_rank_exactly_as_one_process(monkeypatch):
    """The row blocks of both steps spread over forked workers: the same lists, scores and all."""
    monkeypatch.setenv("TOASOAN_RELATED_BLOCK", "3000")   # many small blocks: several parts per step
    archive = topical_archive()
    archive[7].body = archive[3].body   # equal scores: ties must break the same way in a worker
    forks = []
    os.register_at_fork(after_in_parent=lambda: forks.append(1))
    one = RelatedIndex(archive, workers=1)
    assert forks == []
    two = RelatedIndex(archive, workers=2)
    assert len(forks) == 16   # 8 parts in each step
    assert one.options.neighbours == 36   # the second step runs
    assert one.best.shape == (360, 80) and np.array_equal(one.best, two.best)
    lists = [relate_all(archive, archive, {}, 5, workers=w) for w in (1, 2)]
    assert {a.slug: [b.slug for b in found] for a, found in lists[0].items()} == \
        {a.slug: [b.slug for b in found] for a, found in lists[1].items()}


@pytest.mark.parametrize("dtypes", [(np.float32, np.float32), (np.float64, np.float64), (np.float32, np.float64)])
def test_the_one_pass_product_is_scipys_product_entry_for_entry(dtypes):
    from scipy import sparse
    from toasoan.related import matrix
    from toasoan.related.matrix import product
    assert matrix._matmat is not None, "the pinned scipy has the kernel: the fast path is the one tested"
    rng = np.random.default_rng(7)
    a = sparse.random(300, 500, density=0.02, format="csr", random_state=rng, dtype=dtypes[0])
    b = sparse.random(500, 400, density=0.03, format="csr", random_state=rng, dtype=dtypes[1])
    a.data[a.indptr[5]:a.indptr[6]] = 0   # an empty row
    a.eliminate_zeros()
    for x, y in ((a, b), (a[:0], b), (a, b[:, :0]), (sparse.csr_matrix((3, 500), dtype=dtypes[0]), b)):
        want, got = sparse.csr_matrix(x @ y), product(x, y)
        assert got.shape == want.shape and got.dtype == want.dtype
        # Same entries in the same order: ties in the ranking are then broken the same way.
        assert np.array_equal(got.indptr, want.indptr) and np.array_equal(got.indices, want.indices)
        assert np.array_equal(got.data, want.data)
