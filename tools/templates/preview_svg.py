#!/usr/bin/env python3
"""preview_svg.py: a rough SVG preview of a story scene at time t, for authoring
templates before (or without) the C renderer. Not the reference renderer:
smooth outlines are drawn as Catmull-Rom curves, strokes with their mean
width, text bubbles as plain rounded boxes.

    preview_svg.py STORY.json SCENE_INDEX TIME OUT.svg
"""
import json
import math
import sys


def ease_apply(e, u):
    if e == "in":
        return u * u * u
    if e == "out":
        return 1 - (1 - u) ** 3
    if e == "in-out":
        return 4 * u ** 3 if u < 0.5 else 1 - (-2 * u + 2) ** 3 / 2
    if e == "step":
        return 0.0 if u < 1 else 1.0
    if e == "overshoot":
        c1 = 1.70158
        c3 = c1 + 1
        return 1 + c3 * (u - 1) ** 3 + c1 * (u - 1) ** 2
    return u


def track_eval(tr, t, default):
    if not tr:
        return default
    if t <= tr[0]["time"]:
        return tr[0]["value"]
    if t >= tr[-1]["time"]:
        return tr[-1]["value"]
    for a, b in zip(tr, tr[1:]):
        if a["time"] <= t < b["time"]:
            u = (t - a["time"]) / (b["time"] - a["time"])
            u = ease_apply(a.get("ease", "linear"), u)
            return a["value"] + (b["value"] - a["value"]) * u
    return tr[-1]["value"]


def path_d(points, closed, smooth):
    p = [(q[0], q[1]) for q in points]
    if len(p) < 2:
        return ""
    if not smooth or len(p) < 3:
        d = "M%.1f %.1f " % p[0] + " ".join("L%.1f %.1f" % q for q in p[1:])
        return d + (" Z" if closed else "")
    n = len(p)
    d = "M%.1f %.1f " % p[0]
    segs = n if closed else n - 1
    for i in range(segs):
        p0 = p[(i - 1) % n] if (closed or i > 0) else p[0]
        p1 = p[i]
        p2 = p[(i + 1) % n]
        p3 = p[(i + 2) % n] if (closed or i + 2 < n) else p2
        c1 = (p1[0] + (p2[0] - p0[0]) / 6, p1[1] + (p2[1] - p0[1]) / 6)
        c2 = (p2[0] - (p3[0] - p1[0]) / 6, p2[1] - (p3[1] - p1[1]) / 6)
        d += "C%.1f %.1f %.1f %.1f %.1f %.1f " % (c1 + c2 + p2)
    return d + ("Z" if closed else "")


def col(c):
    if len(c) == 9:
        return 'fill="%s" fill-opacity="%.3f"' % (c[:7], int(c[7:], 16) / 255)
    return 'fill="%s"' % c


def scol(c):
    if len(c) == 9:
        return 'stroke="%s" stroke-opacity="%.3f"' % (c[:7], int(c[7:], 16) / 255)
    return 'stroke="%s"' % c


def drawing_svg(shapes):
    out = []
    for sh in shapes:
        if sh["type"] == "fill":
            d = path_d(sh["points"], True, sh.get("smooth", False))
            s = '<path d="%s" %s' % (d, col(sh["color"]))
            if sh.get("line"):
                s += ' %s stroke-width="%s" stroke-linejoin="round"' % (
                    scol(sh["line"]), sh.get("line_width", 1))
            out.append(s + "/>")
        else:
            d = path_d(sh["points"], sh.get("closed", False), sh.get("smooth", False))
            w = sum(p[2] for p in sh["points"]) / len(sh["points"])
            out.append('<path d="%s" fill="none" %s stroke-width="%.1f" '
                       'stroke-linecap="round" stroke-linejoin="round"/>' % (
                           d, scol(sh["color"]), w))
    return "\n".join(out)


