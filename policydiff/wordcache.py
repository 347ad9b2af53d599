"""Where jieba keeps its dictionary cache: a folder only this user can write, never the shared temp dir.

jieba loads ``jieba.cache`` from ``tempfile.gettempdir()`` by default and trusts it (it is a
marshal dump of the word frequencies): anyone who can write /tmp could plant one that crashes
every comparison or silently changes every word-level diff. classify initialises jieba; this
runs first and points it at ``$XDG_CACHE_HOME/policydiff`` (``~/.cache/policydiff``), or, when
that folder is not safely ours, at a fresh private temp folder (no cache reused at all).
"""

from __future__ import annotations

import atexit
import functools
import os
import shutil
import stat
import tempfile


def cache_home() -> str:
    """policydiff's folder under the user's cache dir (XDG_CACHE_HOME, else ~/.cache)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "policydiff")


def _private(folder: str) -> bool:
    """Does ``folder`` exist (created if need be), belong to us, and stay closed to others?"""
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        st = os.lstat(folder)
    except OSError:
        return False
    return (stat.S_ISDIR(st.st_mode) and st.st_uid == os.geteuid()
            and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


@functools.lru_cache(maxsize=1)
def private_jieba_cache() -> str:
    """Point jieba's cache at a private folder (once per process); returns the folder."""
    import jieba

    folder = cache_home()
    if not _private(folder):
        # the user's cache dir is missing, shared or not ours: build the dictionary afresh
        # in a folder nobody else can have written to
        folder = tempfile.mkdtemp(prefix="policydiff-jieba-")
        atexit.register(shutil.rmtree, folder, True)
    jieba.dt.tmp_dir = folder
    jieba.dt.cache_file = "jieba.cache"
    return folder
