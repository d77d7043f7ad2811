"""shapes.py: small geometry helpers shared by the template generators.

Everything here returns plain lists and dicts in the story.json shape form
(docs/story-format.md, "Shapes"), with coordinates rounded to 0.1 unit so the
generated JSON is stable and compact. Python 3 standard library only.
"""
import math


def r1(v):
    """Rounds to 0.1 unit; -0.0 becomes 0 so the output is byte-stable."""
    v = round(v, 1)
    if v == 0:
        return 0
    if v == int(v):
        return int(v)
    return v


def pts(points):
    return [[r1(p[0]), r1(p[1])] for p in points]


def fill(color, points, line=None, lw=5, smooth=True):
    """A filled closed outline; `line` outlines it with `lw` units."""
    sh = {"type": "fill", "color": color, "smooth": smooth, "points": pts(points)}
    if line:
        sh["line"] = line
        sh["line_width"] = lw
    return sh


def stroke(color, points, w=5, closed=False, smooth=True):
    """A line; points are (x, y) or (x, y, w)."""
    out = []
    for p in points:
        out.append([r1(p[0]), r1(p[1]), r1(p[2] if len(p) > 2 else w)])
    return {"type": "stroke", "color": color, "closed": closed, "smooth": smooth,
            "points": out}


def ellipse(cx, cy, rx, ry, n=16, rot=0.0):
    """n points around an ellipse rotated by `rot` degrees (clockwise)."""
    a = math.radians(rot)
    ca, sa = math.cos(a), math.sin(a)
    out = []
    for i in range(n):
        t = 2 * math.pi * i / n
        x, y = rx * math.cos(t), ry * math.sin(t)
        out.append((cx + x * ca - y * sa, cy + x * sa + y * ca))
    return out


def capsule(x0, y0, x1, y1, r0, r1_=None, n=6):
    """A rounded limb from (x0, y0) (radius r0) to (x1, y1) (radius r1_):
    two half-circle caps joined by straight sides."""
    if r1_ is None:
        r1_ = r0
    ang = math.atan2(y1 - y0, x1 - x0)
    out = []
    # cap at the end (x1, y1): from +90 to -90 degrees around the direction
    for i in range(n + 1):
        t = ang + math.pi / 2 - math.pi * i / n
        out.append((x1 + r1_ * math.cos(t), y1 + r1_ * math.sin(t)))
    for i in range(n + 1):
        t = ang - math.pi / 2 - math.pi * i / n
        out.append((x0 + r0 * math.cos(t), y0 + r0 * math.sin(t)))
    return out


def rotate_pts(points, deg, cx=0.0, cy=0.0):
    a = math.radians(deg)
    ca, sa = math.cos(a), math.sin(a)
    out = []
    for p in points:
        x, y = p[0] - cx, p[1] - cy
        q = (cx + x * ca - y * sa, cy + x * sa + y * ca)
        out.append(q + tuple(p[2:]))
    return out


def mirror_x(points):
    return [(-p[0], p[1]) + tuple(p[2:]) for p in points]


def shift(points, dx, dy):
    return [(p[0] + dx, p[1] + dy) + tuple(p[2:]) for p in points]


def arc(cx, cy, rx, ry, a0, a1, n=8, w=5):
    """Points along an elliptic arc from a0 to a1 degrees (0 = +x, clockwise)."""
    out = []
    for i in range(n + 1):
        t = math.radians(a0 + (a1 - a0) * i / n)
        out.append((cx + rx * math.cos(t), cy + ry * math.sin(t), w))
    return out


def shape_transform(shape, fn):
    """A copy of a shape with fn((x, y)) -> (x, y) applied to every point."""
    sh = dict(shape)
    new = []
    for p in shape["points"]:
        q = fn((p[0], p[1]))
        if shape["type"] == "stroke":
            new.append([r1(q[0]), r1(q[1]), p[2]])
        else:
            new.append([r1(q[0]), r1(q[1])])
    sh["points"] = new
    return sh


def keys(times_values, ease=None):
    """[(t, v), (t, v, ease)] -> track keys; `ease` is the default ease."""
    out = []
    for tv in times_values:
        k = {"time": r1(tv[0]) if tv[0] * 10 == int(tv[0] * 10) else tv[0],
             "value": r1(tv[1])}
        e = tv[2] if len(tv) > 2 else ease
        if e and e != "linear":
            k["ease"] = e
        out.append(k)
    return out


def dumps(obj, indent=0):
    """JSON text with 2-space indentation where lists of numbers (points,
    pivots, rects) stay on one line, so a template is readable and diffable."""
    import json
    sp = "  " * indent
    sp1 = "  " * (indent + 1)

    def flat(o):
        if isinstance(o, (int, float)):
            return True
        if isinstance(o, list):
            return all(isinstance(x, (int, float)) for x in o)
        return False

    if isinstance(obj, dict):
        if not obj:
            return "{}"
        if len(obj) <= 4 and all(not isinstance(v, (dict, list)) for v in obj.values()):
            return json.dumps(obj, ensure_ascii=False, separators=(", ", ": "))
        items = [sp1 + json.dumps(k, ensure_ascii=False) + ": " + dumps(v, indent + 1)
                 for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + sp + "}"
    if isinstance(obj, list):
        if not obj:
            return "[]"
        if all(flat(x) for x in obj):
            return json.dumps(obj, ensure_ascii=False, separators=(", ", ": "))
        items = [sp1 + dumps(v, indent + 1) for v in obj]
        return "[\n" + ",\n".join(items) + "\n" + sp + "]"
    return json.dumps(obj, ensure_ascii=False)
