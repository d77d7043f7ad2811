"""people.py: front-view human characters (girl, boy, Aldar Kose, the bai).

The actor's origin is on the ground between the feet; y grows down. "_l"
parts are on the viewer's left (negative x), "_r" on the right. A raised
arm: arm_r rotates negative (counter-clockwise), arm_l positive.

Part ids: body (root), leg_l / leg_r (pivot at the hip), arm_l / arm_r (pivot
at the shoulder), head (pivot at the neck), eyelids (child of head, see
below), hat (child of head, drawn above the eyelids), and for the girl
braid_l / braid_r (pivot behind the ears).

Blinking: a rotation track can only turn a part, so the closed eyelids hang
on a pivot far to the left of the head. At rotation 0 they sit under the hat
(hidden); rotated by a few degrees they swing down over the eyes. A blink is
two `step` keys: lid_angle, then 0.
"""
import math

from shapes import (fill, stroke, ellipse, capsule, keys, mirror_x, arc,
                    shape_transform, r1)
from animals import part


def eye_front(cx, cy, rx, ry, out, look=(2, 2), iris=None):
    lx, ly = look
    d = [fill("#ffffff", ellipse(cx, cy, rx, ry, 14), out, 4)]
    if iris:
        d.append(fill(iris, ellipse(cx + lx, cy + ly, rx * 0.72, ry * 0.66, 12)))
    d.append(fill("#22160f", ellipse(cx + lx, cy + ly, rx * 0.55, ry * 0.52, 12)))
    d.append(fill("#ffffff", ellipse(cx + lx + rx * 0.28, cy + ly - ry * 0.25, rx * 0.22, rx * 0.22, 8)))
    return d


def eyelids(eyes, rest_y, skin, out, px=-900.0):
    """The `eyelids` part and the blink angle. `eyes` is a list of
    (cx, cy, rx, ry) in head coordinates, all at the same cy. The lids rest
    centred at y = rest_y (under the hat) and swing onto the eyes when
    rotated by the returned angle about the pivot (px, mid)."""
    cy = eyes[0][1]
    py = (cy + rest_y) / 2.0
    a_eye = math.atan2(cy - py, 0 - px)
    a_rest = math.atan2(rest_y - py, 0 - px)
    theta = a_eye - a_rest  # radians, clockwise positive (y down)
    shapes = []
    for (ex, ey, rx, ry) in eyes:
        shapes.append(fill(skin, ellipse(ex, ey, rx + 5, ry + 5, 14), None))
        shapes.append(stroke(out, arc(ex, ey - ry * 0.2, rx + 1, ry * 0.55, 15, 165, 8, 5)))
    c, s = math.cos(-theta), math.sin(-theta)

    def to_lid(p):
        x, y = p[0] - px, p[1] - py
        return (x * c - y * s, x * s + y * c)

    drawing = [shape_transform(sh, to_lid) for sh in shapes]
    return (px, py), drawing, r1(math.degrees(theta))


def human_idle(lid_angle, dur=3.0, extra=None):
    tr = {
        "head": keys([(0, 0), (0.8, 6), (1.6, 0), (2.4, -4), (dur, 0)], "in-out"),
        "arm_l": keys([(0, 0), (1.5, 8), (dur, 0)], "in-out"),
        "arm_r": keys([(0, 0), (0.6, -145), (0.9, -118), (1.2, -145), (1.5, -118),
                       (1.8, -145), (2.5, 0)], "in-out"),
        "leg_l": keys([(0, 0), (1.5, 4), (dur, 0)], "in-out"),
        "leg_r": keys([(0, 0), (1.5, -4), (dur, 0)], "in-out"),
        "eyelids": keys([(0, 0, "step"), (1.0, lid_angle, "step"), (1.14, 0, "step"),
                         (2.6, lid_angle, "step"), (2.74, 0)]),
    }
    if extra:
        tr.update(extra)
    return tr


