"""animals.py: side-view four-legged characters (fox, wolf, bear, horse,
camel), facing right. The actor's origin is on the ground between the feet;
y grows down. Flip an animal with scale_x = -1.

Part ids: body (root), head (pivot at the neck), ear_near / ear_far (children
of head), leg_front_near / leg_front_far (pivot at the shoulder),
leg_back_near / leg_back_far (pivot at the hip), tail (pivot at its root).
"far" parts are darker and drawn behind the body.
"""
from shapes import fill, stroke, ellipse, capsule, keys


def part(pid, parent, pivot, z, drawing, rest=0):
    p = {"id": pid, "parent": parent, "pivot": [pivot[0], pivot[1]], "z": z}
    if rest:
        p["rest_rotation"] = rest
    p["drawing"] = drawing
    return p


def eye_side(cx, cy, rx, ry, out, iris=None):
    """A big readable side-view eye: white, pupil towards the front (+x),
    a highlight."""
    d = [fill("#ffffff", ellipse(cx, cy, rx, ry, 14), out, 4)]
    if iris:
        d.append(fill(iris, ellipse(cx + rx * 0.3, cy + ry * 0.1, rx * 0.68, ry * 0.68, 12)))
        d.append(fill("#1c1410", ellipse(cx + rx * 0.4, cy + ry * 0.1, rx * 0.36, ry * 0.42, 10)))
    else:
        d.append(fill("#1c1410", ellipse(cx + rx * 0.32, cy + ry * 0.12, rx * 0.62, ry * 0.62, 12)))
    d.append(fill("#ffffff", ellipse(cx + rx * 0.5, cy - ry * 0.22, rx * 0.24, rx * 0.24, 8)))
    return d


def quad_idle(nod=5, wag=12, leg=-30, dur=3.0):
    """Idle loop: the head nods, the tail wags, the near ear twitches, the near
    front leg lifts as a wave. Returns part_tracks."""
    return {
        "head": keys([(0, 0), (0.75, -nod), (1.5, 0), (2.25, nod * 0.6), (dur, 0)], "in-out"),
        "ear_near": keys([(0, 0, "step"), (1.1, -14, "step"), (1.3, 0, "step"),
                          (1.45, -14, "step"), (1.6, 0)]),
        "tail": keys([(0, 0), (0.5, wag), (1.0, -wag * 0.6), (1.5, wag), (2.0, -wag * 0.6),
                      (2.5, wag * 0.5), (dur, 0)], "in-out"),
        "leg_front_near": keys([(0, 0), (0.9, 0, "out"), (1.3, leg), (1.9, leg * 0.75),
                                (2.4, 0)], "in-out"),
    }


def legs(front, back, far_dx, leg_near, leg_far, z_near=-1, z_far=-2):
    """Four legs: front/back = (x, y) pivots of the near legs; far legs sit
    `far_dx` units behind. leg_near/leg_far(length) -> drawing."""
    fx, fy = front
    bx, by = back
    return [
        part("leg_front_far", "body", (fx - far_dx, fy), z_far, leg_far(-fy)),
        part("leg_back_far", "body", (bx - far_dx, by), z_far, leg_far(-by)),
        part("leg_front_near", "body", (fx, fy), z_near, leg_near(-fy)),
        part("leg_back_near", "body", (bx, by), z_near, leg_near(-by)),
    ]


# ---- fox ---------------------------------------------------------------------

