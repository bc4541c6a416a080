"""The masthead's clock ("Thứ Tư, 25/11/2026"), the bulletin's brand colour, the page script,
and the page's one stylesheet.

The date is printed by the build (the site is rebuilt every hour), using the
same clock as the articles hook, so TOASOAN_NOW pins it in tests too.
"""

from __future__ import annotations

import hashlib
import posixpath
import re

from mkdocs.structure.files import File

from toasoan.core.dates import now_in
from toasoan.core.colours import shades

SITE_JS = "javascripts/site.js"
# Material's stylesheet and its palette (the light and dark schemes), then the site's own,
# are one file: one <link> on every page instead of three (≈ 165 bytes of each page's HTML),
# named by its content so a browser or CDN may keep it for ever (tools/s3deploy.py).
MATERIAL_CSS = re.compile(r"assets/stylesheets/main\.[0-9a-f]{8}\.min\.css")
PALETTE_CSS = re.compile(r"assets/stylesheets/palette\.[0-9a-f]{8}\.min\.css")
BUNDLED = ("stylesheets/bulletin.css",)   # of extra_css, the sheets the bundle takes in (in this order)
BUNDLE = "assets/stylesheets/site.{}.css"
_URL = re.compile(r"""url\(\s*(['"]?)([^'")]*)\1\s*\)""")
_CHARSET = re.compile(r'@charset\s+"[^"]*";\s*', re.I)


def on_files(state, files, config):
    """Add the bundle (Material's sheet, its palette when the theme has one, bulletin.css) to the site.

    The parts stay published too (a province's own template may link one). No bundle when
    Material's sheet is not found (another Material version names it otherwise): the page
    then links the three sheets as before.
    """
    state.stylesheet = None
    by_uri = {f.src_uri: f for f in files}
    main = next((f for uri, f in by_uri.items() if MATERIAL_CSS.fullmatch(uri)), None)
    if main is None:
        return files
    parts = [main]
    if config.theme.get("palette"):
        palette = next((f for uri, f in by_uri.items() if PALETTE_CSS.fullmatch(uri)), None)
        if palette is None:
            return files
        parts.append(palette)
    for uri in BUNDLED:
        if uri in config.extra_css:
            if uri not in by_uri:
                return files
            parts.append(by_uri[uri])
    folder = posixpath.dirname(BUNDLE)
    texts = []
    for i, f in enumerate(parts):
        text = f.content_string
        if i:   # one @charset, at the very start (a later one is ignored anyway)
            text = _CHARSET.sub("", text)
        texts.append(_moved(text, posixpath.dirname(f.src_uri), folder))
    content = "\n".join(texts)
    name = BUNDLE.format(hashlib.sha256(content.encode("utf-8")).hexdigest()[:10])
    files.append(File.generated(config, name, content=content))
    state.stylesheet = (name, tuple(uri for uri in BUNDLED if uri in config.extra_css))
    return files


def _moved(css: str, was: str, now: str) -> str:
    """``css``'s relative url()s, written for a sheet in ``was/``, pointed at the same files from ``now/``."""
    def fix(m: re.Match) -> str:
        quote, url = m.group(1), m.group(2)
        if not url or url.startswith(("data:", "#", "/")) or "://" in url:
            return m.group(0)
        target = posixpath.normpath(posixpath.join(was, url))
        return f"url({quote}{posixpath.relpath(target, now)}{quote})"
    return _URL.sub(fix, css)


def on_env(state, env, config, files):
    site = state.site   # checked by articles.on_config, which runs first
    # The clock the articles' statuses were decided by: one instant for the whole build.
    env.globals["build_now"] = state.build.now if state.build is not None and state.build.now else now_in(site)
    env.globals["bulletin_tz"] = site.timezone
    env.globals["brand"] = {"colour": site.brand_colour, "shades": shades(site.brand_colour)}
    # javascripts/site.js (the package's, or a province's override) is loaded as site.js?v=<hash>:
    # a browser never keeps running an older copy against newer pages.
    script = files.get_file_from_path(SITE_JS)
    if script is not None:
        env.globals["site_js_version"] = hashlib.sha256(script.content_bytes).hexdigest()[:12]
    if state.stylesheet:
        env.globals["site_css"], env.globals["site_css_parts"] = state.stylesheet
    else:
        env.globals.pop("site_css", None)
        env.globals.pop("site_css_parts", None)
    return env