def limb_pair(pid, pivot, z, drawing, rest=0):
    """Mirrored left/right parts: `drawing` is the right one (+x side)."""
    x, y = pivot
    left = [dict(sh, points=[[-p[0]] + p[1:] for p in sh["points"]]) for sh in drawing]
    return [part(pid + "_l", "body", (-x, y), z, left, -rest),
            part(pid + "_r", "body", (x, y), z, drawing, rest)]


def boot(y0, y1, color, out, w=17, toe=14):
    """A boot whose toe points to +x, from y0 (top) to y1 (sole)."""
    return fill(color, [(-w, y0), (w, y0), (w + 1, y1 - 20), (w + toe, y1 - 12),
                        (w + toe, y1), (-w - 2, y1), (-w - 3, y1 - 20)], out, 4)


# ---- girl --------------------------------------------------------------------

def girl():
    SKIN, HAIR, RED, BLUE, GOLD, OUT = "#f2c6a0", "#3a2418", "#d9453b", "#2f4f8f", "#f2c14e", "#4a2a1a"
    leg = [fill("#f5efe6", capsule(0, -10, 0, 132, 16, 14), OUT, 4),
           boot(112, 172, "#b0302a", OUT, 16)]
    body = [fill(RED, [(-50, -300), (50, -300), (64, -268), (80, -200), (106, -150),
                       (-106, -150), (-80, -200), (-64, -268)], OUT, 5),
            fill(BLUE, [(-52, -296), (-18, -298), (-8, -240), (-12, -198), (-70, -198),
                        (-64, -264)], OUT, 4),
            fill(BLUE, [(52, -296), (18, -298), (8, -240), (12, -198), (70, -198),
                        (64, -264)], OUT, 4),
            stroke(GOLD, [(-18, -294), (-9, -240), (-13, -202)], 5),
            stroke(GOLD, [(18, -294), (9, -240), (13, -202)], 5),
            fill("#ffffff", [(-22, -300), (0, -282), (22, -300)], OUT, 3),
            stroke(GOLD, [(-98, -164), (-70, -174), (-42, -164), (-14, -174), (14, -164),
                          (42, -174), (70, -164), (98, -174)], 6, smooth=False)]
    arm = [fill(RED, capsule(0, 0, 0, 110, 17, 14), OUT, 4),
           stroke(GOLD, [(-13, 102), (13, 102)], 7),
           fill(SKIN, ellipse(0, 126, 16, 17, 12), OUT, 4)]
    eyes = [(-28, -96, 15, 19), (28, -96, 15, 19)]
    head = [fill(SKIN, [(-14, 6), (14, 6), (14, -26), (-14, -26)], OUT, 4, smooth=False),
            fill(HAIR, ellipse(0, -104, 94, 94, 18), OUT, 5),
            fill(SKIN, ellipse(-80, -90, 13, 17, 10), OUT, 4),
            fill(SKIN, ellipse(80, -90, 13, 17, 10), OUT, 4),
            fill(SKIN, ellipse(0, -92, 80, 78, 20), OUT, 5),
            fill("#ef8b8b99", ellipse(-50, -62, 14, 9, 10)),
            fill("#ef8b8b99", ellipse(50, -62, 14, 9, 10))]
    for (ex, ey, rx, ry) in eyes:
        head += eye_front(ex, ey, rx, ry, OUT, iris="#6b4226")
        side = 1 if ex > 0 else -1
        head.append(stroke(OUT, [(ex + side * 10, ey - 16), (ex + side * 20, ey - 22)], 4))
        head.append(stroke(OUT, arc(ex, ey - 26, 16, 8, 200, 340, 6, 5)))
    head += [stroke(OUT, [(-4, -72), (0, -68), (4, -72)], 4),
             fill("#b23a3a", [(-20, -54), (20, -54), (12, -42), (0, -38), (-12, -42)], OUT, 4),
             fill(HAIR, [(-82, -100), (-72, -146), (-34, -170), (34, -170), (72, -146),
                         (82, -100), (62, -126), (24, -140), (-20, -134), (-56, -124)], OUT, 4)]
    braid = []
    for i, (dy, rx) in enumerate([(18, 19), (48, 17), (78, 15), (106, 13)]):
        braid.append(fill(HAIR, ellipse(i * 2, dy, rx, 17, 12), OUT, 4))
    braid += [fill(GOLD, ellipse(7, 124, 12, 7, 10), OUT, 3),
              fill(HAIR, [(2, 128), (12, 128), (16, 150), (7, 156), (-2, 150)], OUT, 3)]
    (px, py), lid, lid_angle = eyelids(eyes, -180, SKIN, OUT)
    hat = [fill("#b22234", [(-62, 12), (-58, -22), (-36, -46), (0, -54), (36, -46), (58, -22),
                            (62, 12)], OUT, 5),
           stroke(GOLD, [(-58, 2), (58, 2)], 9, smooth=False),
           fill(GOLD, [(0, -34), (10, -22), (0, -10), (-10, -22)], None, smooth=False),
           fill("#f4f1ea", [(-4, -50), (-26, -82), (-20, -118), (0, -140), (16, -114),
                            (24, -82), (6, -50)], "#8a7f70", 4),
           stroke("#8a7f70", [(0, -60), (-2, -90), (0, -124)], 3)]
    parts = [part("body", None, (0, 0), 0, body)]
    parts += limb_pair("leg", (24, -172), -1, leg)
    parts += limb_pair("arm", (56, -288), 2, arm)
    parts += [part("head", "body", (0, -296), 3, head),
              part("braid_l", "head", (-72, -70), 2, [dict(sh, points=[[-p[0]] + p[1:] for p in sh["points"]]) for sh in braid]),
              part("braid_r", "head", (72, -70), 2, braid),
              part("eyelids", "head", (px, py), 4, lid),
              part("hat", "head", (0, -160), 5, hat)]
    extra = {"braid_l": keys([(0, 0), (0.8, -6), (1.6, 0), (2.4, 5), (3, 0)], "in-out"),
             "braid_r": keys([(0, 0), (0.8, -6), (1.6, 0), (2.4, 5), (3, 0)], "in-out")}
    return {"name": "girl", "title": {"kk": "Қыз бала", "ru": "Девочка", "en": "Girl"},
            "parts": parts, "part_tracks": human_idle(lid_angle, extra=extra), "y": 900,
            "lid_angle": lid_angle}