def fox():
    OR, ORD, CR, DK, OUT = "#ec7a2c", "#c8601c", "#fff0dc", "#4a2a1a", "#5a2a10"

    def leg(c):
        def f(length):
            return [fill(c, capsule(0, -12, 0, length - 24, 19, 14), OUT, 5),
                    fill(DK, capsule(0, length - 48, 0, length - 22, 14, 14), None),
                    fill(DK, ellipse(7, length - 11, 22, 12, 12), OUT, 4)]
        return f

    body = [fill(OR, [(-135, -180), (-115, -228), (-40, -250), (50, -246), (118, -226),
                      (148, -185), (128, -140), (50, -122), (-40, -124), (-112, -138)], OUT, 5),
            fill(CR, [(40, -128), (95, -140), (130, -160), (138, -182), (110, -170),
                      (70, -150), (30, -138)], None)]
    head = [fill(OR, [(-30, 10), (-44, -30), (-34, -78), (0, -106), (46, -110), (86, -92),
                      (114, -62), (140, -36), (162, -28), (158, -12), (128, 0), (80, 16),
                      (30, 26), (-10, 26)], OUT, 5),
            fill(CR, [(-24, 8), (-4, -4), (30, -26), (62, -32), (92, -26), (124, -22),
                      (150, -20), (156, -12), (128, -1), (80, 13), (30, 21), (-8, 22)], None),
            fill(DK, ellipse(160, -22, 12, 10, 10), OUT, 3)]
    head += eye_side(76, -58, 18, 22, OUT)
    head += [stroke(OUT, [(62, -92), (78, -96), (94, -90)], 5),
             stroke(OUT, [(124, -2), (138, -4), (150, -10)], 4)]

    def ear(c, inner):
        return [fill(c, [(-24, 6), (-10, -42), (2, -76), (14, -42), (26, 6)], OUT, 5),
                fill(inner, [(-12, 0), (-3, -34), (3, -54), (10, -32), (15, 0)], None)]

    tail = [fill(OR, [(0, -18), (-60, -56), (-140, -72), (-205, -48), (-226, 0),
                      (-192, 26), (-120, 26), (-52, 20), (0, 16)], OUT, 5),
            fill(CR, [(-178, -56), (-212, -44), (-227, -2), (-198, 24), (-172, 12),
                      (-165, -22)], OUT, 4)]
    parts = [part("body", None, (0, 0), 0, body),
             part("tail", "body", (-125, -195), -2, tail)]
    parts += legs((88, -150), (-82, -150), 26, leg(OR), leg(ORD))
    parts += [part("head", "body", (112, -212), 2, head),
              part("ear_far", "head", (-12, -90), 1, ear(ORD, DK)),
              part("ear_near", "head", (22, -94), 3, ear(OR, DK))]
    return {"name": "fox", "title": {"kk": "Түлкі", "ru": "Лиса", "en": "Fox"},
            "parts": parts, "part_tracks": quad_idle(), "y": 930}


# ---- wolf --------------------------------------------------------------------

def wolf():
    GR, GRD, LT, DK, OUT = "#8d97a5", "#6f7887", "#e6e9ee", "#3d4350", "#2c313b"

    def leg(c):
        def f(length):
            return [fill(c, capsule(0, -14, 0, length - 20, 23, 16), OUT, 5),
                    fill(DK, ellipse(8, length - 11, 25, 12, 12), OUT, 4)]
        return f

    body = [fill(GR, [(-155, -210), (-134, -266), (-50, -290), (60, -286), (140, -262),
                      (176, -214), (154, -162), (60, -142), (-50, -144), (-132, -160)], OUT, 5),
            fill(LT, [(50, -150), (110, -162), (155, -190), (164, -214), (136, -200),
                      (90, -176), (40, -158)], None),
            stroke(GRD, [(-90, -255), (-60, -268), (-30, -262)], 5),
            stroke(GRD, [(-40, -240), (-10, -252), (20, -246)], 5)]
    head = [fill(GR, [(-36, 14), (-52, -30), (-42, -82), (0, -110), (50, -112), (96, -96),
                      (136, -70), (186, -50), (204, -36), (198, -14), (150, 2), (100, 22),
                      (40, 36), (-10, 32)], OUT, 5),
            fill(LT, [(-30, 10), (-6, -6), (36, -30), (72, -36), (110, -28), (150, -28),
                      (190, -28), (188, -16), (150, -1), (100, 19), (40, 32), (-10, 28)], None),
            fill(DK, ellipse(200, -38, 13, 11, 10), OUT, 3)]
    head += eye_side(86, -62, 15, 18, OUT, iris="#e8b830")
    head += [stroke(OUT, [(62, -94), (84, -90), (104, -82)], 7),
             stroke(OUT, [(140, 4), (160, 2), (178, -4), (190, -10)], 4)]

    def ear(c, inner):
        return [fill(c, [(-24, 6), (-8, -56), (4, -92), (16, -52), (26, 6)], OUT, 5),
                fill(inner, [(-12, 0), (-3, -44), (4, -68), (11, -40), (15, 0)], None)]

    tail = [fill(GR, [(0, -18), (-50, -22), (-120, -2), (-176, 40), (-192, 82), (-160, 98),
                      (-110, 72), (-50, 36), (0, 16)], OUT, 5),
            fill(DK, [(-160, 50), (-186, 66), (-190, 84), (-162, 96), (-140, 80)], None)]
    parts = [part("body", None, (0, 0), 0, body),
             part("tail", "body", (-145, -232), -2, tail)]
    parts += legs((110, -176), (-104, -176), 26, leg(GR), leg(GRD))
    parts += [part("head", "body", (138, -252), 2, head),
              part("ear_far", "head", (-14, -96), 1, ear(GRD, DK)),
              part("ear_near", "head", (22, -100), 3, ear(GR, DK))]
    return {"name": "wolf", "title": {"kk": "Қасқыр", "ru": "Волк", "en": "Wolf"},
            "parts": parts, "part_tracks": quad_idle(nod=4, wag=8), "y": 900}


