"""sample_story.py: the bundled sample story, "Aldar Kose and the fur coat"
(templates/stories/aldar-kose/story.json), after the Kazakh folk tale: on a
freezing day the trickster Aldar Kose, in a coat full of holes, persuades a
greedy bai that his coat is magic (the wind flies in at one hole and out at
the other, so it is never cold) and rides off in the bai's fur coat, on the
bai's horse.

Three scenes of 10 s: the winter steppe with a yurt, hills and snow; the
close-up where Aldar tells about his "magic" coat (camera zoom, a voice
line); Aldar riding away while the camera pans after him and the bai
shivers.
"""
import animals
import people
from shapes import fill, stroke, ellipse, keys

W, H = 1920, 1080
GROUND = 960
# A rider stands this far above the horse's origin: his hip (about 184 units
# up, people.ADULT_SCALE * 205) lands just under the saddle seat (417 up).
RIDER_DY = -232
MEDIA = [
    {"id": "voice_aldar", "path": "media/aldar_voice.wav", "kind": "audio"},
    {"id": "music", "path": "media/dombra_loop.wav", "kind": "audio"},
]
MUSIC_LOOP_S = 5.0


class Lcg:
    """A tiny deterministic generator (the output must not depend on the
    Python version)."""

    def __init__(self, seed):
        self.s = seed

    def next(self):
        self.s = (self.s * 1103515245 + 12345) % 2147483648
        return self.s / 2147483648.0


def actor(aid, kind, x, y, z=0, **kw):
    a = {"id": aid, "kind": kind,
         "tracks": {"x": x if isinstance(x, list) else keys([(0, x)]),
                    "y": y if isinstance(y, list) else keys([(0, y)])}}
    if z:
        a["tracks"]["z"] = keys([(0, z)])
    a.update(kw)
    return a


def character(aid, ch, x, y, z=0, tracks=None, extra=None):
    a = actor(aid, "character", x, y, z, name=ch["title"]["en"], template=ch["name"])
    a["parts"] = ch["parts"]
    a["part_tracks"] = tracks
    if extra:
        a["tracks"].update(extra)
    return a


def bubble(aid, text, x, y, tail, t0, t1, width=520, kind="speech", z=40):
    """A speech or thought bubble centred at (x, y), shown from t0 to t1;
    `tail` is the point it points to, relative to the centre."""
    a = actor(aid, "text", x, y, z)
    a["tracks"]["visible"] = keys([(0, 0, "step"), (t0, 1, "step"), (t1, 0, "step")])
    a.update({"text": text, "font_size": 40, "box_width": width, "color": "#202020",
              "bubble": kind, "bubble_color": "#ffffff", "tail": tail})
    return a


# ---- motion helpers ------------------------------------------------------------

def swing(t0, t1, period, amp, phase=0.0, rest=0.0):
    """Keys swinging between +amp and -amp every half period from t0 to t1,
    starting and ending at `rest` (legs walking, arms swinging)."""
    out = [(t0, rest, "in-out")]
    t = t0 + period / 4
    sign = 1 if phase == 0 else -1
    while t < t1 - period / 4 + 1e-9:
        out.append((round(t, 3), rest + sign * amp, "in-out"))
        sign = -sign
        t += period / 2
    out.append((round(t1, 3), rest))
    return keys(out)


def blinks(angle, times, hold=0.14):
    out = [(0, 0, "step")]
    for t in times:
        out += [(t, angle, "step"), (t + hold, 0, "step")]
    return keys(out)


def walk_tracks(t0, t1, period=0.8, legs=22, arms=16, lid=0.0, blink_at=(), more=None):
    tr = {"leg_l": swing(t0, t1, period, legs), "leg_r": swing(t0, t1, period, legs, 1),
          "arm_l": swing(t0, t1, period, arms, 1), "arm_r": swing(t0, t1, period, arms)}
    if lid:
        tr["eyelids"] = blinks(lid, blink_at)
    if more:
        tr.update(more)
    return tr


