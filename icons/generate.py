#!/usr/bin/env python3
"""Draws the Chatframe app icon (our own artwork): a rounded violet-to-pink square holding two
chat bubbles. Pure standard library (zlib PNG writer, 4x4 supersampling) so it runs anywhere:
    python3 icons/generate.py   # writes icons/*.png and icons/icon.ico
"""
import os, struct, zlib

HERE = os.path.dirname(os.path.abspath(__file__))


def rrect(x, y, x0, y0, x1, y1, r):
    """Inside test for a rounded rectangle."""
    cx = min(max(x, x0 + r), x1 - r)
    cy = min(max(y, y0 + r), y1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r and x0 <= x <= x1 and y0 <= y <= y1


def tail(x, y, ax, ay, bx, by, cx, cy):
    """Inside test for the triangle (a, b, c): a bubble's tail."""
    def s(px, py, qx, qy, rx, ry):
        return (px - rx) * (qy - ry) - (qx - rx) * (py - ry)
    d1, d2, d3 = s(x, y, ax, ay, bx, by), s(x, y, bx, by, cx, cy), s(x, y, cx, cy, ax, ay)
    neg = d1 < 0 or d2 < 0 or d3 < 0
    pos = d1 > 0 or d2 > 0 or d3 > 0
    return not (neg and pos)


def sample(u, v):
    """Colour (r, g, b, a) at unit coordinates (u, v)."""
    if not rrect(u, v, 0.04, 0.04, 0.96, 0.96, 0.22):
        return (0, 0, 0, 0)
    t = (u + v) / 2  # diagonal gradient, violet -> pink
    bg = (int(108 + (236 - 108) * t), int(76 + (72 - 76) * t), int(246 + (153 - 246) * t), 255)
    # Incoming bubble (white, left) and outgoing bubble (light, right), each with a tail.
    if rrect(u, v, 0.17, 0.22, 0.66, 0.46, 0.11) or tail(u, v, 0.19, 0.38, 0.29, 0.44, 0.14, 0.52):
        return (255, 255, 255, 255)
    if rrect(u, v, 0.34, 0.53, 0.83, 0.77, 0.11) or tail(u, v, 0.81, 0.69, 0.71, 0.75, 0.86, 0.83):
        return (30, 22, 60, 255)
    return bg


def render(size, ss=4):
    rows = []
    for y in range(size):
        row = bytearray()
        for x in range(size):
            acc = [0, 0, 0, 0]
            for sy in range(ss):
                for sx in range(ss):
                    r, g, b, a = sample((x + (sx + 0.5) / ss) / size, (y + (sy + 0.5) / ss) / size)
                    acc[0] += r * a; acc[1] += g * a; acc[2] += b * a; acc[3] += a
            a = acc[3]
            row += bytes((acc[0] // a, acc[1] // a, acc[2] // a, a // (ss * ss)) if a else (0, 0, 0, 0))
        rows.append(bytes(row))
    return rows


def png(rows, size):
    raw = b"".join(b"\0" + r for r in rows)
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


def main():
    pngs = {}
    for name, size in [("32x32.png", 32), ("64x64.png", 64), ("128x128.png", 128), ("128x128@2x.png", 256), ("icon.png", 512)]:
        data = png(render(size), size)
        pngs[size] = data
        with open(os.path.join(HERE, name), "wb") as f:
            f.write(data)
    # ICO with embedded PNGs (Vista+ format): 32, 64, 128, 256.
    sizes = [32, 64, 128, 256]
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = 6 + 16 * len(sizes)
    entries, blobs = b"", b""
    for s in sizes:
        d = pngs[s]
        entries += struct.pack("<BBBBHHII", s % 256, s % 256, 0, 0, 1, 32, len(d), offset + len(blobs))
        blobs += d
    with open(os.path.join(HERE, "icon.ico"), "wb") as f:
        f.write(header + entries + blobs)


if __name__ == "__main__":
    main()
