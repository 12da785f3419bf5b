#!/usr/bin/env bash
# Build the one-folder Linux bundle and smoke-test it: the frozen app's `check` must give the same JSON as
# the source install on every sample packet.  Usage (from the repository root, in the project's venv):
#   scripts/build_linux.sh [SAMPLES_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
SAMPLES="${1:-../shared/samples}"
python -m pip install -q "pyinstaller>=6.5"
python -m PyInstaller --noconfirm --log-level WARN build_installer.spec
APP=dist/xinyong-desktop/xinyong-desktop
echo "bundle size: $(du -sh dist/xinyong-desktop | cut -f1)"
fail=0
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for exp in "$SAMPLES"/*/expected.json; do
  d=$(dirname "$exp")
  as_of=$(python -c "import json,sys; print(json.load(open(sys.argv[1]))['as_of'])" "$exp")
  "$APP" check "$d/packet" --as-of "$as_of" --json > "$out/frozen.json" || true
  python -m xinyong_desktop check "$d/packet" --as-of "$as_of" --json > "$out/source.json" || true
  if python - "$out" <<'PY'
import json, sys
a, b = (json.load(open(f"{sys.argv[1]}/{n}.json")) for n in ("frozen", "source"))
for x in (a, b):
    x.pop("elapsed_ms", None); x.pop("timing", None)
raise SystemExit(0 if a == b else 1)
PY
  then echo "same JSON: $(basename "$d")"; else echo "DIFFERENT JSON: $(basename "$d")"; fail=1; fi
done
exit $fail
