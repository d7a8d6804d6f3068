#!/usr/bin/env python3
"""Synthesizes Chatframe's built-in sound effects into assets/sounds/*.wav.

Every sound is made here from sines and filtered noise, so the project owns them outright (no
third-party recordings, no licences to track). The output is deterministic: a fixed-seed xorshift
generator instead of `random`, and no dependency beyond the standard library, so re-running the
script on any machine reproduces the committed WAVs (the audio crate embeds them with
`include_bytes!`).

Format: 48 kHz, 16-bit, mono (the mixer spreads mono to both channels; mono halves the size).
Each one-shot sound starts and ends at exactly zero (short raised-cosine fades, DC removed) so it
never clicks, and is normalised to a -6 dBFS peak so sounds sit at the same level and leave
headroom for the mix. `typing` is a seamless 1 s loop: it is rendered into a circular buffer, so
the tail of the last keystroke wraps onto the start.

Usage: python3 scripts/gen_sounds.py [OUT_DIR]   (default: assets/sounds next to this script)
"""

import math
import os
import struct
import sys
import wave

SR = 48_000
PEAK_DBFS = -6.0


class Rng:
    """xorshift32: tiny, fast enough, and identical on every Python version."""

    def __init__(self, seed):
        self.s = seed & 0xFFFFFFFF or 1

    def next(self):
        s = self.s
        s ^= (s << 13) & 0xFFFFFFFF
        s ^= s >> 17
        s ^= (s << 5) & 0xFFFFFFFF
        self.s = s
        return s

    def uniform(self, lo=-1.0, hi=1.0):
        return lo + (hi - lo) * (self.next() / 4294967296.0)


class Biquad:
    """RBJ cookbook biquad. Coefficients can be changed per sample for filter sweeps."""

    def __init__(self):
        self.x1 = self.x2 = self.y1 = self.y2 = 0.0
        self.b0 = 1.0
        self.b1 = self.b2 = self.a1 = self.a2 = 0.0

    def set(self, kind, freq, q):
        freq = min(max(freq, 10.0), SR * 0.45)
        w0 = 2.0 * math.pi * freq / SR
        cw, alpha = math.cos(w0), math.sin(w0) / (2.0 * q)
        if kind == "bp":  # constant 0 dB peak gain
            b0, b1, b2 = alpha, 0.0, -alpha
        elif kind == "lp":
            b0 = b2 = (1.0 - cw) / 2.0
            b1 = 1.0 - cw
        elif kind == "hp":
            b0 = b2 = (1.0 + cw) / 2.0
            b1 = -(1.0 + cw)
        else:
            raise ValueError(kind)
        a0 = 1.0 + alpha
        self.b0, self.b1, self.b2 = b0 / a0, b1 / a0, b2 / a0
        self.a1, self.a2 = -2.0 * cw / a0, (1.0 - alpha) / a0
        return self

    def __call__(self, x):
        y = self.b0 * x + self.b1 * self.x1 + self.b2 * self.x2 - self.a1 * self.y1 - self.a2 * self.y2
        self.x2, self.x1, self.y2, self.y1 = self.x1, x, self.y1, y
        return y


def secs(n):
    return int(round(n * SR))


def filtered(signal, kind, freq, q=0.707):
    f = Biquad().set(kind, freq, q)
    return [f(x) for x in signal]


def swept_noise(rng, n, freq_at, q, gain_at):
    """Band-passed white noise whose centre frequency and level follow the given functions of t."""
    f = Biquad()
    out = []
    for i in range(n):
        t = i / SR
        if i % 16 == 0:  # re-tuning every 1/3 ms is smooth to the ear and keeps this fast
            f.set("bp", freq_at(t), q)
        out.append(f(rng.uniform()) * gain_at(t))
    return out


def tone(n, freq_at, amp_at, phase=0.0):
    """A sine whose frequency may glide: the phase is integrated so glides never click."""
    out = []
    for i in range(n):
        t = i / SR
        out.append(math.sin(phase) * amp_at(t))
        phase += 2.0 * math.pi * freq_at(t) / SR
    return out