def horse_walk(t0, t1, period=0.9, amp=18, more=None):
    tr = {"leg_front_near": swing(t0, t1, period, amp), "leg_back_far": swing(t0, t1, period, amp),
          "leg_front_far": swing(t0, t1, period, amp, 1), "leg_back_near": swing(t0, t1, period, amp, 1),
          "tail": swing(0, 10, 1.6, 10),
          "head": swing(t0, t1, period, 4)}
    if more:
        tr.update(more)
    return tr


def bob(t0, t1, period, base, amp):
    """Keys bobbing between base and base - amp every half period (steps of
    a walk), at rest before t0 and after t1."""
    out = [(0, base)] if t0 > 0 else []
    t, i = t0, 0
    while t < t1 - 1e-9:
        out.append((round(t, 3), base if i % 2 == 0 else base - amp, "in-out"))
        i += 1
        t += period / 2
    out.append((t1, base))
    return keys(out)


# ---- scenery -------------------------------------------------------------------

def hills(x0, x1, y, amp, step, color, line, seed):
    g = Lcg(seed)
    pts = [(x0, 1300)]
    x = x0
    while x <= x1:
        pts.append((x, y - amp * g.next()))
        x += step
    pts.append((x1, 1300))
    return fill(color, pts, line, 4)


def yurt():
    WALL, ROOF, OUT, RED = "#f4efe4", "#efe6d4", "#6b4a2a", "#c0392b"
    d = [fill(WALL, [(-170, 0), (-170, -150), (170, -150), (170, 0)], OUT, 5, smooth=False),
         fill(ROOF, [(-186, -146), (-120, -210), (-40, -250), (40, -250), (120, -210),
                     (186, -146)], OUT, 5),
         fill("#a0703a", [(-30, -250), (30, -250), (24, -266), (-24, -266)], OUT, 4),
         stroke(RED, [(-170, -120), (170, -120)], 12, smooth=False),
         stroke("#f2c14e", [(-160, -120), (-140, -132), (-120, -120), (-100, -132), (-80, -120),
                            (-60, -132), (-40, -120), (-20, -132), (0, -120), (20, -132), (40, -120),
                            (60, -132), (80, -120), (100, -132), (120, -120), (140, -132),
                            (160, -120)], 3, smooth=False),
         fill("#b5652b", [(-40, 0), (-40, -104), (40, -104), (40, 0)], OUT, 4, smooth=False),
         stroke("#f2c14e", [(-28, -90), (0, -70), (28, -90)], 4),
         stroke("#f2c14e", [(-28, -50), (0, -30), (28, -50)], 4),
         stroke("#ffffff", [(-150, -200), (-60, -238), (0, -244)], 6),
         stroke("#9b8a70", [(-10, -266), (-20, -300), (-6, -330)], 8)]
    return d


def clouds(xs, y):
    d = []
    for i, x in enumerate(xs):
        yy = y + (i % 2) * 50
        d += [fill("#ffffff", ellipse(x, yy, 110, 40, 16), None),
              fill("#ffffff", ellipse(x - 60, yy + 10, 70, 32, 14), None),
              fill("#ffffff", ellipse(x + 50, yy - 20, 70, 38, 14), None)]
    return d


def grass(x0, x1, y, seed):
    g = Lcg(seed)
    d = []
    x = x0
    while x < x1:
        h = 20 + 30 * g.next()
        d.append(stroke("#b59a5a", [(x, y), (x + 6, y - h), (x + 14, y - h * 1.2)], 4))
        d.append(stroke("#a08848", [(x + 10, y), (x + 12, y - h * 0.8)], 4))
        x += 120 + 200 * g.next()
    return d


