#!/usr/bin/env python3
# Writes the tiny seed corpus of the IDX fuzz target to tests/fuzz/corpus/idx/ (a few hundred
# bytes in all): good images/labels files, a pair, a gzip header, truncated and wrong-magic files.
import os, struct, sys

out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "corpus", "idx")
os.makedirs(out, exist_ok=True)

def images(n, r, c):
    return struct.pack(">IIII", 0x803, n, r, c) + bytes((i * 37 + 11) & 255 for i in range(n * r * c))

def labels(ls):
    return struct.pack(">II", 0x801, len(ls)) + bytes(ls)

im, lb = images(2, 3, 4), labels([3, 9])
seeds = {
    "images_2x3x4": im,
    "labels_2": lb,
    "images_1x1x1": images(1, 1, 1),
    "pair_2": bytes([round(255 * len(im) / (len(im) + len(lb)))]) + im + lb,
    "gzip_magic": bytes([0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0, 3]),
    "truncated_images": im[:-3],
    "wrong_magic": b"PK\x03\x04" + im[4:],
    "float_type": bytes([0, 0, 0x0D, 3]) + im[4:],
    "label_out_of_range": labels([1, 12]),
}
for name, data in seeds.items():
    with open(os.path.join(out, name), "wb") as f:
        f.write(data)