# ---- bear --------------------------------------------------------------------

def bear():
    BR, BRD, TAN, DK, OUT = "#93602f", "#76491f", "#dcb98e", "#2b1a10", "#3a2210"

    def leg(c):
        def f(length):
            return [fill(c, capsule(0, -24, 0, length - 26, 38, 32), OUT, 5),
                    fill(BRD if c == BR else "#5e3a18", ellipse(10, length - 13, 40, 14, 14), OUT, 4)]
        return f

    body = [fill(BR, [(-188, -212), (-164, -300), (-64, -348), (60, -344), (152, -306),
                      (190, -222), (164, -142), (60, -118), (-60, -118), (-162, -142)], OUT, 5),
            fill(TAN, ellipse(112, -196, 40, 58, 14, -15), None)]
    head = [fill(BR, ellipse(44, -38, 86, 78, 18), OUT, 5),
            fill(TAN, ellipse(108, -10, 50, 36, 14), OUT, 4),
            fill(DK, ellipse(148, -24, 17, 12, 10), OUT, 3),
            stroke(OUT, [(112, 14), (126, 18), (142, 8)], 5)]
    head += eye_side(66, -58, 15, 18, OUT)
    head += [stroke(OUT, [(50, -88), (68, -92), (84, -86)], 6)]

    def ear(c, inner):
        return [fill(c, ellipse(0, -16, 27, 25, 14), OUT, 5),
                fill(inner, ellipse(2, -14, 14, 13, 10), None)]

    tail = [fill(BR, ellipse(-14, 0, 24, 20, 12), OUT, 5)]
    parts = [part("body", None, (0, 0), 0, body),
             part("tail", "body", (-182, -236), -1, tail)]
    parts += legs((108, -142), (-112, -142), 30, leg(BR), leg(BRD))
    parts += [part("head", "body", (148, -280), 2, head),
              part("ear_far", "head", (-8, -96), 1, ear(BRD, DK)),
              part("ear_near", "head", (34, -108), 3, ear(BR, TAN))]
    return {"name": "bear", "title": {"kk": "Аю", "ru": "Медведь", "en": "Bear"},
            "parts": parts, "part_tracks": quad_idle(nod=6, wag=15, leg=-25), "y": 880}


# ---- horse -------------------------------------------------------------------