# ---- boy ---------------------------------------------------------------------

def boy():
    SKIN, HAIR, SHIRT, VEST, GOLD, OUT = "#e9b98f", "#2b1d14", "#f7f3ea", "#2e7d4f", "#f2c14e", "#3d2516"
    leg = [fill("#34495e", capsule(0, -16, 0, 136, 19, 16), OUT, 4),
           boot(116, 172, "#6b3e1f", OUT, 18)]
    body = [fill(SHIRT, [(-54, -300), (54, -300), (60, -240), (58, -160), (-58, -160),
                         (-60, -240)], OUT, 5),
            fill(VEST, [(-54, -298), (-16, -300), (-8, -230), (-10, -162), (-58, -162),
                        (-60, -240)], OUT, 4),
            fill(VEST, [(54, -298), (16, -300), (8, -230), (10, -162), (58, -162),
                        (60, -240)], OUT, 4),
            stroke(GOLD, [(-16, -296), (-8, -230), (-10, -166)], 5),
            stroke(GOLD, [(16, -296), (8, -230), (10, -166)], 5),
            fill("#6b3e1f", [(-59, -186), (59, -186), (59, -166), (-59, -166)], OUT, 4, smooth=False),
            fill(GOLD, [(-12, -190), (12, -190), (12, -162), (-12, -162)], OUT, 3, smooth=False)]
    arm = [fill(SHIRT, capsule(0, 0, 0, 110, 17, 14), OUT, 4),
           fill(SKIN, ellipse(0, 126, 16, 17, 12), OUT, 4)]
    eyes = [(-27, -96, 15, 19), (27, -96, 15, 19)]
    head = [fill(SKIN, [(-14, 6), (14, 6), (14, -26), (-14, -26)], OUT, 4, smooth=False),
            fill(HAIR, ellipse(0, -112, 86, 80, 18), OUT, 5),
            fill(SKIN, ellipse(-78, -90, 13, 17, 10), OUT, 4),
            fill(SKIN, ellipse(78, -90, 13, 17, 10), OUT, 4),
            fill(SKIN, ellipse(0, -92, 78, 76, 20), OUT, 5),
            fill("#e0806b88", ellipse(-48, -62, 13, 8, 10)),
            fill("#e0806b88", ellipse(48, -62, 13, 8, 10))]
    for (ex, ey, rx, ry) in eyes:
        head += eye_front(ex, ey, rx, ry, OUT, iris="#5a3a22")
        head.append(stroke(OUT, arc(ex, ey - 27, 15, 6, 200, 340, 6, 6)))
    for fx, fy in [(-52, -70), (-44, -64), (-58, -62), (52, -70), (44, -64), (58, -62)]:
        head.append(fill("#b9754f", ellipse(fx, fy, 2.5, 2.5, 6)))
    head += [stroke(OUT, [(-4, -74), (2, -68), (-2, -66)], 4),
             fill("#8e2f2f", [(-24, -54), (24, -54), (14, -38), (0, -34), (-14, -38)], OUT, 4),
             fill("#ffffff", [(-18, -53), (18, -53), (14, -48), (-14, -48)], None),
             fill(HAIR, [(-78, -110), (-66, -150), (-30, -170), (30, -170), (66, -150), (78, -110),
                         (58, -132), (36, -124), (18, -140), (-6, -126), (-28, -142), (-52, -126)], OUT, 4)]
    (px, py), lid, lid_angle = eyelids(eyes, -180, SKIN, OUT)
    hat = [fill("#2a5caa", [(-64, 12), (-60, -22), (-36, -48), (0, -56), (36, -48), (60, -22),
                            (64, 12)], OUT, 5),
           stroke("#ffffff", [(-60, 2), (60, 2)], 7, smooth=False),
           stroke("#ffffff", [(-30, -14), (-20, -30), (-8, -20), (0, -34), (8, -20), (20, -30),
                              (30, -14)], 4),
           fill("#d23c3c", ellipse(0, -58, 9, 8, 10), OUT, 3)]
    parts = [part("body", None, (0, 0), 0, body)]
    parts += limb_pair("leg", (26, -172), -1, leg)
    parts += limb_pair("arm", (58, -288), 2, arm)
    parts += [part("head", "body", (0, -296), 3, head),
              part("eyelids", "head", (px, py), 4, lid),
              part("hat", "head", (0, -162), 5, hat)]
    return {"name": "boy", "title": {"kk": "Ұл бала", "ru": "Мальчик", "en": "Boy"},
            "parts": parts, "part_tracks": human_idle(lid_angle), "y": 900,
            "lid_angle": lid_angle}


