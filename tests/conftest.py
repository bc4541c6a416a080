import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


import pytest  # noqa: E402


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright, one per test module (tests/browsing.py has the flags)."""
    from playwright.sync_api import sync_playwright

    from browsing import launch
    with sync_playwright() as p:
        b = launch(p)
        yield b
        b.close()
