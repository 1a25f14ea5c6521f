"""glibc malloc settings for a long-running server (no-ops elsewhere).

- Arenas: glibc gives threads their own malloc arenas (up to 8 per core);
  waitress's 8 threads plus the spelling worker each kept freed memory in
  their own. Two arenas are enough for a server that mostly waits.
- Trim: freed memory at the top of the heap is returned by glibc, freed
  pages in the middle are not; malloc_trim(0) returns them (1-3 ms), so
  RSS follows what is really in use instead of the high-water mark. Every
  10 s: checks free and allocate a few MB a second.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import threading

_M_ARENA_MAX = -8

_libc = None
try:
    _name = ctypes.util.find_library("c")
    if _name and "libc.so" in _name:
        _libc = ctypes.CDLL(_name)
        _libc.malloc_trim  # glibc only  # noqa: B018
except (OSError, AttributeError):
    _libc = None

_started = False
_lock = threading.Lock()


def limit_arenas(n: int = 2) -> bool:
    """Call before threads start allocating (at server start)."""
    return bool(_libc is not None and _libc.mallopt(_M_ARENA_MAX, n))


def trim() -> bool:
    return bool(_libc is not None and _libc.malloc_trim(0))


def trim_periodically(every_s: float = 10.0) -> None:
    """A daemon thread that trims every `every_s` seconds (once per process)."""
    global _started
    with _lock:
        if _started or _libc is None:
            return
        _started = True
    stop = threading.Event()

    def run():
        while not stop.wait(every_s):
            trim()

    threading.Thread(target=run, name="malloc-trim", daemon=True).start()