# ---- adults: coats -----------------------------------------------------------

RAGGED = {"base": "#a4824f", "sleeve": "#a4824f", "out": "#4a2e14"}
FUR = {"base": "#8a2d34", "sleeve": "#8a2d34", "fur": "#eadcc2", "out": "#3a1a14"}


def coat_half(build):
    """Right half of the coat outline, from the shoulder down to the hem
    corner (the last point)."""
    if build == "fat":
        return [(68, -388), (100, -340), (126, -250), (120, -160), (110, -96)]
    return [(60, -392), (72, -340), (80, -220), (98, -100)]


def coat(style, build):
    """The long coat (body drawing): the ragged chapan or the bai's fur coat
    (ishik), for a slim or a fat build."""
    half = coat_half(build)
    hx, hem = half[-1]
    left = [(-x, y) for (x, y) in reversed(half)]
    o = half + left
    wide = 126 if build == "fat" else 84
    if style == "ragged":
        C = RAGGED
        out = C["out"]
        # a tattered hem: the bottom edge zigzags
        n = 8
        hem_pts = [(hx - 2 * hx * i / n, hem + (12 if i % 2 else -4)) for i in range(1, n)]
        pts_ = half + hem_pts + left
        d = [fill(C["base"], pts_, out, 5),
             stroke(out, [(-4, -388), (2, -250), (8, -104)], 4),
             fill("#6f8fb0", [(20, -330), (56, -334), (58, -298), (22, -294)], out, 3, smooth=False),
             stroke("#f3e2c0", [(24, -326), (52, -330)], 2, smooth=False),
             fill("#c45a3c", [(-70, -186), (-30, -190), (-28, -150), (-68, -146)], out, 3, smooth=False),
             fill("#3a2616", ellipse(44, -176, 12, 9, 10, 20)),
             fill("#3a2616", ellipse(-36, -262, 9, 12, 10)),
             fill("#3a2616", ellipse(-62, -124, 10, 7, 10)),
             fill("#3a2616", ellipse(60, -118, 8, 6, 10)),
             fill("#7a3b2a", [(-wide + 4, -238), (wide - 4, -238), (wide - 2, -222),
                              (-wide + 2, -222)], out, 4, smooth=False),
             fill("#7a3b2a", [(6, -236), (22, -208), (12, -196), (0, -220)], out, 3),
             fill("#f0e6d2", [(-22, -392), (0, -360), (22, -392)], out, 3, smooth=False)]
        return d
    C = FUR
    out = C["out"]
    d = [fill(C["base"], o, out, 5),
         fill(C["fur"], [(-16, -386), (16, -386), (22, -250), (24, hem + 2), (-24, hem + 2),
                         (-22, -250)], out, 3),
         fill(C["fur"], [(-hx - 2, hem - 20), (hx + 2, hem - 20), (hx + 4, hem + 4),
                         (-hx - 4, hem + 4)], out, 3, smooth=False),
         fill(C["fur"], ellipse(0, -384, 72 if build == "fat" else 62, 22, 16), out, 3),
         fill("#e0b040", [(-wide + 4, -258), (wide - 4, -258), (wide - 3, -238),
                          (-wide + 3, -238)], out, 4, smooth=False),
         fill("#c0392b", ellipse(0, -248, 13, 13, 10), out, 3),
         stroke("#c9a96e", [(-8, -360), (-4, -340), (-10, -320)], 3),
         stroke("#c9a96e", [(8, -300), (12, -280), (6, -262)], 3)]
    return d