def background(prefix, x0, x1, yurt_x, sun_x=1600, yurt_scale=1.0):
    sky = [fill("#fff3b066", ellipse(sun_x, 170, 120, 120, 20), None),
           fill("#fff6c8", ellipse(sun_x, 170, 72, 72, 20), "#f2d27a", 4)]
    sky += clouds([x0 + 300 + i * 700 for i in range(int((x1 - x0) / 700) + 1)], 140)
    land = [hills(x0, x1, 700, 110, 160, "#c6d8ea", "#a9c0d8", 7),
            hills(x0, x1, 800, 90, 220, "#e3edf6", "#b4c9de", 11),
            fill("#f8fbfe", [(x0, 1300), (x0, GROUND - 40), (x1, GROUND - 40), (x1, 1300)],
                 "#c4d6e8", 4, smooth=False)]
    land += grass(x0 + 60, x1, GROUND + 40, 5)
    out = [actor(prefix + "_sky", "drawing", 0, 0, -30, drawing=sky),
            actor(prefix + "_land", "drawing", 0, 0, -20, drawing=land),
            actor(prefix + "_yurt", "drawing", yurt_x, GROUND - 60, -15, drawing=yurt())]
    if yurt_scale != 1.0:
        out[-1]["tracks"]["scale_x"] = keys([(0, yurt_scale)])
        out[-1]["tracks"]["scale_y"] = keys([(0, yurt_scale)])
    return out


def snow(prefix, x0, x1, duration, seed):
    """Falling snow: two identical layers of flakes one canvas height apart,
    sliding down together by one canvas height over the scene, so the fall
    looks endless; the layers sway a little sideways."""
    g = Lcg(seed)
    flakes = [(x0 + (x1 - x0) * g.next(), H * g.next(), 4 + 5 * g.next()) for _ in range(60)]
    d = [fill("#ffffffdd", ellipse(x, y, r, r, 6), None) for (x, y, r) in flakes]
    out = []
    for i, y0 in enumerate((-H, 0)):
        a = actor("%s_snow%d" % (prefix, i + 1), "drawing",
                  keys([(0, 0, "in-out"), (duration / 2, -40, "in-out"), (duration, 0)]),
                  keys([(0, y0), (duration, y0 + H)]), 30, drawing=d)
        out.append(a)
    return out


def wind(aid, t0, t1, y):
    """Swirls of wind blowing from left to right through Aldar's coat."""
    d = [stroke("#7fb2d9cc", [(0, 0), (60, -14), (120, 0), (150, 24), (128, 44), (104, 26)], 8),
         stroke("#7fb2d9cc", [(-40, 60), (40, 50), (110, 64)], 6),
         stroke("#7fb2d9cc", [(-20, -50), (50, -62), (96, -52)], 6)]
    a = actor(aid, "drawing", keys([(t0, 420, "in-out"), (t1, 960)]), y, 25, drawing=d)
    a["tracks"]["opacity"] = keys([(t0, 0), (t0 + 0.4, 1), (t1 - 0.4, 1), (t1, 0)])
    return a


def music(duration):
    out = []
    t = 0.0
    while t < duration - 0.01:
        out.append({"media": "music", "start": t, "volume": 0.35})
        t += MUSIC_LOOP_S
    return out


# ---- scenes --------------------------------------------------------------------

