#!/usr/bin/python3
"""Subset WenQuanYi Micro Hei to the characters the page's texts use.

    /usr/bin/python3 tools/subset_font.py <out.ttf> [--check-png <file.png>]

Collects every character of web/tutorial/lessons/*.json, web/app/i18n/*.json and web/**/*.zh.* (those that
exist), plus printable ASCII, and writes a TrueType subset of the Debian font (fonts-wqy-microhei,
a .ttc collection: font number 0, the proportional face) with pyftsubset (python3-fonttools).
Prints the glyph count and the size in KB. Fails if the font lacks a needed character or if the
subset's cmap misses one. With --check-png (and python3-pil installed) it also renders a line
of each tutorial's Chinese title to that PNG, to look at.
Run with Debian's /usr/bin/python3, where python3-fonttools lives.
"""
import glob
import json
import os
import subprocess
import sys

FONT = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"
FONT_NUMBER = 0  # 0: WenQuanYi Micro Hei, 1: the Mono face
REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def strings(value):
    """Every string inside a parsed JSON value (keys included)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield k
            yield from strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from strings(v)


def source_files():
    pats = ["web/tutorial/lessons/*.json", "web/app/i18n/*.json", "web/**/*.zh.*"]
    files = set()
    for p in pats:
        files.update(glob.glob(os.path.join(REPO, p), recursive=True))
    return sorted(f for f in files if os.path.isfile(f))


def collect_chars(files):
    chars = set(chr(c) for c in range(0x20, 0x7F))
    for f in files:
        with open(f, encoding="utf-8") as fh:
            text = fh.read()
        if f.endswith(".json"):
            text = "".join(strings(json.loads(text)))
        chars.update(ch for ch in text if ch >= " " or ch == "\t")
    chars.discard("\t")
    return chars


def main(argv):
    if len(argv) < 2 or argv[1].startswith("-"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    out = argv[1]
    png = argv[argv.index("--check-png") + 1] if "--check-png" in argv else None
    try:
        from fontTools.ttLib import TTFont
        from fontTools import subset  # noqa: F401  (pyftsubset's module)
    except ImportError:
        print("python3-fonttools is missing: apt-get install -y python3-fonttools "
              "(and run with /usr/bin/python3)", file=sys.stderr)
        return 1
    if not os.path.exists(FONT):
        print(f"{FONT} is missing: apt-get install -y fonts-wqy-microhei", file=sys.stderr)
        return 1

    files = source_files()
    chars = collect_chars(files)
    cmap = TTFont(FONT, fontNumber=FONT_NUMBER, lazy=True).getBestCmap()
    missing = sorted(ch for ch in chars if ord(ch) not in cmap)
    if missing:
        print("the font has no glyph for: " + " ".join(f"{ch!r} U+{ord(ch):04X}" for ch in missing),
              file=sys.stderr)
        return 1

    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    unicodes = ",".join(f"U+{ord(ch):04X}" for ch in sorted(chars))
    cmd = [sys.executable, "-m", "fontTools.subset", FONT, f"--font-number={FONT_NUMBER}",
           f"--unicodes={unicodes}", f"--output-file={out}",
           # Dear ImGui draws with stb_truetype: cmap, glyf/loca, hmtx (and kern) are all it reads,
           # so the OpenType layout tables and vertical metrics go (GSUB alone would pull in
           # hundreds of alternate glyphs).
           "--layout-features=", "--no-hinting", "--notdef-outline", "--recommended-glyphs",
           "--drop-tables+=FFTM,GSUB,GPOS,GDEF,vhea,vmtx"]
    subprocess.run(cmd, check=True)

    font = TTFont(out)
    sub_cmap = font.getBestCmap()
    lost = sorted(ch for ch in chars if ord(ch) not in sub_cmap)
    if lost:
        print("the subset lost: " + " ".join(lost), file=sys.stderr)
        return 1
    cjk = sum(1 for ch in chars if 0x3400 <= ord(ch) <= 0x9FFF)
    size_kb = os.path.getsize(out) / 1024
    print(f"{out}: {len(font.getGlyphOrder())} glyphs ({len(chars)} characters, {cjk} CJK) "
          f"from {len(files)} text files, {size_kb:.1f} KB")

    if png:
        try:
            from PIL import Image, ImageDraw, ImageFont
        except ImportError:
            print("python3-pil not installed: skipped the rendering check (the cmap covers every character)")
            return 0
        lines = []
        for f in files:
            if f.endswith(".json") and "/tutorials/" in f:
                with open(f, encoding="utf-8") as fh:
                    t = json.load(fh)
                lines.append(f"{t['title']['zh']}：{t['summary']['zh'][:24]}")
        lines.append("α ∂E/∂v_1 = 2 z~(1 − z~)(z~ − z) b_1, ½ × θ")
        pil_font = ImageFont.truetype(out, 22)
        img = Image.new("L", (900, 34 * len(lines) + 16), 255)
        draw = ImageDraw.Draw(img)
        for i, line in enumerate(lines):
            draw.text((10, 8 + 34 * i), line, font=pil_font, fill=0)
        img.save(png)
        print(f"rendered {len(lines)} lines to {png}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
