"""MkDocs hook: articles, section/author/location/tag/archive pages, home page.

Thin on purpose: reading and relating live in ``toasoan``; this file only
turns their results into MkDocs files and template context.
"""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.exceptions import Abort
from mkdocs.structure.files import File, InclusionLevel

from toasoan import build as building
from toasoan.mkdocs import pagecache
from toasoan.reading.stored import ArticleStore
from toasoan.reading.archive import CALENDAR_URL, KIND_LABEL, day_url, front_page
from toasoan.core.config import ConfigError, SiteConfig
from toasoan.core.dates import DAY, LONG, SHORT, vn_date
from toasoan.core.problems import Problems
from toasoan.reading.plain import excerpt
from toasoan.publishing.sanitize import Sanitizer, locate

log = logging.getLogger("mkdocs.hooks.articles")
_PAGES_DIR = Path(__file__).resolve().parent / "pages"
_PAGES = ("tim-kiem.md",)   # pages every site has, shipped with the package
CALENDAR_SRC = CALENDAR_URL + "index.md"
ARTICLE_STORE = "articles.bin"   # in the page cache's folder, outside its site key's: never published
# A summary on a list's card: cut at a word, with "…" (partials/card.html). About two lines
# beside the photo; the whole summary (often 300 characters) was a third of a listing page.
CARD_SUMMARY = 160
PAGE_TEMPLATES = ("article.html", "listing.html")   # an article's, a listing's (on_page_read_source)


def on_config(state, config):
    # Articles never go in the nav: a nav of 10,000 pages is quadratic to build.
    try:
        site = SiteConfig.from_dict(config.extra.get("bulletin"))
    except ConfigError as e:
        raise Abort(f"lỗi: {e}") from None
    _one_name(site, config)
    config.extra["bulletin_site"] = site
    state.site = site
    state.guard = Sanitizer(urlsplit(config.site_url or "").hostname or "", site.embed_hosts)
    # One tab per section, right after the home page.
    nav = list(config.nav or [{"Trang chủ": "index.md"}])
    config.nav = nav[:1] + [{s.name: f"{s.slug}/index.md"} for s in site.sections] + nav[1:]
    return config


def _one_name(site, config) -> None:
    """The publication has one name, ``site_name``: masthead, footer, feeds, JSON-LD and <title>.

    ``extra.bulletin.name`` and ``publisher.name`` could disagree with it; both still
    work for a while (the masthead and publisher then use them) but each gets a warning.
    """
    bulletin = config.extra.get("bulletin") or {}
    publisher = bulletin.get("publisher") if isinstance(bulletin.get("publisher"), dict) else {}
    for where, given in (("extra.bulletin.name", bulletin.get("name")), ("publisher.name", publisher.get("name"))):
        if given is not None:
            site.notes.append(("cảnh báo", "name", f"'{where}' là tên cũ: tên của báo nay chỉ là site_name",
                               f"xoá dòng này và viết tên báo ở 'site_name: …' ({config.site_name})"))
    site.name = str(bulletin.get("name") or config.site_name)


def on_files(state, files, config):
    root = Path(config.config_file_path).resolve().parent
    cache = stored = None
    if state.session is not None:   # toasoan serve: the files read before, in memory
        cache = state.session.reads
    elif pagecache.wanted(state):    # the hourly build: the articles read by the last build, on disk
        cache = stored = ArticleStore(root / pagecache.CACHE_DIR / ARTICLE_STORE, pagecache.reading_key(config))
    build = state.build = building.prepare(root, state.site, preview=state.preview, cache=cache)
    if stored is not None:
        stored.save()
        log.info(f"Bộ nhớ đệm bài viết: dùng lại {stored.hits} bài đã đọc, đọc mới {stored.made} bài")
    for problem in build.problems.sorted():
        (log.error if problem.level == "lỗi" else log.warning)(str(problem))
    log.info(build.summary())
    if build.problems.errors and not build.preview:
        raise Abort(f"Dừng: {len(build.problems.errors)} lỗi trong bài viết (xem danh sách ở trên).")

    state.pages.clear()
    made = _Generated(config, state.session)
    for article in build.shown:
        files.append(made(article.src_uri, abs_src_path=str(article.path)))
        state.pages[article.src_uri] = article
    for name in _PAGES:  # the search page… unless the site wrote its own in docs/
        if files.get_file_from_path(name) is None:
            files.append(made(name, content=(_PAGES_DIR / name).read_text(encoding="utf-8")))
    taken = files.src_uris   # a lookup without get_file_from_path's parsing: src_uri is POSIX already
    for page in build.archive.pages():
        if page.src_uri in taken:
            continue  # a page in docs/ (e.g. a hand-written section intro) wins
        files.append(made(page.src_uri, content=""))
        state.pages[page.src_uri] = page
    if files.get_file_from_path(CALENDAR_SRC) is None:
        files.append(made(CALENDAR_SRC, content=""))
    made.keep()
    return files


