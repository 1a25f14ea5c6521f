"""Files in the per-machine cache folder (compact dictionaries, word lists,
langdetect tables): named by a checksum of what they are made from, written
atomically, and other versions removed once old."""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import zlib

# Other versions' files are kept this long: other installs (venvs,
# worktrees) may share the folder.
STALE_S = 30 * 86400


def checksum(data: bytes) -> str:
    """16 hex digits. Not hashlib: importing it (OpenSSL) costs ~4 MB of
    memory; two checksums and the caller's own fields do not collide by
    accident."""
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}"


def write_atomic(path: str, data: bytes) -> None:
    """Readers see the old file or the whole new one, never a part."""
    folder = os.path.dirname(path)
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix="." + os.path.basename(path)[:40] + "-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def remove_stale(current: str, prefix: str, suffix: str, max_age_s: float = STALE_S) -> None:
    """Remove the files next to `current` named prefix...suffix that are
    not it and older than max_age_s."""
    folder = os.path.dirname(current)
    for name in os.listdir(folder):
        other = os.path.join(folder, name)
        try:
            if (name.startswith(prefix) and name.endswith(suffix) and other != current
                    and time.time() - os.stat(other).st_mtime > max_age_s):
                os.unlink(other)
        except OSError:
            pass


def build_in_child(folder: str, code: str, args: list[str], timeout: float) -> bool:
    """Run `code` (with replycoach importable, args in sys.argv[1:]) in a
    quiet child process, so this process's heap never holds what building a
    cache file takes; True if it ran and exited 0."""
    os.makedirs(folder, exist_ok=True)
    if not os.access(folder, os.W_OK) or not sys.executable:
        return False
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    try:
        done = subprocess.run([sys.executable, "-c", code, *args], env=env, stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=timeout)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0
