"""MkDocs hook: the build's clock for the masthead ("Thứ Tư, 25/11/2026").

The date is printed by the build (the site is rebuilt every hour), using the
same clock as the articles hook, so TOASOAN_NOW pins it in tests too.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from toasoan.build import now_in  # noqa: E402
from toasoan.core.config import SiteConfig  # noqa: E402


def on_env(env, config, files):
    site = config.extra.get("bulletin_site") or SiteConfig.from_dict(config.extra.get("bulletin"))
    env.globals["build_now"] = now_in(site)
    env.globals["bulletin_tz"] = site.timezone
    return env