def horse(saddle=True):
    CH, CHD, MANE, HOOF, OUT = "#b8672c", "#94511f", "#3a2418", "#3b2f2a", "#3a1e0e"
    RED, GOLD = "#c0392b", "#f2c14e"

    def leg(c):
        def f(length):
            hoof = length - 34
            return [fill(c, [(-27, -22), (27, -22), (22, 90), (15, hoof - 8), (14, hoof + 4),
                             (-14, hoof + 4), (-15, hoof - 8), (-20, 90)], OUT, 5),
                    fill(HOOF, [(-17, hoof), (17, hoof), (21, length - 4), (20, length),
                                (-20, length), (-21, length - 4)], OUT, 4, smooth=False)]
        return f

    body = [fill(CH, [(-192, -330), (-170, -388), (-90, -412), (20, -406), (120, -402),
                      (176, -372), (194, -322), (162, -276), (60, -256), (-60, -260),
                      (-162, -276)], OUT, 5)]
    if saddle:
        body += [fill(RED, [(-62, -404), (52, -402), (58, -330), (44, -296), (-50, -296),
                            (-66, -330)], OUT, 4),
                 stroke(GOLD, [(-56, -312), (-30, -324), (0, -312), (30, -324), (52, -312)], 6,
                        smooth=False),
                 fill("#6b3a1e", [(-58, -402), (-46, -432), (-22, -414), (20, -412), (42, -436),
                                  (56, -404)], OUT, 4)]
    head = [fill(CH, [(-46, 30), (-40, -40), (-6, -120), (34, -182), (70, -204), (102, -198),
                      (132, -172), (166, -122), (188, -86), (182, -60), (156, -50), (122, -64),
                      (92, -96), (70, -80), (44, -20), (36, 30)], OUT, 5),
            fill("#fff4e6", [(104, -186), (126, -160), (160, -106), (172, -80), (162, -76),
                             (146, -104), (116, -154)], None),
            fill(MANE, [(-52, 24), (-62, -30), (-36, -100), (0, -160), (40, -202), (66, -218),
                        (58, -196), (26, -150), (-14, -90), (-30, -30), (-30, 18)], OUT, 4),
            fill(MANE, [(66, -214), (92, -210), (98, -186), (80, -192)], OUT, 3),
            fill(HOOF, ellipse(168, -72, 6, 4, 8)),
            stroke(OUT, [(148, -54), (160, -52), (172, -56)], 4)]
    head += eye_side(104, -158, 13, 16, OUT)
    ear = [fill(CH, [(-12, 4), (-6, -38), (4, -50), (14, -22), (14, 4)], OUT, 4)]
    ear_far = [fill(CHD, [(-12, 4), (-6, -38), (4, -50), (14, -22), (14, 4)], OUT, 4)]
    tail = [fill(MANE, [(-4, -12), (-42, -16), (-72, 20), (-92, 100), (-96, 190), (-72, 232),
                        (-56, 170), (-40, 92), (-14, 30), (6, 12)], OUT, 5)]
    parts = [part("body", None, (0, 0), 0, body),
             part("tail", "body", (-186, -368), -2, tail)]
    parts += legs((132, -292), (-138, -296), 28, leg(CH), leg(CHD))
    parts += [part("head", "body", (150, -384), 2, head),
              part("ear_far", "head", (66, -196), 1, ear_far),
              part("ear_near", "head", (80, -198), 3, ear)]
    return {"name": "horse", "title": {"kk": "Ат", "ru": "Конь", "en": "Horse"},
            "parts": parts, "part_tracks": quad_idle(nod=6, wag=10, leg=-35), "y": 900}


# ---- camel (Bactrian, two humps) ---------------------------------------------

def camel():
    SA, SAD, HOOF, OUT = "#d2a66a", "#b48a50", "#6b5238", "#4a3218"

    def leg(c):
        def f(length):
            return [fill(c, [(-26, -20), (26, -20), (18, 80), (16, length - 70), (20, length - 50),
                             (14, length - 30), (-14, length - 30), (-18, length - 50),
                             (-14, length - 70), (-16, 80)], OUT, 5),
                    fill(HOOF, ellipse(6, length - 14, 26, 14, 12), OUT, 4)]
        return f

    body = [fill(SA, [(-185, -300), (-170, -380), (-130, -420), (-95, -470), (-50, -452),
                      (-20, -418), (20, -432), (60, -480), (100, -452), (140, -392),
                      (178, -346), (180, -296), (140, -258), (40, -246), (-70, -250),
                      (-160, -262)], OUT, 5),
            stroke(SAD, [(-120, -440), (-90, -462), (-60, -450)], 8),
            stroke(SAD, [(40, -458), (64, -472), (92, -452)], 8)]
    head = [fill(SA, [(-44, 30), (-32, -40), (-12, -120), (8, -180), (36, -216), (86, -232),
                      (132, -222), (164, -204), (174, -182), (160, -166), (120, -164), (80, -160),
                      (60, -120), (50, -50), (44, 30)], OUT, 5),
            stroke(SAD, [(-20, -40), (-8, -100), (6, -150)], 10),
            stroke(OUT, [(150, -176), (162, -180)], 4),
            stroke(OUT, [(128, -172), (146, -170), (160, -172)], 4)]
    head += eye_side(92, -204, 13, 15, OUT)
    head += [stroke(OUT, [(78, -224), (94, -228), (108, -222)], 5)]
    ear = [fill(SA, ellipse(0, -10, 9, 16, 10, -20), OUT, 4)]
    ear_far = [fill(SAD, ellipse(0, -10, 9, 16, 10, -20), OUT, 4)]
    tail = [stroke(SAD, [(0, 0), (-16, 40), (-20, 90)], 12),
            fill(OUT, ellipse(-20, 100, 10, 18, 10), None)]
    parts = [part("body", None, (0, 0), 0, body),
             part("tail", "body", (-178, -330), -2, tail)]
    parts += legs((130, -282), (-130, -284), 26, leg(SA), leg(SAD))
    parts += [part("head", "body", (158, -338), 2, head),
              part("ear_far", "head", (52, -220), 1, ear_far),
              part("ear_near", "head", (64, -226), 3, ear)]
    return {"name": "camel", "title": {"kk": "Түйе", "ru": "Верблюд", "en": "Camel"},
            "parts": parts, "part_tracks": quad_idle(nod=5, wag=10, leg=-30), "y": 920}