def ad(attack, decay):
    """Attack (raised cosine, seconds) then exponential decay with time constant `decay`."""

    def env(t):
        if t < attack:
            return 0.5 - 0.5 * math.cos(math.pi * t / attack)
        return math.exp(-(t - attack) / decay)

    return env


def add(dst, src, at=0, gain=1.0):
    for i, x in enumerate(src):
        j = at + i
        if j < len(dst):
            dst[j] += x * gain
    return dst


def finish(x, fade_in=0.002, fade_out=0.02):
    """Removes DC, fades both ends to exactly zero and normalises the peak to PEAK_DBFS."""
    mean = sum(x) / len(x)
    x = filtered([v - mean for v in x], "hp", 25.0)
    n_in, n_out = secs(fade_in), secs(fade_out)
    for i in range(n_in):
        x[i] *= 0.5 - 0.5 * math.cos(math.pi * i / n_in)
    for i in range(n_out):
        x[len(x) - 1 - i] *= 0.5 - 0.5 * math.cos(math.pi * i / n_out)
    x[0] = x[-1] = 0.0
    return normalise(x)


def normalise(x):
    peak = max(abs(v) for v in x)
    g = 10 ** (PEAK_DBFS / 20.0) / peak
    return [v * g for v in x]


# --- the sounds -------------------------------------------------------------------------------


def send():
    """A short bright upward swoosh that lands on a pop: the 'sent' gesture."""
    rng = Rng(0x5E4D)
    n = secs(0.30)
    swoosh = swept_noise(
        rng,
        secs(0.11),
        lambda t: 1800.0 * (6.0 ** (t / 0.11)),  # 1.8 kHz -> 10.8 kHz, exponential like the ear hears
        1.6,
        lambda t: math.sin(math.pi * min(t / 0.11, 1.0)) ** 2,
    )
    swoosh = filtered(swoosh, "lp", 9000.0)
    blip = tone(
        secs(0.2),
        lambda t: 880.0 + 700.0 * (1.0 - math.exp(-t / 0.012)),  # quick upward glide: "bloop"
        ad(0.002, 0.035),
    )
    blip2 = tone(secs(0.2), lambda t: 2.0 * (880.0 + 700.0 * (1.0 - math.exp(-t / 0.012))), ad(0.002, 0.018))
    out = [0.0] * n
    add(out, swoosh, 0, 0.45)
    add(out, blip, secs(0.075), 1.0)
    add(out, blip2, secs(0.075), 0.22)
    return finish(out, fade_out=0.04)


def chime_note(freq, length, decay):
    """A soft bell-ish note: harmonic partials plus a faint glassy inharmonic one, each decaying
    faster the higher it is, which is what makes a struck tone sound natural."""
    partials = [(1.0, 1.0, 1.0), (2.0, 0.16, 0.55), (3.0, 0.05, 0.35), (2.76, 0.05, 0.3)]
    n = secs(length)
    out = [0.0] * n
    for ratio, amp, dscale in partials:
        add(out, tone(n, lambda t, f=freq * ratio: f, ad(0.004, decay * dscale)), 0, amp)
    return out


def receive():
    """Two-tone soft chime, a rising fifth (C6 -> G6): friendly, not alarming."""
    n = secs(0.75)
    out = [0.0] * n
    add(out, chime_note(1046.5, 0.75, 0.16), 0, 0.85)
    add(out, chime_note(1568.0, 0.64, 0.20), secs(0.11), 1.0)
    out = filtered(out, "lp", 7000.0)
    return finish(out, fade_in=0.003, fade_out=0.12)


def pop():
    """A bubble pop for reactions: a rising damped sine with a tiny contact click."""
    rng = Rng(0xB0B)
    n = secs(0.13)
    body = tone(n, lambda t: 320.0 + 780.0 * (1.0 - math.exp(-t / 0.02)), ad(0.0015, 0.028))
    click = filtered([rng.uniform() * math.exp(-i / 60.0) for i in range(secs(0.004))], "bp", 3200.0)
    out = [0.0] * n
    add(out, body, 0, 1.0)
    add(out, click, 0, 0.5)
    return finish(out, fade_in=0.001, fade_out=0.03)


