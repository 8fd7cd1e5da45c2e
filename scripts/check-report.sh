#!/usr/bin/env bash
# Renders an HTML report (isles report-html) in headless Chromium and fails when Chromium fails or
# the screenshot is missing or blank, so a page that does not render is caught before it is mailed.
#
#   scripts/check-report.sh RUN_DIR/report.html [SCREENSHOT.png]
#
# The screenshot (default: beside the page, <name>.screenshot.png) is kept for a person to look at.
# Needs Debian's chromium (apt-get install -y chromium) and python3 (standard library only).
set -euo pipefail

if [ $# -lt 1 ] || [ $# -gt 2 ]; then
  echo "usage: $0 REPORT.html [SCREENSHOT.png]" >&2
  exit 2
fi
html="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
screenshot="${2:-${html%.html}.screenshot.png}"
window="${CHECK_REPORT_WINDOW:-1280,2000}"

if [ ! -f "$html" ]; then
  echo "check-report: no report $html" >&2
  exit 1
fi
browser="$(command -v chromium || command -v chromium-browser || true)"
if [ -z "$browser" ]; then
  echo "check-report: chromium not found; install it with: apt-get install -y chromium" >&2
  exit 1
fi

profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
rm -f "$screenshot"
if ! timeout 180 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --screenshot="$screenshot" --window-size="$window" \
    "file://$html" >"$profile/chromium.log" 2>&1; then
  echo "check-report: chromium failed on $html:" >&2
  tail -n 20 "$profile/chromium.log" >&2
  exit 1
fi
if [ ! -s "$screenshot" ]; then
  echo "check-report: chromium wrote no screenshot $screenshot" >&2
  tail -n 20 "$profile/chromium.log" >&2
  exit 1
fi

# Blank = (nearly) one colour: fewer than 16 colours, or under 2% of pixels off the commonest one.
python3 - "$screenshot" <<'PY'
import struct, sys, zlib
from collections import Counter

path = sys.argv[1]
with open(path, "rb") as f:
    data = f.read()
if data[:8] != b"\x89PNG\r\n\x1a\n":
    sys.exit(f"check-report: {path} is not a PNG")
pos, idat, header = 8, b"", None
while pos < len(data):
    length, kind = struct.unpack(">I4s", data[pos:pos + 8])
    chunk = data[pos + 8:pos + 8 + length]
    if kind == b"IHDR":
        header = struct.unpack(">IIBBBBB", chunk)
    elif kind == b"IDAT":
        idat += chunk
    pos += 12 + length
width, height, depth, colour, _, _, interlace = header
channels = {2: 3, 6: 4}.get(colour)
if depth != 8 or channels is None or interlace:
    sys.exit(f"check-report: {path}: unexpected PNG format (depth {depth}, colour type {colour}, interlace {interlace})")
raw = zlib.decompress(idat)
stride = width * channels
previous = bytearray(stride)
counts = Counter()
for y in range(height):
    start = y * (stride + 1)
    kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
    for x in range(stride):
        left = line[x - channels] if x >= channels else 0
        up = previous[x]
        corner = previous[x - channels] if x >= channels else 0
        if kind == 1:
            line[x] = (line[x] + left) & 255
        elif kind == 2:
            line[x] = (line[x] + up) & 255
        elif kind == 3:
            line[x] = (line[x] + (left + up) // 2) & 255
        elif kind == 4:
            p = left + up - corner
            pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
            line[x] = (line[x] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 255
    counts.update(bytes(line[x:x + 3]) for x in range(0, stride, channels))
    previous = line
pixels = width * height
off = pixels - counts.most_common(1)[0][1]
if len(counts) < 16 or off < 0.02 * pixels:
    sys.exit(f"check-report: {path} looks blank: {len(counts)} colours, {100.0 * off / pixels:.2f}% of pixels off the background")
print(f"check-report: {path}: {width}x{height}, {len(counts)} colours, {100.0 * off / pixels:.1f}% of pixels off the background")
PY
