#!/usr/bin/env python3
"""make_music.py: synthesises the sample story's background loop, a short
dombra-like tune (two plucked strings tuned a fourth apart, a pentatonic
melody over a drone), as a mono 22050 Hz 16-bit WAV of exactly 5 s so it
loops cleanly. Karplus-Strong plucks with a fixed seed: the output is the
same bytes on every run. Python 3 standard library only.

    make_music.py [OUT.wav]
"""
import os
import struct
import sys
import wave

RATE = 22050
LOOP_S = 5.0
BEAT = LOOP_S / 20  # 20 eighth notes per loop


def lcg(seed):
    while True:
        seed = (seed * 1103515245 + 12345) % 2147483648
        yield seed / 2147483648.0 * 2 - 1


def pluck(freq, dur, gain, rnd):
    n = int(dur * RATE)
    period = max(2, int(RATE / freq))
    buf = [next(rnd) * gain for _ in range(period)]
    out = []
    for i in range(n):
        a = buf[i % period]
        b = buf[(i + 1) % period]
        buf[i % period] = 0.996 * 0.5 * (a + b)
        out.append(a)
    return out


def main():
    out_path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "templates", "stories",
        "aldar-kose", "media", "dombra_loop.wav")
    # D minor pentatonic; 0 = rest
    D, F, G, A, C, D2 = 293.66, 349.23, 392.0, 440.0, 523.25, 587.33
    melody = [A, G, A, C, A, G, F, D, F, G, A, 0, D2, C, A, G, F, G, D, 0]
    n = int(LOOP_S * RATE)
    mix = [0.0] * n
    rnd = lcg(20240601)
    for i, f in enumerate(melody):
        t0 = int(i * BEAT * RATE)
        notes = [(f, 0.5)] if f else []
        if i % 2 == 0:
            notes.append((146.83, 0.28))  # the low D drone string, on the beat
        for freq, g in notes:
            for j, v in enumerate(pluck(freq, 1.2, g, rnd)):
                mix[(t0 + j) % n] += v  # wrap so the loop's tail rings into its start
    peak = max(abs(v) for v in mix) or 1.0
    frames = b"".join(struct.pack("<h", int(32767 * 0.7 * v / peak)) for v in mix)
    tmp = out_path + ".tmp"
    with wave.open(tmp, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(frames)
    os.replace(tmp, out_path)
    print("wrote %s" % out_path)


if __name__ == "__main__":
    main()
