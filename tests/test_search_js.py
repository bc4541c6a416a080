"""The browser's search.js against its Python twin, run in Node (tests/js/run_search.js).

The site ranks in the browser; toasoan/search/query.py ranks the same index in
Python for tests and benchmarks. Both read one real multi-shard index here and
must give the same ids in the same order, so a change to either side alone fails.
"""

import json
import random
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from toasoan.search import index as index_module
from toasoan.search.index import SearchDoc, write_index
from toasoan.search.query import Index, lookup
from toasoan.search.tokens import term_hash

ROOT = Path(__file__).resolve().parent.parent
SEARCH_JS = ROOT / "toasoan" / "mkdocs" / "theme" / "javascripts" / "search.js"
RUNNER = Path(__file__).resolve().parent / "js" / "run_search.js"
VECTORS = Path(__file__).resolve().parent / "vectors" / "fold.json"
NODE = shutil.which("node")

# Words of a provincial bulletin; several fold alike ("đảng"/"đang", "hoà"/"hòa").
WORDS = ("tổ chức|Đảng ủy|đang|đảng bộ|nông thôn mới|Bắc Kạn|Chợ Đồn|Ba Bể|hoà bình|hòa giải|"
         "uỷ ban|ủy ban nhân dân|hợp tác xã|thu hoạch|lúa|kinh tế|xã hội|giao thông|trường học|"
         "y tế|phát triển|người dân|cán bộ|hội nghị|triển khai|nhiệm vụ|đường|làm đường|chợ|"
         "xã|huyện|tỉnh|năm|mới|thôn|bản|rừng|cây|khoẻ|khỏe|sức khoẻ|an toàn|bầu cử|dân số").split("|")
RARE = ["Pác Nặm", "Na Rì", "Ngân Sơn", "Đồng Hỷ", "thuỷ lợi", "thủy điện"]  # in a few articles only
PUNCT = ["", "", "", ",", ".", ";", " –"]
QUERIES = [
    "to chuc", "tổ chức", "Tổ Chức", "dang uy", "Đảng ủy", "ĐẢNG ỦY", "đang", "đảng", "dang",
    "hoà bình", "hòa bình", "hoa binh", "uỷ ban", "ủy ban nhân dân", "uy ban nhan dan",
    unicodedata.normalize("NFD", "Bắc Kạn"), unicodedata.normalize("NFD", "nông thôn mới"), "bac kan",
    "nong thon moi", "nong thn moi", "to chuk", "bac kna", "chuc", "thu hoach lua", "Ba Bể, lúa",
    "kinh tế xã hội", "giao thong", "xyz", "y te truong hoc", "Chợ Đồn", "suc khoe", "sức khỏe",
    "làm đường", "lam duong xa", "thuỷ lợi", "thủy", "Na Rì, Pác Nặm", "ngan son huyen", "",
]


def article(rng: random.Random, n: int) -> SearchDoc:
    def text(count):
        return " ".join(rng.choice(RARE if rng.random() < 0.02 else WORDS) + rng.choice(PUNCT)
                        for _ in range(count))
    year = 2024 - n * 6 // 400  # ids grow as dates go back (a site numbers oldest first: both ways work)
    title = text(rng.randint(3, 7)).rstrip(",.; –")
    return SearchDoc(title, f"{year}/{n}/", f"{year}-0{1 + n % 9}-1{n % 10}", n % 5 - 1, title[:40],
                     text(rng.randint(10, 120)))


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    rng = random.Random(2024)
    docs = [article(rng, n) for n in range(400)]
    folder = tmp_path_factory.mktemp("search-js") / "search"
    write_index(folder, docs, [("thoi-su", "Thời sự"), ("kinh-te", "Kinh tế"), ("xa-hoi", "Xã hội"),
                               ("van-hoa", "Văn hoá")])
    return Index(folder)


def run_js(folder: Path, request: dict) -> dict:
    assert NODE, "node is needed for the search.js tests"
    done = subprocess.run([NODE, str(RUNNER), str(SEARCH_JS), str(folder)], input=json.dumps(request),
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_index_is_large_enough_to_mean_something(index):
    m = index.manifest
    assert m["shards"] >= 16 and m["documents"] == 400
    # Some lists are capped at KEEP (the "may still hold it" rule is exercised) and some are not.
    lengths = []
    for word in ("xa", "to chuc", "pac nam", "thuy"):
        shard = term_hash(word) & (m["shards"] - 1)
        lengths.append(len(lookup((index.folder / "t" / f"{shard}.bin").read_bytes(), word)[1]))
    assert max(lengths) >= index_module.KEEP > min(lengths)


def test_js_ranks_like_python_on_a_multi_shard_index(index):
    got = run_js(index.folder, {"search": QUERIES})["search"]
    compared = 0
    for query, js in zip(QUERIES, got, strict=True):
        ids, full, phrase = index.results(query)
        assert js == {"ids": ids, "full": full, "phrase": sorted(phrase)}, query
        compared += len(ids)
    # The queries reach many documents, and cover full, partial and empty results.
    assert compared > 3000
    results = [index.results(q) for q in QUERIES]
    assert any(r[1] == 0 and r[0] for r in results) and any(0 < r[1] < len(r[0]) for r in results)
    assert any(r[2] for r in results) and any(not r[0] for r in results)


def test_js_query_terms_match_python(index):
    from toasoan.search.query import query_terms
    got = run_js(index.folder, {"terms": QUERIES})["terms"]
    assert got == [[list(t) for t in query_terms(q)] for q in QUERIES]


def test_js_folds_like_the_shared_vectors(index):
    vectors = json.loads(VECTORS.read_text(encoding="utf-8"))
    assert len(vectors["fold"]) + len(vectors["fold_syllable"]) >= 60
    texts = [i for i, _ in vectors["fold"]] + [i for i, _ in vectors["fold_syllable"]]
    syllables = [(i, o) for i, o in vectors["fold_syllable"] if i]   # "" folds to "" but is no query
    got = run_js(index.folder, {"fold": texts, "terms": [i for i, _ in syllables]})
    assert got["fold"] == [o for _, o in vectors["fold"]] + [o for _, o in vectors["fold_syllable"]]
    # A single syllable typed as a query folds the same way.
    assert [[t[1] for t in terms] for terms in got["terms"]] == [[o] for _, o in syllables]


def test_js_reads_the_format_the_index_writes(index):
    assert run_js(index.folder, {})["format"] == index.manifest["format"] == index_module.FORMAT


def test_js_refuses_an_index_of_another_format(index, tmp_path):
    other = tmp_path / "search"
    shutil.copytree(index.folder, other)
    manifest = json.loads((other / "manifest.json").read_text(encoding="utf-8"))
    manifest["format"] = index_module.FORMAT + 1
    (other / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    got = run_js(other, {"search": ["bac kan"]})["search"]
    assert got == [{"error": f"index format {index_module.FORMAT + 1}, script reads {index_module.FORMAT}"}]
