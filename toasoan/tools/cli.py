"""The reporter's tools: ``toasoan new|check|import|serve|build``.

Each command is a thin wrapper: ``check`` runs the build's own reading stage
(:func:`toasoan.build.prepare`), ``serve`` and ``build`` run MkDocs itself.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

from ..tools import deploy
from ..core.config import ConfigError, load_site
from ..core.problems import ERROR

PROG = "toasoan"

MAIN_HELP = """\
Công cụ cho phóng viên và biên tập viên: tạo bài, kiểm tra bài, nhập bài từ
trang cũ, xem trước và dựng trang. Chạy trong thư mục có tệp mkdocs.yml
(hoặc chỉ thư mục đó bằng --root).

Ví dụ:
  toasoan new "Ba Bể khai mạc Tuần văn hóa du lịch" --section "Văn hóa" --location "Ba Bể"
  toasoan check
  toasoan import bai-cu/ --year 2022 --images anh-cu/
  toasoan serve
  toasoan build
"""

NEW_HELP = """\
Tạo tệp bài mới articles/NĂM/THÁNG/<đường-dẫn>.md với phần đầu bài điền sẵn
(ngày giờ hiện tại theo giờ Việt Nam, đường dẫn tạo từ tiêu đề) và in đường dẫn
tệp. Bài mới là bài nháp (draft: true): xoá dòng đó khi bài sẵn sàng đăng.
Không bao giờ ghi đè bài đã có.

Tên tác giả: --author, nếu không có thì biến môi trường TOASOAN_AUTHOR,
nếu không có nữa thì extra.bulletin.default_author trong mkdocs.yml.

Ví dụ:
  toasoan new "Chợ Mới ra quân trồng rừng" --section "Kinh tế" --location "Chợ Mới"
  toasoan new "Hội nghị Ban Chấp hành" --section chinh-tri --location "Thành phố Bắc Kạn" \\
      --author "Minh Đức, Hoàng Anh" --date "2026-11-20 08:30"
"""

CHECK_HELP = """\
Kiểm tra mọi bài và ảnh đúng như khi dựng trang (cùng một mã), liệt kê mọi lỗi
kèm tệp:dòng và cách sửa. Mã thoát 1 khi có lỗi (hoặc có cảnh báo, với --strict),
0 khi không có lỗi.

Ví dụ:
  toasoan check
  toasoan check --strict
  toasoan check --json > ket-qua.json
"""

IMPORT_HELP = """\
Nhập bài từ trang cũ (văn bản thuần, mỗi bài một tệp .txt): dòng đầu là tiêu đề,
ngày tháng lấy từ đầu đoạn mở đầu ("Sáng 13/01, …"; năm lấy từ --year), tên tác
giả ở dòng cuối, mỗi chú thích ảnh (viết hai lần liền nhau) thành một ảnh.
Buổi → giờ: rạng sáng 06:00, sáng 08:00, trưa 11:30, chiều 15:00, tối 19:30,
đêm 21:00, khuya 23:00; không ghi buổi: 08:00 (có báo).
Không thấy ngày tháng hoặc tên tác giả: bài được nhập thành bài nháp (draft: true)
và được báo để sửa tay. Không bao giờ ghi đè bài đã có.

Ảnh (--images THƯ-MỤC): ảnh của tệp bai-a.txt là các ảnh trong THƯ-MỤC/bai-a/,
hoặc THƯ-MỤC/bai-a-1.jpg, bai-a-2.jpg …, ghép theo thứ tự với các chú thích,
rồi được chép vào images/imported/NĂM/THÁNG/. Nhập một tệp duy nhất thì mọi ảnh
trong THƯ-MỤC được dùng theo thứ tự tên. Chú thích không có ảnh nhận đường dẫn
tạm chua-co-anh/…, và lệnh check sẽ báo thiếu ảnh.

Ví dụ:
  toasoan import trang-cu/2022/ --year 2022 --images trang-cu/anh-2022/
  toasoan import bai-mot.txt bai-hai.txt --year 2021 --section "Chính trị"
  toasoan import trang-cu/ --year 2022 --dry-run