def typing():
    """One second of soft keystrokes, humanised timing and level, rendered circularly so the
    loop is seamless. Each key: a short filtered noise tick (the keycap) and a low damped
    'thock' (bottoming out)."""
    rng = Rng(0x7E9)
    n = secs(1.0)
    out = [0.0] * n
    keys = 8
    for k in range(keys):
        # Keep strokes away from the loop point so the buffer edges are near silence as well.
        at = secs(0.05 + k * 0.86 / keys + rng.uniform(-0.018, 0.018))
        level = rng.uniform(0.65, 1.0)
        tick_f = rng.uniform(2600.0, 4200.0)
        tick = filtered([rng.uniform() * math.exp(-i / (SR * 0.0012)) for i in range(secs(0.012))], "bp", tick_f, 1.2)
        thock_f = rng.uniform(170.0, 240.0)
        thock = tone(secs(0.06), lambda t, f=thock_f: f, ad(0.0008, 0.009))
        for i, x in enumerate(tick):
            out[(at + i) % n] += x * level * 0.9
        for i, x in enumerate(thock):
            out[(at + secs(0.003) + i) % n] += x * level * 0.55
    # Filters run over the buffer repeated twice and keep the second pass, which is the steady
    # state of the loop: the result is truly circular, so the seam stays seamless. The high-pass
    # removes the thocks' DC, which would otherwise leave the quiet parts off zero.
    soft = filtered(filtered(filtered(out * 2, "lp", 6500.0), "lp", 6500.0), "hp", 25.0)[n:]
    return normalise(soft)


def ding():
    """A clear notification bell (E6) with slightly inharmonic partials and a long soft tail."""
    n = secs(1.3)
    f0 = 1318.5
    partials = [(1.0, 1.0, 0.42), (0.5, 0.08, 0.5), (2.0, 0.28, 0.22), (2.76, 0.16, 0.15), (5.4, 0.06, 0.06)]
    out = [0.0] * n
    for ratio, amp, decay in partials:
        add(out, tone(n, lambda t, f=f0 * ratio: f, ad(0.002, decay)), 0, amp)
    return finish(out, fade_in=0.002, fade_out=0.25)


def whoosh():
    """An airy pass-by: band-passed noise sweeping up then down with a swelling envelope."""
    rng = Rng(0x0505)
    n = secs(0.6)

    def freq(t):
        x = t / 0.6
        return 350.0 * (9.0 ** math.sin(math.pi * x))  # 350 Hz -> 3.1 kHz -> 350 Hz

    def level(t):
        x = t / 0.6
        return math.sin(math.pi * x ** 0.8) ** 2

    a = swept_noise(rng, n, freq, 0.9, level)
    b = swept_noise(rng, n, lambda t: freq(t) * 1.5, 1.4, level)  # a second band adds body
    out = [x + 0.6 * y for x, y in zip(a, b)]
    return finish(filtered(out, "lp", 8000.0), fade_in=0.01, fade_out=0.05)


SOUNDS = {"send": send, "receive": receive, "pop": pop, "typing": typing, "ding": ding, "whoosh": whoosh}


def write_wav(path, samples):
    data = b"".join(struct.pack("<h", max(-32767, min(32767, int(round(v * 32767.0))))) for v in samples)
    tmp = path + ".tmp"
    with wave.open(tmp, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SR)
        w.writeframes(data)
    os.replace(tmp, path)


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "assets", "sounds")
    os.makedirs(out_dir, exist_ok=True)
    for name, make in SOUNDS.items():
        samples = make()
        path = os.path.join(out_dir, name + ".wav")
        write_wav(path, samples)
        peak = max(abs(v) for v in samples)
        print(f"{name:8} {len(samples) / SR:5.2f} s  peak {20 * math.log10(peak):6.2f} dBFS  {os.path.getsize(path)} B")


if __name__ == "__main__":
    main()