def sleeve(style, build):
    thick = 26 if build == "fat" else 20
    length = 136 if build == "fat" else 140
    if style == "ragged":
        C = RAGGED
        return [fill(C["sleeve"], capsule(0, 0, 0, length, thick, thick - 3), C["out"], 4),
                fill("#6f8fb0", [(-10, 50), (10, 48), (12, 74), (-8, 76)], C["out"], 3, smooth=False),
                fill("#3a2616", ellipse(-4, 106, 6, 8, 8))]
    C = FUR
    return [fill(C["sleeve"], capsule(0, 0, 0, length, thick, thick - 3), C["out"], 4),
            fill(C["fur"], ellipse(0, length + 2, thick + 2, 12, 12), C["out"], 3)]


def adult(name, title, build, style, face, hat_kind, y=900):
    slim = build != "fat"
    SKIN = "#e3a978" if face == "aldar" else "#e8b089"
    OUT = "#3d2414"
    hip = -205 if slim else -200
    leg = [fill("#5b4a3a" if slim else "#3b3030",
                capsule(0, -10, 0, -hip - 38, 18 if slim else 22, 16 if slim else 19), OUT, 4),
           boot(-hip - 58 if slim else 96, -hip, "#2e2420" if slim else "#1f1a1a", OUT,
                18 if slim else 23)]
    if not slim:
        leg.append(stroke("#e0b040", [(-22, 98), (22, 98)], 6, smooth=False))
    shoulder = (62, -372) if slim else (86, -362)
    arm = sleeve(style, build)
    length = 140 if slim else 136
    arm.append(fill(SKIN, ellipse(0, length + 22, 17 if slim else 19, 18 if slim else 20, 12), OUT, 4))
    head = [fill(SKIN, [(-15, 8), (15, 8), (15, -24), (-15, -24)], OUT, 4, smooth=False)]
    if face == "aldar":
        eyes = [(-25, -94, 14, 17), (25, -94, 14, 17)]
        head += [fill(SKIN, ellipse(-70, -84, 12, 16, 10), OUT, 4),
                 fill(SKIN, ellipse(70, -84, 12, 16, 10), OUT, 4),
                 fill(SKIN, ellipse(0, -86, 72, 78, 20), OUT, 5),
                 fill("#2b1d14", [(-70, -120), (-60, -150), (-56, -112), (-64, -96)], None),
                 fill("#2b1d14", [(70, -120), (60, -150), (56, -112), (64, -96)], None),
                 fill("#e0806b77", ellipse(-46, -58, 12, 8, 10)),
                 fill("#e0806b77", ellipse(46, -58, 12, 8, 10))]
        for (ex, ey, rx, ry) in eyes:
            head += eye_front(ex, ey, rx, ry, OUT, look=(5, 1))
            head.append(stroke(OUT, arc(ex, ey - 22, 15, 10, 200, 340, 6, 5)))
        head += [stroke(OUT, [(-3, -82), (7, -66), (-2, -62)], 4),
                 fill("#7d2525", [(-34, -48), (34, -48), (22, -28), (0, -22), (-22, -28)], OUT, 4),
                 fill("#ffffff", [(-28, -47), (28, -47), (24, -40), (-24, -40)], None),
                 stroke(OUT, [(-38, -50), (-34, -46)], 4),
                 stroke(OUT, [(38, -50), (34, -46)], 4),
                 stroke("#2b1d14", [(-3, -14), (-4, -4)], 2.5),
                 stroke("#2b1d14", [(3, -14), (4, -4)], 2.5),
                 stroke("#2b1d14", [(0, -13), (0, -2)], 2.5)]
        lid_rest = -175
    else:
        eyes = [(-30, -92, 14, 15), (30, -92, 14, 15)]
        head += [fill(SKIN, ellipse(-84, -84, 13, 17, 10), OUT, 4),
                 fill(SKIN, ellipse(84, -84, 13, 17, 10), OUT, 4),
                 fill(SKIN, ellipse(0, -80, 86, 76, 20), OUT, 5),
                 stroke(OUT, arc(0, -20, 40, 14, 30, 150, 8, 4)),
                 fill("#e0806b88", ellipse(-54, -56, 14, 9, 10)),
                 fill("#e0806b88", ellipse(54, -56, 14, 9, 10))]
        for (ex, ey, rx, ry) in eyes:
            head += eye_front(ex, ey, rx, ry, OUT, look=(-3, 3))
        head += [stroke("#1a1210", [(-56, -120), (-34, -116), (-12, -106)], 9),
                 stroke("#1a1210", [(56, -120), (34, -116), (12, -106)], 9),
                 fill(SKIN, ellipse(0, -68, 12, 10, 10), OUT, 4),
                 stroke(OUT, [(-12, -32), (0, -36), (12, -32)], 4),
                 fill("#1a1210", [(0, -58), (-24, -58), (-48, -48), (-62, -24), (-58, -6),
                                  (-48, -28), (-28, -44), (-2, -48)], OUT, 2),
                 fill("#1a1210", [(0, -58), (24, -58), (48, -48), (62, -24), (58, -6),
                                  (48, -28), (28, -44), (2, -48)], OUT, 2),
                 fill("#1a1210", [(-9, -26), (9, -26), (6, -4), (0, 8), (-6, -4)], OUT, 2)]
        lid_rest = -180
    (px, py), lid, lid_angle = eyelids(eyes, lid_rest, SKIN, OUT)
    if hat_kind == "kalpak":
        hat_pivot = -150
        hat = [fill("#f3ede0", [(-52, 8), (-46, -40), (-26, -92), (0, -118), (26, -92), (46, -40),
                                (52, 8)], OUT, 5),
               stroke("#c0392b", [(-18, -60), (-8, -76), (0, -66), (8, -76), (18, -60)], 4),
               fill("#f3ede0", ellipse(0, -120, 7, 7, 8), OUT, 3),
               fill("#2a2a2a", [(-72, 16), (-74, -20), (-40, -16), (-6, -8), (-4, 18)], OUT, 4),
               fill("#2a2a2a", [(72, 16), (74, -20), (40, -16), (6, -8), (4, 18)], OUT, 4)]
    else:
        hat_pivot = -146
        hat = [fill("#7a1f3d", [(-62, -46), (-56, -108), (-22, -134), (22, -134), (56, -108),
                                (62, -46)], OUT, 5),
               stroke("#e0b040", [(-40, -70), (-20, -100), (0, -80), (20, -100), (40, -70)], 5),
               fill("#e0b040", ellipse(0, -138, 9, 9, 10), OUT, 3),
               fill("#c97a3c", [(-90, 20), (-94, -20), (-82, -58), (-40, -64), (40, -64), (82, -58),
                                (94, -20), (90, 20), (40, 24), (-40, 24)], OUT, 5),
               stroke("#8a4a1e", [(-70, -30), (-62, 0)], 4),
               stroke("#8a4a1e", [(-30, -40), (-26, -6)], 4),
               stroke("#8a4a1e", [(10, -44), (14, -8)], 4),
               stroke("#8a4a1e", [(50, -36), (56, -2)], 4)]
    rest = 0 if slim else -12
    parts = [part("body", None, (0, 0), 0, coat(style, build))]
    parts += limb_pair("leg", (24 if slim else 36, hip), -1, leg)
    parts += limb_pair("arm", shoulder, 2, arm, rest)
    parts += [part("head", "body", (0, -386 if slim else -388), 3, head),
              part("eyelids", "head", (px, py), 4, lid),
              part("hat", "head", (0, hat_pivot), 5, hat)]
    ch = {"name": name, "title": title, "parts": parts,
          "part_tracks": human_idle(lid_angle), "y": y, "lid_angle": lid_angle}
    # Adults are drawn on the children's grid and scaled to 0.9 so that,
    # hats included, they stay near 600 units like the other templates.
    return scale_character(ch, ADULT_SCALE)


ADULT_SCALE = 0.9


def scale_character(ch, k):
    """Scales pivots, points and stroke widths by k; outline widths stay,
    so every template has the same line weight."""
    for p in ch["parts"]:
        p["pivot"] = [r1(p["pivot"][0] * k), r1(p["pivot"][1] * k)]
        for sh in p["drawing"]:
            if sh["type"] == "stroke":
                sh["points"] = [[r1(q[0] * k), r1(q[1] * k), r1(q[2] * k)] for q in sh["points"]]
            else:
                sh["points"] = [[r1(q[0] * k), r1(q[1] * k)] for q in sh["points"]]
    return ch


def aldar(style="ragged"):
    return adult("aldar", {"kk": "Алдар Көсе", "ru": "Алдар Косе", "en": "Aldar Kose"},
                 "slim", style, "aldar", "kalpak", y=920)


def bai(style="fur"):
    return adult("bai", {"kk": "Бай", "ru": "Бай", "en": "Bai (rich man)"},
                 "fat", style, "bai", "borik", y=920)
