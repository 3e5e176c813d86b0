#!/usr/bin/env python3
"""Count selected rows per label: count_per_label.py LABELS.npy SELECTED.txt

LABELS.npy is what 'strata generate' writes beside the data (1-D little-endian int32 or int64);
SELECTED.txt is 'strata select' output, one 0-based row index per line. Reads the .npy header
itself so it runs without numpy.
"""
import ast
import struct
import sys


def read_labels(path):
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:6] != b"\x93NUMPY":
        sys.exit(f"{path}: not a .npy file")
    major = raw[6]
    if major == 1:
        hlen, start = struct.unpack("<H", raw[8:10])[0], 10
    else:
        hlen, start = struct.unpack("<I", raw[8:12])[0], 12
    header = ast.literal_eval(raw[start:start + hlen].decode("latin1"))
    codes = {"<i4": "i", "<i8": "q"}
    if header["descr"] not in codes or len(header["shape"]) != 1:
        sys.exit(f"{path}: expected 1-D <i4 or <i8 labels, got {header}")
    n = header["shape"][0]
    return struct.unpack(f"<{n}{codes[header['descr']]}", raw[start + hlen:start + hlen + n * struct.calcsize(codes[header['descr']])])


def main():
    labels = read_labels(sys.argv[1])
    counts = {}
    with open(sys.argv[2]) as f:
        for line in f:
            if line.strip():
                label = labels[int(line)]
                counts[label] = counts.get(label, 0) + 1
    total = sum(counts.values())
    print(" ".join(f"{label}:{counts.get(label, 0)}" for label in range(max(labels) + 1)), f"total:{total}")


if __name__ == "__main__":
    main()
