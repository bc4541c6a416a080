"""MkDocs hook: write the newsroom editor (/admin/, Decap CMS) into the built site.

Written when previewing (``toasoan serve``) and, when ``extra.bulletin.cms.publish``
is true, into the published site too. The logic lives in ``toasoan/cms.py``.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from mkdocs.exceptions import Abort

from toasoan.tools import cms

log = logging.getLogger("mkdocs.hooks.cms")


def on_post_build(state, config):
    preview = state.preview
    bulletin = config.extra.get("bulletin") or {}
    mkdocs = {"extra": {"bulletin": bulletin}, "site_url": config.site_url}
    try:
        settings = cms.CmsSettings.from_dict(bulletin.get("cms"))
        if not (preview or settings.publish):
            return
        root = Path(config.config_file_path).resolve().parent
        data = cms.cms_config(mkdocs, root, local_url=os.environ.get("TOASOAN_CMS_URL"))
        cms.write_admin(Path(config.site_dir), data, cms.script_settings(mkdocs, data))
    except cms.CmsSettingsError as e:
        raise Abort(f"mkdocs.yml: lỗi: {e}") from None
    except FileNotFoundError as e:
        if not preview:
            raise Abort(f"lỗi: {e}") from None
        log.info(f"Trang viết bài /admin/ chưa có: {e}")  # serve says so itself; no --strict failure