# ---- eagle (the berkut of the eagle hunters) ---------------------------------

def eagle():
    """A golden eagle standing, side view facing right. Bird parts: body,
    head, wing_near / wing_far (pivot at the shoulder; positive rotation
    lifts them up and back), leg_near / leg_far (pivot at the hip), tail."""
    BR, BRD, GOLD, BEAK, LEG, OUT = "#6b4226", "#523119", "#c8954a", "#f2c14e", "#e8b83a", "#2e1a0c"

    def wing(c):
        return [fill(c, [(-6, -16), (28, -4), (34, 60), (16, 130), (-24, 196), (-76, 246),
                         (-70, 190), (-50, 120), (-30, 40)], OUT, 5),
                stroke(OUT, [(-60, 222), (-30, 170)], 3),
                stroke(OUT, [(-40, 204), (-10, 150)], 3),
                stroke(OUT, [(-20, 180), (6, 128)], 3)]

    def leg(c):
        return [fill(BR, ellipse(0, 10, 26, 30, 12), OUT, 4),
                fill(c, [(-7, 30), (7, 30), (7, 108), (-7, 108)], OUT, 3, smooth=False),
                stroke(OUT, [(0, 108), (26, 114), (34, 122)], 7),
                stroke(OUT, [(0, 108), (-8, 116), (-14, 122)], 7),
                stroke(c, [(0, 108), (22, 112), (28, 118)], 4)]

    body = [fill(BR, [(40, -340), (80, -300), (90, -230), (66, -160), (20, -118), (-40, -112),
                      (-86, -150), (-100, -220), (-76, -290), (-24, -336)], OUT, 5),
            fill("#8a5a34", [(56, -300), (80, -240), (64, -170), (30, -136), (40, -200),
                             (44, -260)], None)]
    for (x, y) in [(56, -250), (48, -214), (62, -196), (40, -176)]:
        body.append(stroke(BRD, [(x - 6, y), (x, y + 6), (x + 6, y)], 3))
    head = [fill(GOLD, ellipse(10, -50, 58, 54, 16), OUT, 5),
            fill(BEAK, [(44, -66), (84, -62), (104, -46), (100, -22), (88, -30), (72, -36),
                        (48, -32)], OUT, 4),
            fill("#3a2a1a", [(96, -38), (104, -44), (102, -22), (94, -26)], None),
            stroke(OUT, [(60, -44), (78, -40)], 3)]
    head += eye_side(28, -56, 15, 17, OUT, iris="#e8a030")
    head += [stroke(OUT, [(8, -78), (28, -80), (48, -70)], 7)]
    tail = [fill(BRD, [(0, -14), (-48, 40), (-92, 104), (-70, 116), (-40, 112), (-14, 96),
                       (14, 20)], OUT, 5),
            stroke(OUT, [(-60, 108), (-20, 40)], 3)]
    parts = [part("body", None, (0, 0), 0, body),
             part("tail", "body", (-70, -150), -3, tail),
             part("leg_far", "body", (14, -124), -2, leg("#c9a032")),
             part("leg_near", "body", (-6, -120), 1, leg(LEG)),
             part("wing_far", "body", (34, -296), -1, wing(BRD)),
             part("head", "body", (40, -318), 2, head),
             part("wing_near", "body", (18, -290), 3, wing(BR))]
    tracks = {
        "head": keys([(0, 0), (0.6, -8), (1.2, 0), (2.2, 6), (3.0, 0)], "in-out"),
        "wing_near": keys([(0, 0), (0.8, 0), (1.1, 125), (1.35, 70), (1.6, 125),
                           (1.85, 70), (2.1, 125), (2.6, 0)], "in-out"),
        "wing_far": keys([(0, 0), (0.8, 0), (1.1, 105), (1.35, 55), (1.6, 105),
                          (1.85, 55), (2.1, 105), (2.6, 0)], "in-out"),
        "tail": keys([(0, 0), (1.1, 8), (1.6, -4), (2.1, 8), (3.0, 0)], "in-out"),
        "leg_near": keys([(0, 0), (1.1, 0, "out"), (1.6, -10), (2.2, 0)], "in-out"),
    }
    return {"name": "eagle", "title": {"kk": "Бүркіт", "ru": "Беркут", "en": "Golden eagle"},
            "parts": parts, "part_tracks": tracks, "y": 860}