def actor_svg(a, t, lang):
    tr = a.get("tracks", {})
    x = track_eval(tr.get("x"), t, 0)
    y = track_eval(tr.get("y"), t, 0)
    rot = track_eval(tr.get("rotation"), t, 0)
    sx = track_eval(tr.get("scale_x"), t, 1)
    sy = track_eval(tr.get("scale_y"), t, 1)
    op = track_eval(tr.get("opacity"), t, 1)
    vis = track_eval(tr.get("visible"), t, 1)
    if vis < 0.5:
        return ""
    head = '<g transform="translate(%.2f %.2f) rotate(%.3f) scale(%.4f %.4f)" opacity="%.3f">' % (
        x, y, rot, sx, sy, op)
    body = ""
    if a["kind"] == "character":
        parts = a["parts"]
        ptr = a.get("part_tracks", {})
        byid = {p["id"]: p for p in parts}

        def chain(p):
            c = []
            while p is not None:
                c.append(p)
                p = byid.get(p.get("parent")) if p.get("parent") else None
            return list(reversed(c))

        order = sorted(range(len(parts)), key=lambda i: (parts[i].get("z", 0), i))
        for i in order:
            p = parts[i]
            g = ""
            for q in chain(p):
                r = q.get("rest_rotation", 0) + track_eval(ptr.get(q["id"]), t, 0)
                g += "translate(%.2f %.2f) rotate(%.3f) " % (q["pivot"][0], q["pivot"][1], r)
            body += '<g transform="%s">%s</g>\n' % (g, drawing_svg(p.get("drawing", [])))
    elif a["kind"] == "drawing":
        if a.get("frames"):
            cur = a["frames"][0]
            for f in a["frames"]:
                if f["start"] <= t:
                    cur = f
            body = drawing_svg(cur["drawing"])
        else:
            body = drawing_svg(a.get("drawing", []))
    elif a["kind"] == "text":
        txt = a["text"].get(lang) or a["text"].get("en", "")
        fs = a.get("font_size", 48)
        bw = a.get("box_width", 0) or fs * len(txt) * 0.55
        per = max(1, int(bw / (fs * 0.52)))
        words, lines, cur = txt.split(), [], ""
        for w in words:
            if len(cur) + len(w) + 1 > per and cur:
                lines.append(cur)
                cur = w
            else:
                cur = (cur + " " + w).strip()
        lines.append(cur)
        h = len(lines) * fs * 1.25
        if a.get("bubble", "none") != "none":
            tx, ty = a.get("tail", [0, h + 60])
            body += '<path d="M%.1f %.1f L%.1f %.1f L%.1f %.1f Z" fill="%s" stroke="#333" stroke-width="4"/>' % (
                bw / 2 - 30, h / 2, tx, ty, bw / 2 + 30, h / 2, a.get("bubble_color", "#ffffff"))
            body += '<rect x="-24" y="-20" width="%.1f" height="%.1f" rx="30" fill="%s" stroke="#333" stroke-width="4"/>' % (
                bw + 48, h + 40, a.get("bubble_color", "#ffffff"))
        for i, ln in enumerate(lines):
            body += '<text x="%.1f" y="%.1f" font-family="DejaVu Sans" font-size="%.1f" fill="%s" text-anchor="middle">%s</text>' % (
                bw / 2, fs * (1.0 + 1.25 * i), fs, a.get("color", "#202020"),
                ln.replace("&", "&amp;").replace("<", "&lt;"))
    return head + body + "</g>\n"


def scene_svg(story, si, t, lang="kk"):
    W, H = story.get("width", 1920), story.get("height", 1080)
    sc = story["scenes"][si]
    cam = sc.get("camera", {})
    cx = track_eval(cam.get("x"), t, W / 2)
    cy = track_eval(cam.get("y"), t, H / 2)
    z = track_eval(cam.get("zoom"), t, 1)
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d">' % (W, H, W, H),
           '<rect width="%d" height="%d" fill="%s"/>' % (W, H, sc.get("background", "#ffffff")[:7]),
           '<g transform="translate(%.2f %.2f) scale(%.4f) translate(%.2f %.2f)">' % (W / 2, H / 2, z, -cx, -cy)]
    acts = sc.get("actors", [])
    order = sorted(range(len(acts)), key=lambda i: (track_eval(acts[i].get("tracks", {}).get("z"), t, 0), i))
    for i in order:
        out.append(actor_svg(acts[i], t, lang))
    out.append("</g>")
    for c in sc.get("captions", []):
        if c["start"] <= t < c["end"]:
            out.append('<text x="%d" y="%d" font-family="DejaVu Sans" font-size="40" fill="#fff" '
                       'stroke="#000" stroke-width="1" text-anchor="middle">%s</text>' % (
                           W / 2, H - 40, c["text"].get(lang, "")))
    out.append("</svg>")
    return "\n".join(out)


if __name__ == "__main__":
    story = json.load(open(sys.argv[1], encoding="utf-8"))
    lang = sys.argv[5] if len(sys.argv) > 5 else "kk"
    with open(sys.argv[4], "w", encoding="utf-8") as f:
        f.write(scene_svg(story, int(sys.argv[2]), float(sys.argv[3]), lang))
