#!/usr/bin/env python3
"""Generates assets/models/fox-figurine.stl: the bundled figurine that
`daryn slice` prints in the demo. A sitting fox made of 11 overlapping closed
shells (as figurines from modelling tools are): body, head, snout, two ears,
two arms held out (overhangs), two legs, a tail and a chest tuft. Overlapping
shells, a chin and arms that overhang: what the centre's real prints look
like. Python 3 standard library only; the output is committed."""
import math
import struct
import sys


def ellipsoid(c, r, rot=(0, 0, 0), stacks=36, slices=48):
    ax, ay, az = (math.radians(a) for a in rot)

    def R(p):
        x, y, z = p
        y, z = y * math.cos(ax) - z * math.sin(ax), y * math.sin(ax) + z * math.cos(ax)
        x, z = x * math.cos(ay) + z * math.sin(ay), -x * math.sin(ay) + z * math.cos(ay)
        x, y = x * math.cos(az) - y * math.sin(az), x * math.sin(az) + y * math.cos(az)
        return (x + c[0], y + c[1], z + c[2])

    verts = [R((0, 0, r[2]))]
    for i in range(1, stacks):
        th = math.pi * i / stacks
        for j in range(slices):
            ph = 2 * math.pi * j / slices
            verts.append(R((r[0] * math.sin(th) * math.cos(ph), r[1] * math.sin(th) * math.sin(ph),
                            r[2] * math.cos(th))))
    verts.append(R((0, 0, -r[2])))
    tris = []
    bottom = len(verts) - 1
    for j in range(slices):
        tris.append((0, 1 + j, 1 + (j + 1) % slices))
    for i in range(stacks - 2):
        a0 = 1 + i * slices
        b0 = a0 + slices
        for j in range(slices):
            a, a1 = a0 + j, a0 + (j + 1) % slices
            b, b1 = b0 + j, b0 + (j + 1) % slices
            tris.append((a, b, b1))
            tris.append((a, b1, a1))
    last = 1 + (stacks - 2) * slices
    for j in range(slices):
        tris.append((bottom, last + (j + 1) % slices, last + j))
    return verts, tris


def cone(base, r, h, tilt=(0, 0, 0), slices=32):
    """Closed cone, apex up, tilted (degrees about x, y) around its base."""
    ax, ay, _ = (math.radians(a) for a in tilt)

    def R(p):
        x, y, z = p
        y, z = y * math.cos(ax) - z * math.sin(ax), y * math.sin(ax) + z * math.cos(ax)
        x, z = x * math.cos(ay) + z * math.sin(ay), -x * math.sin(ay) + z * math.cos(ay)
        return (x + base[0], y + base[1], z + base[2])

    verts = [R((0, 0, h)), R((0, 0, 0))]
    for j in range(slices):
        ph = 2 * math.pi * j / slices
        verts.append(R((r * math.cos(ph), r * math.sin(ph), 0)))
    tris = []
    for j in range(slices):
        a, b = 2 + j, 2 + (j + 1) % slices
        tris.append((0, a, b))
        tris.append((1, b, a))
    return verts, tris


def cylinder(c, r, z0, z1, slices=40):
    verts = [(c[0], c[1], z0), (c[0], c[1], z1)]
    for j in range(slices):
        ph = 2 * math.pi * j / slices
        x, y = c[0] + r * math.cos(ph), c[1] + r * math.sin(ph)
        verts.append((x, y, z0))
        verts.append((x, y, z1))
    tris = []
    for j in range(slices):
        a0, a1 = 2 + 2 * j, 3 + 2 * j
        b0, b1 = 2 + 2 * ((j + 1) % slices), 3 + 2 * ((j + 1) % slices)
        tris += [(0, b0, a0), (1, a1, b1), (a0, b0, b1), (a0, b1, a1)]
    return verts, tris


def main(out):
    shells = [
        ellipsoid((0, 0, 21), (9.5, 8, 13)),                       # body
        ellipsoid((0, -1, 39), (8.5, 8, 8)),                       # head
        ellipsoid((0, -10, 37), (3.6, 6.5, 3.4), rot=(-8, 0, 0)),  # snout: chin overhangs
        cone((-4.5, 0, 44.5), 3.2, 8, tilt=(0, -18, 0)),           # ear left
        cone((4.5, 0, 44.5), 3.2, 8, tilt=(0, 18, 0)),             # ear right
        ellipsoid((-12, -3, 25), (2.6, 2.6, 8), rot=(0, 55, 0)),   # arm left, held out
        ellipsoid((12, -3, 25), (2.6, 2.6, 8), rot=(0, -55, 0)),   # arm right
        cylinder((-4.5, -1), 3.6, 0, 12),                          # leg left
        cylinder((4.5, -1), 3.6, 0, 12),                           # leg right
        ellipsoid((0, 11, 12), (4.2, 9, 4.2), rot=(35, 0, 0)),     # tail
        ellipsoid((0, -6.5, 26), (5, 2.5, 6)),                     # chest tuft
    ]
    tris_out = []
    for verts, tris in shells:
        for t in tris:
            tris_out.append(tuple(verts[i] for i in t))
    with open(out, "wb") as f:
        f.write(b"Daryn fox figurine (tools/figurine/make_figurine.py)".ljust(80, b" "))
        f.write(struct.pack("<I", len(tris_out)))
        for a, b, c in tris_out:
            ux, uy, uz = (b[i] - a[i] for i in range(3))
            vx, vy, vz = (c[i] - a[i] for i in range(3))
            n = (uy * vz - uz * vy, uz * vx - ux * vz, ux * vy - uy * vx)
            ln = math.sqrt(sum(x * x for x in n)) or 1.0
            f.write(struct.pack("<3f", *(x / ln for x in n)))
            for p in (a, b, c):
                f.write(struct.pack("<3f", *p))
            f.write(b"\0\0")
    print(f"{out}: {len(tris_out)} triangles in {len(shells)} shells")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "assets/models/fox-figurine.stl")
