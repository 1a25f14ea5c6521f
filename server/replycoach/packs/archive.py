"""A pack as one versioned archive: <id>-<version>.zip holding
manifest.json (format, id, version, extends, the SHA-256 of every file and
of the whole file list) and the pack's files under pack/."""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import zipfile
from datetime import datetime, timezone

from .. import __version__

FORMAT = "replycoach-pack/1"
MANIFEST = "manifest.json"
MAX_FILES = 500
MAX_BYTES = 20_000_000


class ArchiveError(Exception):
    pass


def pack_files(folder: str) -> list[str]:
    """The files that make a pack (YAML at the top, in lang/ and messages/, plus docs)."""
    out = []
    for dirpath, dirnames, filenames in os.walk(folder):
        rel_dir = os.path.relpath(dirpath, folder)
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d != "__pycache__")
        for name in sorted(filenames):
            if name.startswith(".") or not name.endswith((".yaml", ".yml", ".md", ".txt", ".json")):
                continue
            out.append(os.path.normpath(os.path.join(rel_dir, name)).replace(os.sep, "/"))
    return out


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def total_checksum(files: dict[str, str]) -> str:
    return _sha("".join(f"{path}\0{digest}\n" for path, digest in sorted(files.items())).encode())


def export(folder: str, pack, out_dir: str) -> str:
    files = {}
    contents = {}
    for rel in pack_files(folder):
        with open(os.path.join(folder, rel), "rb") as fh:
            data = fh.read()
        files[rel] = _sha(data)
        contents[rel] = data
    manifest = {"format": FORMAT, "id": pack.id, "version": pack.version, "name": pack.name,
                "extends": pack.extends, "languages": pack.languages,
                "created": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
                "replycoach": __version__, "files": files, "checksum": total_checksum(files)}
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, f"{pack.id}-{pack.version}.zip")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")
        for rel, data in contents.items():
            zf.writestr(f"pack/{rel}", data)
    return path


def unpack(archive: str) -> tuple[str, dict]:
    """Extract to a temporary folder after checking the manifest; returns
    (pack folder, manifest). The caller removes the folder's parent."""
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ArchiveError(f"{archive}: not a pack archive ({exc})") from None
    with zf:
        names = zf.namelist()
        if MANIFEST not in names:
            raise ArchiveError(f"{archive}: no {MANIFEST}")
        try:
            manifest = json.loads(zf.read(MANIFEST).decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise ArchiveError(f"{archive}: {MANIFEST} is not valid JSON ({exc})") from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise ArchiveError(f"{archive}: unknown format {manifest.get('format') if isinstance(manifest, dict) else None!r}")
        files = manifest.get("files")
        if not isinstance(files, dict) or not files or len(files) > MAX_FILES:
            raise ArchiveError(f"{archive}: the manifest lists no files")
        if manifest.get("checksum") != total_checksum(files):
            raise ArchiveError(f"{archive}: the manifest checksum does not match its file list")
        members = {n[len("pack/"):] for n in names if n.startswith("pack/") and not n.endswith("/")}
        if members != set(files):
            extra, missing = sorted(members - set(files)), sorted(set(files) - members)
            raise ArchiveError(f"{archive}: files differ from the manifest (extra {extra}, missing {missing})")
        tmp = tempfile.mkdtemp(prefix="replycoach-install-")
        folder = os.path.join(tmp, str(manifest.get("id") or "pack"))
        total = 0
        for rel, digest in files.items():
            parts = rel.split("/")
            if rel.startswith("/") or ".." in parts or "\\" in rel or not rel:
                shutil.rmtree(tmp)
                raise ArchiveError(f"{archive}: unsafe path {rel!r}")
            data = zf.read(f"pack/{rel}")
            total += len(data)
            if total > MAX_BYTES:
                shutil.rmtree(tmp)
                raise ArchiveError(f"{archive}: too large")
            if _sha(data) != digest:
                shutil.rmtree(tmp)
                raise ArchiveError(f"{archive}: checksum mismatch for {rel}")
            dest = os.path.join(folder, *parts)
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            with open(dest, "wb") as fh:
                fh.write(data)
    return folder, manifest
