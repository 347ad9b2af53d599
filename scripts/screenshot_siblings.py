"""Render the siblings heat map of the 优化营商环境条例 family in headless Chromium and save the
top of the page as docs/siblings.png (the README's picture). Usage: python scripts/screenshot_siblings.py
Needs Chromium at /usr/bin/chromium and a CJK font (Debian: fonts-wqy-microhei), else the Chinese is boxes.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LINEAGE = ROOT.parent / "shared" / "corpus" / "lineage"
PARENT = LINEAGE / "national-china-2019-youhua-yingshang-huanjing-tiaoli.txt"
CHILDREN = [LINEAGE / f"province-{n}-youhua-yingshang-huanjing-tiaoli.txt"
            for n in ("henan-2020", "shandong-2020", "guangdong-2022", "beijing-2020")]


def main() -> int:
    from playwright.sync_api import sync_playwright

    out = ROOT / "docs" / "siblings.png"
    with tempfile.TemporaryDirectory() as tmp:
        page_path = Path(tmp) / "siblings.html"
        subprocess.run([sys.executable, "-m", "policydiff.cli", "siblings", str(PARENT), *map(str, CHILDREN),
                        "-o", str(page_path)], check=True)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium",
                                         args=["--headless", "--no-sandbox", "--disable-gpu",
                                               "--disable-background-networking"])
            page = browser.new_page(viewport={"width": 1100, "height": 640})
            page.goto(page_path.as_uri())
            page.screenshot(path=str(out))
            browser.close()
    print(f"wrote {out} ({out.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