def scene1():
    aldar = people.aldar("ragged")
    bai = people.bai("fur")
    horse = animals.horse()
    lid_a, lid_b = aldar["lid_angle"], bai["lid_angle"]
    actors = background("s1", -200, 2200, 1790, yurt_scale=0.75)
    aldar_tr = walk_tracks(0, 5.2, lid=lid_a, blink_at=(2.2, 5.8, 8.6),
                           more={"head": keys([(0, 0), (5.2, 0, "in-out"), (6.2, 8, "in-out"),
                                               (7.0, 0)])})
    # after the walk Aldar waves at the bai
    aldar_tr["arm_r"] += keys([(6.0, 0, "in-out"), (6.6, -150, "in-out"), (7.0, -120, "in-out"),
                               (7.4, -150, "in-out"), (7.8, -120, "in-out"), (8.6, 0)])
    actors.append(character("s1_aldar", aldar, keys([(0, 180), (5.2, 760, "out")]),
                            bob(0, 5.2, 0.8, GROUND, 8), 2, aldar_tr))
    # the bai rides in from the right: the rider is drawn behind the horse so
    # the horse's body hides his legs (the saddle sits over his coat)
    hx = keys([(0, 2300), (1.5, 2300, "out"), (6.2, 1400)])
    actors.append(character("s1_bai", bai, keys([(0, 2290), (1.5, 2290, "out"), (6.2, 1390)]),
                            bob(1.5, 6.2, 0.9, GROUND - 30 + RIDER_DY, 6), 3,
                            {"eyelids": blinks(lid_b, (3.0, 7.4)),
                             "head": keys([(0, 0), (6.2, 0, "in-out"), (6.8, -8, "in-out"),
                                           (9.5, -8, "in-out"), (10, 0)]),
                             "arm_r": keys([(0, 0), (6.6, 0, "in-out"), (7.2, -100, "in-out"),
                                            (8.4, -100, "in-out"), (9.0, 0)]),
                             "arm_l": keys([(0, 0), (6.6, 0, "in-out"), (7.2, 40, "in-out"),
                                            (8.4, 40, "in-out"), (9.0, 0)])},
                            extra={"scale_x": keys([(0, -1)])}))
    actors.append(character("s1_horse", horse, hx, GROUND - 30, 4, horse_walk(1.5, 6.2),
                            extra={"scale_x": keys([(0, -1)])}))
    actors.append(bubble("s1_bai_says",
                         {"kk": "Әй, Алдар! Тоңбайсың ба?", "ru": "Эй, Алдар! Не мёрзнешь?",
                          "en": "Hey, Aldar! Aren't you cold?"},
                         980, 200, [330, 90], 6.6, 10, width=460))
    actors.extend(snow("s1", -200, 2200, 10, 3))
    caps = [{"start": 0.3, "end": 4.8,
             "text": {"kk": "Қыстың суық күні Алдар Көсе жыртық шапанымен далада келе жатты.",
                      "ru": "Холодным зимним днём Алдар Косе шёл по степи в дырявом чапане.",
                      "en": "On a freezing winter day Aldar Kose was walking across the steppe in his ragged coat."}},
            {"start": 5.0, "end": 9.8,
             "text": {"kk": "Қарсы алдынан қалың ішік киген сараң бай атпен келе жатты.",
                      "ru": "Навстречу ему ехал на коне жадный бай в тёплой шубе.",
                      "en": "A greedy bai in a thick fur coat came riding towards him."}}]
    return {"id": "steppe", "title": {"kk": "Қысқы дала", "ru": "Зимняя степь", "en": "The winter steppe"},
            "duration": 10.0, "background": "#bfe0f4", "actors": actors, "captions": caps,
            "audio": music(10)}