class _Generated:
    """MkDocs' File of each generated page; a preview keeps them from one save to the next.

    Making 17,000 of them (each works out its URL and output path) was a fifth of a
    save at 10,000 articles; a kept one is the same file for the same settings (the
    preview drops them when the settings change), minus the Page of the last state. It
    keeps its output path too (``dest_uri``, worked out once), which the preview maps.
    """

    def __init__(self, config, session):
        self.config = config
        self.kept = session.files if session is not None else None
        self.used: dict[tuple, File] = {}

    def __call__(self, src_uri: str, *, abs_src_path: str | None = None, content: str | None = None) -> File:
        key = (src_uri, abs_src_path, content)
        file = self.kept.get(key) if self.kept is not None else None
        if file is None:
            file = File.generated(self.config, src_uri, abs_src_path=abs_src_path, content=content,
                                  inclusion=InclusionLevel.NOT_IN_NAV)
        else:
            file.page, file.inclusion = None, InclusionLevel.NOT_IN_NAV
        self.used[key] = file
        return file

    def keep(self) -> None:
        """Keep only this state's files (a deleted article's goes)."""
        if self.kept is not None:
            self.kept.clear()
            self.kept.update(self.used)


def on_page_read_source(state, page, config):
    if page.file.src_uri == CALENDAR_SRC and state.build is not None:
        return "---\ntemplate: calendar.html\ntitle: Lưu trữ\nhide: [navigation, toc]\n---\n"
    article = state.pages.get(page.file.src_uri)
    if article is not None and hasattr(article, "body"):
        # An empty YAML block stops MkDocs reading "Key: value" lines as metadata.
        return f"---\ntemplate: {PAGE_TEMPLATES[0]}\n---\n" + article.body
    if article is not None:
        return f"---\ntemplate: {PAGE_TEMPLATES[1]}\n---\n"
    return None


def on_page_markdown(state, markdown, page, config, files):
    item = state.pages.get(page.file.src_uri)
    if item is not None:
        page.meta.setdefault("hide", ["navigation", "toc"])
        page.title = item.title
    return markdown


# What the reporter is told to do about each kind of thing the guard removed.
_FIXES = {
    "thẻ": "xoá thẻ này khỏi bài; muốn nhúng video hay bản đồ, nhờ kỹ thuật viên thêm máy chủ "
           "vào 'embed_hosts' trong mkdocs.yml",
    "thuộc tính": "xoá thuộc tính này: bài viết không tự định dạng hay chạy mã; trình bày do giao diện của trang lo",
    "liên kết": "chỉ dùng liên kết bắt đầu bằng http://, https://, mailto: hoặc tel:, hoặc đường dẫn trong trang",
    "tài nguyên": "đặt ảnh vào thư mục images/ và chèn bằng ![Mô tả](năm/tháng/tệp.jpg \"Chú thích. Ảnh: Tác giả\")",
    "lớp": "bỏ lớp (class) này: chỉ giao diện của trang mới định kiểu",
    "mã định danh": "đổi tên id này (trang đã dùng tên đó)",
}


def on_page_content(state, html, page, config, files):
    """The guard: every article's HTML passes the allowlist; what it removed is reported."""
    article = state.pages.get(page.file.src_uri)
    if article is None or not hasattr(article, "body") or state.guard is None:
        return html
    safe, removed = state.guard.clean(html)
    found = Problems()
    for removal in removed:
        found.warning(article.path, article.body_line + locate(article.body, removal.needles),
                      f"đã bỏ {removal.what} khỏi bài khi xuất bản",
                      next((f for k, f in _FIXES.items() if removal.what.startswith(k)), ""))
    for problem in found.items:  # a warning: `mkdocs build --strict` (CI) stops on it
        log.warning(str(problem))
    return safe


def on_page_context(state, context, page, config, nav):
    build = state.build
    item = state.pages.get(page.file.src_uri)
    context["archive"] = build.archive if build else None
    if page.is_homepage and build is not None:
        context["home"] = front_page(build.archive)
    if item is None:
        return context
    if hasattr(item, "body"):
        context["article"] = item
    else:
        context["listing_page"] = item
    return context


def on_env(state, env, config, files):
    build = state.build
    env.filters["vn_date"] = lambda dt, pattern=None: vn_date(dt, pattern or LONG)
    env.filters["vn_day"] = lambda dt: vn_date(dt, DAY)
    env.filters["vn_short"] = lambda dt: vn_date(dt, SHORT)
    env.filters["excerpt"] = excerpt
    env.globals["CARD_SUMMARY"] = CARD_SUMMARY
    env.globals["kind_label"] = KIND_LABEL
    env.globals["day_url"] = day_url
    env.globals["calendar_url"] = CALENDAR_URL
    # The 404 page has no page context: it reads the latest articles from here.
    env.globals["latest_articles"] = lambda count: build.archive.latest(count) if build else []
    env.globals["listing_url"] = lambda kind, name: (
        (l.base_url if (l := build.archive.listing(kind, name)) else None) if build else None)
    env.globals["section_name"] = lambda slug: next(
        (s.name for s in state.site.sections if s.slug == slug), "")
    return env
