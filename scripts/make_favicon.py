"""Write gongkai/site/static/favicon.ico: the site's mark (a white document on the agency blue),
32×32 and 16×16, as PNG images inside an ICO file. Standard library only; the output is
byte-for-byte the same on every run.

    python scripts/make_favicon.py
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "gongkai" / "site" / "static" / "favicon.ico"
BLUE, WHITE, LINE = (10, 74, 122), (255, 255, 255), (150, 180, 205)


def pixel(x: float, y: float) -> tuple[int, int, int, int]:
    """The mark on a unit square: a blue field, a white page with three ruled lines."""
    if 0.25 <= x <= 0.75 and 0.15 <= y <= 0.85:
        if 0.33 <= x <= 0.67 and any(abs(y - line) < 0.035 for line in (0.35, 0.5, 0.65)):
            return (*LINE, 255)
        return (*WHITE, 255)
    return (*BLUE, 255)


def png(size: int) -> bytes:
    rows = b"".join(b"\x00" + b"".join(bytes(pixel((i + 0.5) / size, (j + 0.5) / size)) for i in range(size)) for j in range(size))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


def ico(sizes: tuple[int, ...] = (32, 16)) -> bytes:
    images = [png(size) for size in sizes]
    offset = 6 + 16 * len(images)
    directory = b""
    for size, image in zip(sizes, images, strict=True):
        directory += struct.pack("<BBBBHHII", size, size, 0, 0, 1, 32, len(image), offset)
        offset += len(image)
    return struct.pack("<HHH", 0, 1, len(images)) + directory + b"".join(images)


if __name__ == "__main__":
    OUT.write_bytes(ico())
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")