"""


INIT_HELP = """\
Tạo trang cho một tòa soạn mới trong THƯ-MỤC: mkdocs.yml (tên báo, chuyên mục,
địa phương, thông tin cơ quan báo để điền), docs/ (trang chủ, trang giới thiệu,
logo tạm), articles/ với một bài chào mừng, images/, hooks/, requirements.txt ghim
phiên bản Tòa soạn này, quy trình CI .github/workflows/site.yml và README ngắn.
Trang không chứa mã, mẫu trang hay CSS của Tòa soạn: chúng nằm trong gói đã cài.
Không bao giờ ghi vào thư mục đã có.

Ví dụ:
  toasoan init bao-thai-nguyen --name "Báo Thái Nguyên" --province "Thái Nguyên"
  toasoan init bao-lao-cai --name "Báo Lào Cai" --province "Lào Cai" \\
      --sections "Thời sự, Kinh tế, Văn hóa" --places "Sa Pa, Bắc Hà" --url https://baolaocai.vn/
"""


# argparse's own messages, for the few mistakes reporters make.
_ARGPARSE_VI = [
    (r"the following arguments are required: ", "thiếu: "),
    (r"unrecognized arguments: ", "không hiểu: "),
    (r"invalid choice: (.*) \(choose from (.*)\)", r"không có lệnh \1 (chọn một trong: \2)"),
    (r"invalid int value: (.*)", r"\1 không phải một số"),
    (r"expected one argument", "cần một giá trị"),
    (r"^argument ", "tham số "),
]


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, "Cách dùng: " if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "Tham số"
        self._optionals.title = "Tuỳ chọn"
        self.add_argument("-h", "--help", action="help", help="in hướng dẫn này rồi thoát")

    def error(self, message):
        for english, vietnamese in _ARGPARSE_VI:
            message = re.sub(english, vietnamese, message)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: lỗi: {message}\n")


def make_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog=PROG, description=MAIN_HELP)
    commands = parser.add_subparsers(dest="command", metavar="LỆNH", title="Các lệnh",
                                     parser_class=_Parser)
    root = argparse.ArgumentParser(add_help=False)  # options every command shares
    root.add_argument("--root", default=".", metavar="THƯ-MỤC",
                      help="thư mục của trang (có tệp mkdocs.yml); mặc định: thư mục hiện tại")

    new = commands.add_parser("new", parents=[root], help="tạo bài mới", description=NEW_HELP)
    new.add_argument("title", metavar="TIÊU-ĐỀ", help="tiêu đề bài, trong ngoặc kép")
    new.add_argument("--section", metavar="CHUYÊN-MỤC", help="tên hoặc đường dẫn chuyên mục, ví dụ \"Kinh tế\"")
    new.add_argument("--location", metavar="ĐỊA-PHƯƠNG", help="một địa phương trong extra.bulletin.places, ví dụ \"Ba Bể\"")
    new.add_argument("--author", metavar="TÊN", help="tác giả; nhiều người: \"Minh Đức, Hoàng Anh\"")
    new.add_argument("--date", metavar="NGÀY-GIỜ", help="ngày giờ đăng \"2026-11-20 08:30\"; mặc định: bây giờ")
    new.add_argument("--slug", metavar="ĐƯỜNG-DẪN", help="đường dẫn khác với đường dẫn tạo từ tiêu đề")
    new.add_argument("--no-draft", dest="draft", action="store_false",
                     help="không đánh dấu bài nháp (bài sẽ đăng ở lần dựng tới)")

    check = commands.add_parser("check", parents=[root], help="kiểm tra mọi bài và ảnh",
                                description=CHECK_HELP)
    check.add_argument("--json", action="store_true", help="in kết quả dạng JSON (cho CI)")
    check.add_argument("--strict", action="store_true",
                       help="coi cảnh báo là lỗi (như mkdocs build --strict)")

    imp = commands.add_parser("import", parents=[root], help="nhập bài từ trang cũ",
                              description=IMPORT_HELP)
    imp.add_argument("sources", nargs="+", metavar="TỆP-HOẶC-THƯ-MỤC", help="tệp .txt hoặc thư mục chứa chúng")
    imp.add_argument("--year", type=int, required=True, metavar="NĂM", help="năm của các bài, ví dụ 2022")
    imp.add_argument("--images", metavar="THƯ-MỤC", help="thư mục ảnh của các bài cũ")
    imp.add_argument("--out", metavar="THƯ-MỤC", help="nơi ghi bài; mặc định: articles/ của trang")
    imp.add_argument("--section", metavar="CHUYÊN-MỤC", help="chuyên mục cho mọi bài nhập")
    imp.add_argument("--author", metavar="TÊN", help="tác giả khi tệp không ghi tên")
    imp.add_argument("--location", metavar="ĐỊA-PHƯƠNG",
                     help="địa phương khi đoạn mở đầu không nêu địa phương nào (mặc định: tên tỉnh)")
    imp.add_argument("--dry-run", action="store_true", help="chỉ báo sẽ làm gì, không ghi tệp nào")

    serve = commands.add_parser("serve", parents=[root], help="xem trước trang và trang viết bài /admin/",
                                description="Xem trước trang: hiện cả bài nháp và bài hẹn giờ; lưu bài là "
                                "trang tự tải lại sau chừng một, hai giây (mỗi trang chỉ dựng khi được mở). "
                                "Bài có lỗi hiện thành trang liệt kê lỗi (tệp:dòng, cách sửa) thay cho bài. "
                                "Cùng lúc chạy máy chủ cục bộ của trang viết bài (Decap CMS, "
                                "http://127.0.0.1:8000/admin/), không cần tài khoản. Ctrl-C dừng tất cả."
                                "\n\nVí dụ:\n  toasoan serve\n"
                                "  toasoan serve --no-cms -a 0.0.0.0:8000")
    serve.add_argument("-a", "--dev-addr", metavar="MÁY:CỔNG", default=None,
                       help="địa chỉ xem trước (mặc định dev_addr trong mkdocs.yml, 127.0.0.1:8000)")
    serve.add_argument("--no-cms", dest="cms", action="store_false",
                       help="không chạy máy chủ cục bộ của trang viết bài")
    serve.add_argument("--cms-port", type=int, metavar="CỔNG",
                       help="cổng của máy chủ viết bài (mặc định extra.bulletin.cms.port, 8081)")
    serve.add_argument("extra", nargs=argparse.REMAINDER,
                       help="(cách viết cũ) tuỳ chọn của mkdocs serve sau --: chỉ -a MÁY:CỔNG còn dùng")
    mk = commands.add_parser("build", parents=[root], help="dựng trang (mkdocs build --strict)",
                             description="Chạy mkdocs build --strict: dựng trang vào site/, dừng khi có "
                             "lỗi hoặc cảnh báo. site/ chỉ được thay khi dựng xong (kèm bản kê "
                             ".toasoan-manifest.json); khi lỗi, site/ cũ giữ nguyên."
                             "\n\nVí dụ:\n  toasoan build")
    mk.add_argument("extra", nargs=argparse.REMAINDER, help="tuỳ chọn chuyển cho mkdocs build, sau --")
    init = commands.add_parser("init", help="tạo trang cho một tòa soạn mới", description=INIT_HELP)
    init.add_argument("folder", metavar="THƯ-MỤC", help="thư mục mới của trang (chưa có, hoặc trống)")
    init.add_argument("--name", required=True, metavar="TÊN-BÁO", help='tên báo, ví dụ "Báo Thái Nguyên"')
    init.add_argument("--province", required=True, metavar="TỈNH", help='tên tỉnh, ví dụ "Thái Nguyên"')
    init.add_argument("--sections", metavar="DANH-SÁCH", help="các chuyên mục, cách nhau bằng dấu phẩy")
    init.add_argument("--places", metavar="DANH-SÁCH", help="các địa phương (xã, phường, huyện cũ), cách nhau bằng dấu phẩy")
    init.add_argument("--url", metavar="ĐỊA-CHỈ", help="địa chỉ trang, ví dụ https://baothainguyen.vn/")
    deploy.register(commands)  # deploy, rollback, releases (toasoan/deploy.py)
    return parser


def _say(text: str = "", err: bool = False) -> None:
    print(text, file=sys.stderr if err else sys.stdout)


def _load(root: Path):
    try:
        return load_site(root)
    except FileNotFoundError as e:
        _say(f"lỗi: {e} — Cách sửa: chạy lệnh trong thư mục của trang, hoặc thêm --root THƯ-MỤC", err=True)
        return None
    except ConfigError as e:
        _say(f"lỗi: {e}", err=True)
        return None


def cmd_new(args) -> int:
    from .newarticle import NewArticleError, create
    root = Path(args.root)
    site = _load(root)
    if site is None:
        return 1
    try:
        new = create(root, site, args.title, args.section, args.location, author=args.author,
                     date=args.date, slug=args.slug, draft=args.draft)
    except NewArticleError as e:
        _say(f"lỗi: {e.message}" + (f" — Cách sửa: {e.fix}" if e.fix else ""), err=True)
        return 1
    for note in new.notes:
        _say(f"lưu ý: {note}", err=True)
    print(new.path.as_posix())
    return 0


def cmd_init(args) -> int:
    from .init import InitError, create, plan
    split = lambda text: [t for t in (text or "").split(",") if t.strip()] or None  # noqa: E731
    try:
        site = plan(Path(args.folder), args.name, args.province, split(args.sections),
                    split(args.places), args.url)
        written = create(site)
    except InitError as e:
        _say(f"lỗi: {e.message}" + (f" — Cách sửa: {e.fix}" if e.fix else ""), err=True)
        return 1
    _say(f"Đã tạo trang {site.name} trong {site.folder} ({len(written)} tệp).")
    _say(f"Tiếp theo: cd {site.folder} && toasoan serve   (xem trước tại http://127.0.0.1:8000/)")
    return 0


def cmd_check(args) -> int:
    root = Path(args.root)
    site = _load(root)
    if site is None:
        return 1
    from .. import build as building  # here, not at the top: `new` must not load Pillow
    result = building.prepare(root, site, preview=False)
    problems = result.problems.sorted()
    errors = sum(1 for p in problems if p.level == ERROR)
    warnings = len(problems) - errors
    failed = errors > 0 or (args.strict and warnings > 0)
    if args.json:
        print(json.dumps({
            "ok": not failed, "errors": errors, "warnings": warnings,
            "articles": {"read": len(result.articles) + result.unreadable,
                         "published": result.count("published"), "draft": result.count("draft"),
                         "scheduled": result.count("scheduled"), "unreadable": result.unreadable},
            "problems": [p.as_dict() for p in problems],
        }, ensure_ascii=False, indent=2))
        return 1 if failed else 0
    for problem in problems:
        print(problem)
    print(result.summary())
    if failed:
        print(f"Kết quả: {errors} lỗi, {warnings} cảnh báo — sửa các dòng trên rồi chạy lại lệnh check.")
    else:
        print("Kết quả: không có lỗi" + (f", {warnings} cảnh báo." if warnings else "."))
    return 1 if failed else 0


def cmd_import(args) -> int:
    from .importer import import_files
    root = Path(args.root)
    site = _load(root)
    if site is None:
        return 1
    if not 1900 <= args.year <= 2100:
        _say(f"lỗi: năm {args.year} không hợp lệ — Cách sửa: viết đủ bốn chữ số, ví dụ --year 2022", err=True)
        return 1
    sources = [Path(s) for s in args.sources]
    absent = [s for s in sources if not s.exists()]
    if absent:
        _say(f"lỗi: không thấy {', '.join(map(str, absent))}", err=True)
        return 1
    images = Path(args.images) if args.images else None
    if images is not None and not images.is_dir():
        _say(f"lỗi: --images {images} không phải thư mục", err=True)
        return 1
    try:
        report = import_files(sources, args.year, root, site, out=Path(args.out) if args.out else None,
                              images=images, section=args.section, author=args.author,
                              location=args.location, dry_run=args.dry_run)
    except ValueError as e:
        fix = getattr(e, "fix", "")
        _say(f"lỗi: {e}" + (f" — Cách sửa: {fix}" if fix else ""), err=True)
        return 1
    for item in report.written:
        mark = " (nháp)" if item.draft else ""
        print(f"{item.source.as_posix()} → {item.path.as_posix()}{mark}")
    for problem in report.problems.sorted():
        print(problem)
    print(("[thử, không ghi tệp] " if args.dry_run else "") + report.summary())
    return 1 if report.problems.errors else 0


def _mkdocs(args, command: list[str], preview: bool, env: dict | None = None) -> int:
    config = Path(args.root) / "mkdocs.yml"
    extra = [a for a in (args.extra or []) if a != "--"]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
    if preview:
        env["TOASOAN_PREVIEW"] = "1"
    cmd = [sys.executable, "-m", "mkdocs", *command, "-f", str(config), *extra]
    try:
        return subprocess.call(cmd, env=env)
    except KeyboardInterrupt:
        return 0


def _address(args) -> tuple[str, int] | None:
    """HOST:PORT from -a, else dev_addr in mkdocs.yml, else 127.0.0.1:8000."""
    given = args.dev_addr
    extra = [a for a in (args.extra or []) if a not in ("--", "--no-livereload")]
    while extra:   # the old spelling, `serve -- -a HOST:PORT`
        option = extra.pop(0)
        if option in ("-a", "--dev-addr") and extra:
            given = extra.pop(0)
        elif option.startswith("--dev-addr="):
            given = option.split("=", 1)[1]
        else:
            _say(f"lỗi: không hiểu tuỳ chọn '{option}' — Cách sửa: toasoan serve -a MÁY:CỔNG "
                 "(xem toasoan serve --help)", err=True)
            return None
    if given is None:
        from ..core.config import load_mkdocs
        given = str(load_mkdocs(Path(args.root)).get("dev_addr") or "127.0.0.1:8000")
    host, _, port = given.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        _say(f"lỗi: địa chỉ '{given}' không hợp lệ — Cách sửa: viết dạng MÁY:CỔNG, ví dụ -a 127.0.0.1:8000",
             err=True)
        return None
    return host.strip("[]"), int(port)


def _preview(args, address) -> int:
    from ..mkdocs import preview
    import logging
    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s -  %(message)s")
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    try:
        preview.serve(Path(args.root) / "mkdocs.yml", *address)
    except OSError as e:
        _say(f"lỗi: không mở được {address[0]}:{address[1]} ({e.strerror or e}) — Cách sửa: dừng chương "
             f"trình đang dùng cổng đó, hoặc chọn cổng khác: toasoan serve -a 127.0.0.1:8001", err=True)
        return 1
    except KeyboardInterrupt:
        pass
    except Exception as e:  # MkDocs' Abort: the stage already said what to fix
        from mkdocs.exceptions import Abort
        if not isinstance(e, Abort):
            raise
        _say(str(e.message if hasattr(e, "message") else e), err=True)
        return 1
    return 0


def cmd_serve(args) -> int:
    """The preview server (in this process), and beside it the CMS's local backend until it stops."""
    # A terminated serve (service manager, closed terminal) must leave no process behind:
    # exiting through Python runs the `finally` blocks that close the port and stop the backend.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGHUP, lambda *_: sys.exit(0))
    if _load(Path(args.root)) is None:
        return 1
    address = _address(args)
    if address is None:
        return 2
    if not args.cms:
        return _preview(args, address)
    from . import cms
    from ..core.config import load_mkdocs
    root = Path(args.root).resolve()
    try:
        settings = cms.CmsSettings.from_dict(((load_mkdocs(root).get("extra") or {}).get("bulletin") or {}).get("cms"))
    except cms.CmsSettingsError as e:
        _say(f"mkdocs.yml: lỗi: {e}", err=True)
        return 1
    port = args.cms_port or settings.port
    problem = cms.backend_problem(root)
    if problem:
        _say(f"cảnh báo: trang viết bài /admin/ không chạy: {problem} (thêm --no-cms để bỏ qua)", err=True)
        return _preview(args, address)
    (root / ".cache").mkdir(exist_ok=True)
    pid_file = root / ".cache" / "decap-server.pid"
    backend = None
    try:
        with open(root / ".cache" / "decap-server.log", "ab") as log:
            backend = cms.start_backend(root, port, log)
        pid_file.write_text(f"{backend.pid}\n", encoding="utf-8")  # its process group, for cleanup
        _say(f"Trang viết bài: /admin/ trên trang xem trước (máy chủ cục bộ 127.0.0.1:{port}, "
             f"nhật ký .cache/decap-server.log)", err=True)
        os.environ["TOASOAN_CMS_URL"] = f"http://127.0.0.1:{port}/api/v1"
        return _preview(args, address)
    finally:
        if backend is not None:
            cms.stop_backend(backend)
        pid_file.unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 2
    if args.command == "new":
        return cmd_new(args)
    if args.command == "init":
        return cmd_init(args)
    if args.command == "check":
        return cmd_check(args)
    if args.command == "import":
        return cmd_import(args)
    if args.command == "serve":
        code = cmd_serve(args)
        # Everything is stopped and the port closed: skip freeing the archive object by
        # object (100,000 articles: half a minute on a busy machine after Ctrl-C or SIGTERM).
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    if args.command in ("deploy", "rollback", "releases"):
        return deploy.run(args)
    return _mkdocs(args, ["build", "--strict"], preview=False)