def scene2():
    aldar = people.aldar("ragged")
    bai = people.bai("fur")
    horse = animals.horse()
    lid_a, lid_b = aldar["lid_angle"], bai["lid_angle"]
    actors = background("s2", -200, 2200, 300)
    aldar_tr = {
        "eyelids": blinks(lid_a, (1.6, 4.9, 8.1)),
        "head": keys([(0, 0), (0.8, -6, "in-out"), (2.0, 6, "in-out"), (3.2, -6, "in-out"),
                      (4.4, 0, "in-out"), (8.0, 0, "in-out"), (8.6, 10, "in-out"), (10, 0)]),
        "arm_l": keys([(0, 0), (0.8, 0, "in-out"), (1.4, 120, "in-out"), (2.6, 95, "in-out"),
                       (3.6, 120, "in-out"), (4.6, 0, "in-out"), (7.8, 0, "in-out"), (8.3, 150, "in-out"),
                       (9.4, 150, "in-out"), (10, 0)]),
        "arm_r": keys([(0, 0), (0.8, 0, "in-out"), (1.4, -60, "in-out"), (2.6, -90, "in-out"),
                       (3.6, -60, "in-out"), (4.6, 0, "in-out"), (7.8, 0, "in-out"), (8.3, -150, "in-out"),
                       (9.4, -150, "in-out"), (10, 0)]),
        "leg_l": keys([(0, 0), (7.8, 0, "in-out"), (8.3, 25, "overshoot"), (9.2, 0)]),
        "leg_r": keys([(0, 0), (7.8, 0, "in-out"), (8.3, -25, "overshoot"), (9.2, 0)]),
    }
    bai_tr = {
        "eyelids": blinks(lid_b, (2.6, 6.2)),
        "head": keys([(0, 0), (1.0, -4, "in-out"), (4.5, -4, "in-out"), (5.0, 6, "in-out"),
                      (5.4, -2, "in-out"), (5.8, 6, "in-out"), (6.2, -2, "in-out"), (6.8, 0)]),
        "arm_l": keys([(0, 0), (6.0, 0, "in-out"), (6.8, 60, "in-out"), (8.0, 60, "in-out"), (9, 0)]),
        "arm_r": keys([(0, 0), (6.0, 0, "in-out"), (6.8, -60, "in-out"), (8.0, -60, "in-out"), (9, 0)]),
    }
    # Aldar leaps for joy: up with an overshoot, down with gravity (ease in)
    ay = keys([(0, GROUND), (8.0, GROUND, "overshoot"), (8.5, GROUND - 150, "in"), (9.0, GROUND),
               (9.2, GROUND, "out")])
    actors.append(character("s2_horse", horse, 1720, GROUND - 40, 1,
                            {"head": keys([(0, 0), (3, -8, "in-out"), (6, 4, "in-out"), (10, 0)]),
                             "tail": swing(0, 10, 2.0, 10),
                             "ear_near": keys([(0, 0, "step"), (4, -15, "step"), (4.3, 0)])},
                            extra={"scale_x": keys([(0, -1)])}))
    actors.append(character("s2_bai", bai, 1240, GROUND + 10, 2, bai_tr))
    actors.append(character("s2_aldar", aldar, 720, ay, 3, aldar_tr))
    actors.append(wind("s2_wind", 2.8, 5.4, 690))
    actors.append(bubble("s2_aldar_says",
                         {"kk": "Менің шапаным сиқырлы! Жел бір тесіктен кіріп, екіншісінен шығып кетеді.",
                          "ru": "Мой чапан волшебный! Ветер влетает в одну дыру и вылетает из другой.",
                          "en": "My coat is magic! The wind blows in through one hole and out of the other."},
                         410, 300, [270, 215], 0.6, 7.4, width=480))
    actors.append(bubble("s2_bai_says",
                         {"kk": "Айырбастайық! Ішігімді де, атымды да ал!",
                          "ru": "Меняемся! Бери мою шубу и коня!",
                          "en": "Let's swap! Take my fur coat and my horse!"},
                         1560, 190, [-240, 320], 7.4, 9.9, width=440))
    actors.extend(snow("s2", -200, 2200, 10, 9))
    cam = {"x": keys([(0, 960), (0.5, 960, "in-out"), (1.8, 820, "in-out"), (5.6, 820, "in-out"),
                      (6.6, 960)]),
           "y": keys([(0, 540), (0.5, 540, "in-out"), (1.8, 520, "in-out"), (5.6, 520, "in-out"),
                      (6.6, 540)]),
           "zoom": keys([(0, 1), (0.5, 1, "in-out"), (1.8, 1.45, "in-out"), (5.6, 1.45, "in-out"),
                         (6.6, 1)])}
    caps = [{"start": 0.5, "end": 5.8,
             "text": {"kk": "— Тоңбаймын, — деді Алдар. — Менің шапаным сиқырлы!",
                      "ru": "— Не мёрзну, — сказал Алдар. — Мой чапан волшебный!",
                      "en": "\u201cI'm not cold,\u201d said Aldar. \u201cMy coat is magic!\u201d"}},
            {"start": 6.0, "end": 9.8,
             "text": {"kk": "Сараң бай ішігі мен атын жыртық шапанға айырбастады.",
                      "ru": "Жадный бай отдал шубу и коня за дырявый чапан.",
                      "en": "The greedy bai traded his fur coat and his horse for the ragged coat."}}]
    audio = [{"media": "voice_aldar", "start": 0.8, "volume": 1.0}] + music(10)
    return {"id": "magic_coat", "title": {"kk": "Сиқырлы шапан", "ru": "Волшебный чапан", "en": "The magic coat"},
            "duration": 10.0, "background": "#bfe0f4", "camera": cam, "actors": actors,
            "captions": caps, "audio": audio}


