"""The masthead's clock ("Thứ Tư, 25/11/2026"), the bulletin's brand colour, and the page script.

The date is printed by the build (the site is rebuilt every hour), using the
same clock as the articles hook, so TOASOAN_NOW pins it in tests too.
"""

from __future__ import annotations

import hashlib

from toasoan.core.dates import now_in
from toasoan.core.colours import shades

SITE_JS = "javascripts/site.js"


def on_env(state, env, config, files):
    site = state.site   # checked by articles.on_config, which runs first
    env.globals["build_now"] = now_in(site)
    env.globals["bulletin_tz"] = site.timezone
    env.globals["brand"] = {"colour": site.brand_colour, "shades": shades(site.brand_colour)}
    # javascripts/site.js (the package's, or a province's override) is loaded as site.js?v=<hash>:
    # a browser never keeps running an older copy against newer pages.
    script = files.get_file_from_path(SITE_JS)
    if script is not None:
        env.globals["site_js_version"] = hashlib.sha256(script.content_bytes).hexdigest()[:12]
    return env
