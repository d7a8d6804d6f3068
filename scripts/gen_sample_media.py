#!/usr/bin/env python3
"""Generates the sample projects' pictures (photos and avatars) procedurally, so every image we
ship is our own. Standard library only; deterministic output.

    python3 scripts/gen_sample_media.py   # writes assets/samples/media/*.png
"""
import math
import os
import random
import struct
import zlib

OUT = os.path.join(os.path.dirname(__file__), "..", "assets", "samples", "media")


def write_png(path, w, h, pixel):
    rows = []
    for y in range(h):
        row = bytearray([0])
        for x in range(w):
            row.extend(pixel(x, y))
        rows.append(bytes(row))
    raw = b"".join(rows)

    def chunk(kind, data):
        c = struct.pack(">I", len(data)) + kind + data
        return c + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")
    with open(path, "wb") as f:
        f.write(png)


def lerp(a, b, t):
    return tuple(int(a[i] + (b[i] - a[i]) * t) for i in range(3))


def rooftop(path):
    """A city skyline at sunset, seen from a roof."""
    w, h = 720, 540
    rnd = random.Random(7)
    buildings = []
    x = 0
    while x < w:
        bw = rnd.randint(40, 90)
        buildings.append((x, x + bw, rnd.randint(230, 400)))
        x += bw + rnd.randint(0, 8)
    sun = (470, 300, 70)

    def px(x, y):
        t = y / h
        c = lerp((255, 140, 90), (110, 60, 150), max(0.0, min(1.0, (0.75 - t) / 0.75)))
        d = math.hypot(x - sun[0], y - sun[1])
        if d < sun[2]:
            c = lerp((255, 230, 150), c, (d / sun[2]) ** 4)
        elif d < sun[2] * 2.2:
            c = lerp((255, 200, 130), c, min(1.0, (d - sun[2]) / (sun[2] * 1.2)))
        for bx0, bx1, top in buildings:
            if bx0 <= x < bx1 and y >= top:
                c = (35, 28, 52)
                if (x // 6) % 3 == 0 and (y // 9) % 3 == 0 and ((x // 6) * 31 + (y // 9) * 17) % 7 < 3:
                    c = (255, 214, 120)
        if y > 470:  # the roof's railing and floor
            c = lerp((60, 50, 70), (30, 26, 40), (y - 470) / 70)
            if y < 478 or (x % 60 < 5 and y < 520):
                c = (90, 80, 100)
        return bytes(c)

    write_png(path, w, h, px)


def beach(path):
    """A bright beach: sky, sea with glints, sand."""
    w, h = 540, 720
    rnd = random.Random(3)
    glints = {(rnd.randint(0, w), rnd.randint(300, 430)) for _ in range(400)}

    def px(x, y):
        if y < 300:
            c = lerp((120, 190, 250), (200, 230, 255), y / 300)
            for cx, cy, r in ((120, 110, 40), (160, 100, 50), (200, 115, 38)):
                if math.hypot(x - cx, (y - cy) * 1.6) < r:
                    c = (250, 252, 255)
        elif y < 430 + int(8 * math.sin(x / 30)):
            c = lerp((20, 130, 180), (40, 170, 200), (y - 300) / 130)
            if (x, y) in glints:
                c = (230, 250, 255)
        else:
            c = lerp((240, 220, 170), (220, 190, 140), (y - 430) / 290)
        return bytes(c)

    write_png(path, w, h, px)


def avatar(path, hue_a, hue_b, skin, hair):
    """A friendly flat-style portrait: gradient backdrop, shoulders, face, hair."""
    s = 256

    def px(x, y):
        c = lerp(hue_a, hue_b, y / s)
        if math.hypot((x - 128) / 1.25, y - 290) < 105:  # shoulders
            c = lerp(hue_b, (40, 40, 60), 0.45)
        if math.hypot(x - 128, (y - 118) * 0.9) < 58:  # face
            c = skin
        if math.hypot(x - 128, y - 95) < 64 and y < 100:  # hair
            c = hair
        for ex in (108, 148):  # eyes
            if math.hypot(x - ex, y - 122) < 5:
                c = (40, 30, 30)
        if 108 < x < 148 and abs(y - (156 - ((x - 128) ** 2) / 60)) < 2.5:  # smile
            c = (150, 60, 60)
        return bytes(c)

    write_png(path, s, s, px)


def main():
    os.makedirs(OUT, exist_ok=True)
    rooftop(os.path.join(OUT, "rooftop.png"))
    beach(os.path.join(OUT, "beach.png"))
    people = [
        ("avatar-maya.png", (255, 170, 120), (240, 100, 120), (245, 205, 170), (70, 40, 30)),
        ("avatar-leo.png", (120, 200, 255), (70, 120, 230), (225, 180, 140), (30, 30, 30)),
        ("avatar-priya.png", (190, 240, 170), (60, 170, 120), (190, 140, 100), (20, 15, 15)),
        ("avatar-sam.png", (230, 190, 255), (150, 100, 230), (250, 220, 195), (200, 150, 60)),
    ]
    for name, a, b, skin, hair in people:
        avatar(os.path.join(OUT, name), a, b, skin, hair)


if __name__ == "__main__":
    main()