def scene3():
    aldar = people.aldar("fur")
    bai = people.bai("ragged")
    horse = animals.horse()
    lid_a, lid_b = aldar["lid_angle"], bai["lid_angle"]
    actors = background("s3", -200, 3400, 2960, sun_x=2400)
    hx = [(0, 900), (1.0, 900, "in"), (9.0, 2400, "out"), (10, 2460)]
    # the bai shivers: tiny fast rotations of the whole actor
    shiver = [(0, 0)]
    t = 0.1
    while t < 10:
        shiver.append((round(t, 2), 2.5 if len(shiver) % 2 else -2.5))
        t += 0.1
    actors.append(character("s3_bai", bai, 330, GROUND + 10, 2,
                            {"eyelids": blinks(lid_b, (2.0, 5.0, 8.0)),
                             "arm_l": keys([(0, 0), (0.6, -35, "in-out"), (10, -35)]),
                             "arm_r": keys([(0, 0), (0.6, 35, "in-out"), (10, 35)]),
                             "head": keys([(0, 0), (2, 0, "in-out"), (3, 10, "in-out"), (10, 10)])},
                            extra={"rotation": keys(shiver)}))
    actors.append(character("s3_aldar", aldar, keys([(k[0], k[1] - 10) + k[2:] for k in hx]),
                            bob(1.0, 9.0, 0.6, GROUND - 30 + RIDER_DY, 10), 3,
                            {"eyelids": blinks(lid_a, (1.5, 6.5)),
                             "arm_r": keys([(0, 0), (1.0, -150, "in-out"), (1.4, -120, "in-out"),
                                            (1.8, -150, "in-out"), (2.2, -120, "in-out"),
                                            (2.6, -150, "in-out"), (3.2, -30)]),
                             "head": keys([(0, 0), (0.8, -10, "in-out"), (3.0, -10, "in-out"), (4, 0)])}))
    actors.append(character("s3_horse", horse, keys(hx), bob(1.0, 9.0, 0.6, GROUND - 30, 10), 4,
                            horse_walk(1.0, 9.0, period=0.6, amp=22)))
    actors.append(bubble("s3_bai_thinks",
                         {"kk": "Бр-р-р! Неге жылытпайды?", "ru": "Бр-р-р! Почему не греет?",
                          "en": "Brrr! Why isn't it warm?"},
                         330, 170, [0, 140], 1.2, 5.5, width=400, kind="thought"))
    actors.extend(snow("s3", -200, 3400, 10, 21))
    cam = {"x": keys([(0, 960), (1.5, 960, "in-out"), (9.0, 2200)]),
           "y": keys([(0, 540)]),
           "zoom": keys([(0, 1), (8.0, 1, "in-out"), (10, 1.15)])}
    caps = [{"start": 0.5, "end": 5.0,
             "text": {"kk": "Алдар Көсе жылы ішікті киіп, атқа мінді де, киіз үйге қарай шауып кетті.",
                      "ru": "Алдар Косе надел тёплую шубу, сел на коня и поскакал к юрте.",
                      "en": "Aldar Kose put on the warm fur coat, got on the horse and rode off to the yurt."}},
            {"start": 5.2, "end": 9.8,
             "text": {"kk": "Ал сараң бай жыртық шапанмен қалтырап қала берді.",
                      "ru": "А жадный бай остался дрожать в дырявом чапане.",
                      "en": "And the greedy bai was left shivering in the ragged coat."}}]
    return {"id": "ride_away", "title": {"kk": "Алдар кетті", "ru": "Алдар уезжает", "en": "Aldar rides away"},
            "duration": 10.0, "background": "#bfe0f4", "camera": cam, "actors": actors,
            "captions": caps, "audio": music(10)}


def story():
    return {
        "format": "daryn-story",
        "version": 1,
        "title": {"kk": "Алдар Көсе мен сараң бай", "ru": "Алдар Косе и жадный бай",
                  "en": "Aldar Kose and the greedy bai"},
        "author": "Daryn sample, after the Kazakh folk tale",
        "width": W,
        "height": H,
        "media": MEDIA,
        "scenes": [scene1(), scene2(), scene3()],
    }
