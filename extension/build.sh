#!/usr/bin/env bash
# Builds the store packages into dist/:
#   dist/replycoach-chromium-VERSION.zip  (Chrome Web Store, Edge: service_worker only)
#   dist/replycoach-firefox-VERSION.zip   (addons.mozilla.org: background.scripts only)
# The source folder itself loads unpacked in both browsers; the store copies
# only drop the background key the other browser needs, so neither store
# warns about it. Zips are reproducible (sorted entries, fixed timestamps).
# With node_modules installed (npm ci), the Firefox package is linted too.
set -euo pipefail
cd "$(dirname "$0")"
rm -rf dist
mkdir -p dist
python3 - <<'PY'
import json, os, shutil, zipfile

SKIP_DIRS = {"node_modules", "dist", "test", ".git"}
SKIP_FILES = {"package.json", "package-lock.json", "build.sh", ".DS_Store"}
manifest = json.load(open("manifest.json", encoding="utf-8"))
version = manifest["version"]

def files():
    for root, dirs, names in os.walk("."):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        for n in sorted(names):
            if n in SKIP_FILES or n.startswith("."):
                continue
            yield os.path.normpath(os.path.join(root, n))

for target in ("chromium", "firefox"):
    m = json.loads(json.dumps(manifest))
    if target == "chromium":
        m["background"] = {"service_worker": m["background"]["service_worker"]}
        m.pop("browser_specific_settings", None)
    else:
        m["background"] = {"scripts": m["background"]["scripts"]}
    stage = os.path.join("dist", target)
    out = os.path.join("dist", f"replycoach-{target}-{version}.zip")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for path in files():
            data = json.dumps(m, indent=2, ensure_ascii=False).encode() + b"\n" if path == "manifest.json" else open(path, "rb").read()
            info = zipfile.ZipInfo(path.replace(os.sep, "/"), date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
            dest = os.path.join(stage, path)
            os.makedirs(os.path.dirname(dest), exist_ok=True)
            with open(dest, "wb") as f:
                f.write(data)
    print(out, os.path.getsize(out), "bytes")
PY
if [ -x node_modules/.bin/web-ext ]; then
  node_modules/.bin/web-ext lint --source-dir dist/firefox
fi
