#!/usr/bin/env python3
"""gen_templates.py: writes the character templates (templates/characters/*.json)
and the bundled sample story (templates/stories/aldar-kose/story.json).

The committed JSON is this script's output; tests/templates checks that they
agree when python3 is available. Python 3 standard library only.

    gen_templates.py [--out REPO_ROOT] [--check]

--check compares instead of writing and exits 1 on a difference.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import animals  # noqa: E402
import people  # noqa: E402
import sample_story  # noqa: E402
from shapes import dumps, keys  # noqa: E402

CHARACTERS = [animals.fox, animals.wolf, animals.bear, animals.horse, animals.camel,
              people.girl, people.boy, people.aldar, people.bai]


def template_story(ch):
    """A one-scene story showing one character at the canvas centre, standing
    on the ground line y = ch['y'], playing its 3 s idle loop."""
    actor = {
        "id": ch["name"],
        "name": ch["title"]["en"],
        "template": ch["name"],
        "kind": "character",
        "tracks": {"x": keys([(0, 960)]), "y": keys([(0, ch["y"])])},
        "parts": ch["parts"],
        "part_tracks": ch["part_tracks"],
    }
    return {
        "format": "daryn-story",
        "version": 1,
        "title": ch["title"],
        "author": "Daryn templates",
        "width": 1920,
        "height": 1080,
        "scenes": [{
            "id": "preview",
            "title": ch["title"],
            "duration": 3.0,
            "background": "#d8eef7",
            "actors": [actor],
        }],
    }


def outputs():
    out = {}
    for make in CHARACTERS:
        ch = make()
        out["templates/characters/%s.json" % ch["name"]] = dumps(template_story(ch)) + "\n"
    out["templates/stories/aldar-kose/story.json"] = dumps(sample_story.story()) + "\n"
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
    ap.add_argument("--check", action="store_true")
    a = ap.parse_args()
    bad = 0
    for rel, text in outputs().items():
        path = os.path.join(a.out, rel)
        if a.check:
            try:
                with open(path, encoding="utf-8") as f:
                    old = f.read()
            except OSError:
                old = None
            if old != text:
                print("differs: %s" % rel)
                bad = 1
            continue
        os.makedirs(os.path.dirname(path), exist_ok=True)
        tmp = path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(tmp, path)
    return bad


if __name__ == "__main__":
    sys.exit(main())
