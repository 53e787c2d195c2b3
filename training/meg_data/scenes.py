"""Deterministic procedural scenes: image, caption, outline sketch and shape-index mask.

This module is the single source of truth for the scene distribution. The C# side never re-implements
it; it reads the exported evaluation set (`export_eval_set`).

A scene is 64x64 RGB: a plain or two-tone (top half / bottom half) background and 1 to 3 shapes, each in
its own cell of a 3x3 grid, so shapes never overlap and the mask is unambiguous. Everything is a pure
function of the integer seed.
"""
from __future__ import annotations

import json
import math
import os
import random
from dataclasses import dataclass, field, asdict

import numpy as np
from PIL import Image, ImageDraw

SIZE = 64
SUPERSAMPLE = 4  # drawn at 256x256 and box-filtered down, for anti-aliased edges

# Well separated in RGB (smallest pairwise distance ~90). Order fixes the palette index.
PALETTE: dict[str, tuple[int, int, int]] = {
    "red": (220, 40, 40),
    "green": (40, 170, 60),
    "blue": (40, 80, 220),
    "yellow": (240, 220, 40),
    "purple": (140, 60, 180),
    "orange": (250, 130, 20),
    "white": (245, 245, 245),
    "black": (25, 25, 25),
}
COLOURS = list(PALETTE)
KINDS = ["circle", "square", "triangle", "star", "diamond", "cross"]
SIZES = ["small", "big"]
POSITIONS = ["top left", "top", "top right", "left", "center", "right", "bottom left", "bottom", "bottom right"]
POSITION_PHRASE = {
    "top left": "at the top left", "top": "at the top", "top right": "at the top right",
    "left": "on the left", "center": "in the center", "right": "on the right",
    "bottom left": "at the bottom left", "bottom": "at the bottom", "bottom right": "at the bottom right",
}
RADIUS = {"small": 5.5, "big": 9.5}  # in 64-px units; a cell is 21.3 px wide
JITTER = {"small": 2.5, "big": 0.5}

TRAIN_SEED_BASE = 0            # training scenes use seeds 0 .. N-1
EVAL_SEED_BASE = 10_000_000    # held-out evaluation scenes; disjoint from any training seed


@dataclass
class Shape:
    kind: str
    colour: str
    size: str
    position: str
    rgb: tuple = ()
    center: tuple = ()          # (x, y) in pixels
    bbox: tuple = ()            # (x0, y0, x1, y1) in pixels, inclusive-exclusive, from the mask


@dataclass
class Scene:
    seed: int
    background: list            # one colour name (plain) or two (top half, bottom half)
    shapes: list = field(default_factory=list)

    @property
    def caption(self) -> str:
        return caption_of(self.shapes, self.background)


def caption_of(shapes, background) -> str:
    parts = [f"a {s.size} {s.colour} {s.kind} {POSITION_PHRASE[s.position]}" for s in shapes]
    bg = background[0] if len(background) == 1 else f"{background[0]} and {background[1]}"
    return " and ".join(parts) + f" on a {bg} background"


def sample_scene(seed: int) -> Scene:
    rng = random.Random(seed)
    if rng.random() < 0.7:
        background = [rng.choice(COLOURS)]
    else:
        background = rng.sample(COLOURS, 2)
    allowed = [c for c in COLOURS if c not in background]
    n = rng.randint(1, 3)
    cells = rng.sample(range(9), n)
    shapes = []
    for cell in cells:
        kind = rng.choice(KINDS)
        size = rng.choice(SIZES)
        colour = rng.choice(allowed)
        j = JITTER[size]
        cx = (cell % 3 + 0.5) * SIZE / 3 + rng.uniform(-j, j)
        cy = (cell // 3 + 0.5) * SIZE / 3 + rng.uniform(-j, j)
        shapes.append(Shape(kind, colour, size, POSITIONS[cell], PALETTE[colour], (round(cx, 3), round(cy, 3))))
    return Scene(seed, background, shapes)


def _polygon(kind: str, cx: float, cy: float, r: float):
    """Vertices (in the supersampled frame) for the polygonal kinds; None for circle."""
    if kind == "square":
        h = r * 0.82
        return [(cx - h, cy - h), (cx + h, cy - h), (cx + h, cy + h), (cx - h, cy + h)]
    if kind == "triangle":
        return [(cx, cy - r), (cx + r * 0.95, cy + r * 0.8), (cx - r * 0.95, cy + r * 0.8)]
    if kind == "diamond":
        return [(cx, cy - r), (cx + r * 0.72, cy), (cx, cy + r), (cx - r * 0.72, cy)]
    if kind == "star":
        pts = []
        for i in range(10):
            rr = r if i % 2 == 0 else r * 0.45
            a = -math.pi / 2 + i * math.pi / 5
            pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a) + r * 0.1))
        return pts
    if kind == "cross":
        t = r * 0.36
        return [(cx - t, cy - r), (cx + t, cy - r), (cx + t, cy - t), (cx + r, cy - t), (cx + r, cy + t),
                (cx + t, cy + t), (cx + t, cy + r), (cx - t, cy + r), (cx - t, cy + t), (cx - r, cy + t),
                (cx - r, cy - t), (cx - t, cy - t)]
    return None


def _draw_shape(draw: ImageDraw.ImageDraw, s: Shape, fill=None, outline=None, width=0):
    k = SUPERSAMPLE
    cx, cy, r = s.center[0] * k, s.center[1] * k, RADIUS[s.size] * k
    poly = _polygon(s.kind, cx, cy, r)
    if poly is None:
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=fill, outline=outline, width=width)
    else:
        draw.polygon(poly, fill=fill, outline=outline, width=width)


def render(scene: Scene):
    """Returns (image uint8 [64,64,3], sketch uint8 [64,64,3], mask uint8 [64,64]); fills shape bboxes."""
    big = SIZE * SUPERSAMPLE
    img = Image.new("RGB", (big, big), PALETTE[scene.background[0]])
    d = ImageDraw.Draw(img)
    if len(scene.background) == 2:
        d.rectangle([0, big // 2, big, big], fill=PALETTE[scene.background[1]])
    sketch = Image.new("L", (big, big), 255)
    ds = ImageDraw.Draw(sketch)
    mask = Image.new("L", (big, big), 0)
    dm = ImageDraw.Draw(mask)
    for i, s in enumerate(scene.shapes):
        _draw_shape(d, s, fill=PALETTE[s.colour])
        _draw_shape(ds, s, outline=0, width=int(1.5 * SUPERSAMPLE))
        _draw_shape(dm, s, fill=i + 1)
    image = np.asarray(img.resize((SIZE, SIZE), Image.BOX))
    sk = np.asarray(sketch.resize((SIZE, SIZE), Image.BOX))
    sk = np.repeat(sk[:, :, None], 3, axis=2)
    # Mask by point-sampling pixel centres: hard labels that agree with the anti-aliased image.
    m = np.asarray(mask)[SUPERSAMPLE // 2::SUPERSAMPLE, SUPERSAMPLE // 2::SUPERSAMPLE].copy()
    for i, s in enumerate(scene.shapes):
        ys, xs = np.nonzero(m == i + 1)
        s.bbox = (int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1) if len(xs) else (0, 0, 0, 0)
    return image, sk, m


def recoloured_captions(scene: Scene, count: int, rng: random.Random):
    """Captions with the same layout (kinds, sizes, positions) but other colour assignments.

    Used as hard negatives for the CLIP-style encoders and for the ranking metric. Colours obey the same
    rule as real scenes (shape colours differ from the background colours)."""
    true = scene.caption
    out, seen, tries = [], {true}, 0
    while len(out) < count and tries < 200:
        tries += 1
        if len(scene.background) == 1 or rng.random() < 0.5:
            bg = [rng.choice(COLOURS)] if len(scene.background) == 1 else rng.sample(COLOURS, 2)
        else:
            bg = rng.sample(COLOURS, 2)
        if rng.random() < 0.5:
            bg = list(scene.background)  # often keep the background so shape colours must be read
        allowed = [c for c in COLOURS if c not in bg]
        shapes = [Shape(s.kind, rng.choice(allowed), s.size, s.position) for s in scene.shapes]
        c = caption_of(shapes, bg)
        if c not in seen:
            seen.add(c)
            out.append(c)
    return out


def build_arrays(seeds):
    """Renders scenes for the given seeds into stacked uint8 arrays plus captions and scene records."""
    n = len(seeds)
    images = np.zeros((n, SIZE, SIZE, 3), np.uint8)
    sketches = np.zeros((n, SIZE, SIZE), np.uint8)
    masks = np.zeros((n, SIZE, SIZE), np.uint8)
    scenes = []
    for i, seed in enumerate(seeds):
        sc = sample_scene(int(seed))
        im, sk, m = render(sc)
        images[i], sketches[i], masks[i] = im, sk[:, :, 0], m
        scenes.append(sc)
    return images, sketches, masks, scenes


def scene_record(i: int, sc: Scene) -> dict:
    return {
        "id": i,
        "seed": sc.seed,
        "caption": sc.caption,
        "background": sc.background,
        "background_rgb": [list(PALETTE[c]) for c in sc.background],
        "background_layout": "plain" if len(sc.background) == 1 else "top/bottom halves",
        "shapes": [
            {"index": j, "mask_value": j + 1, "kind": s.kind, "colour": s.colour, "rgb": list(PALETTE[s.colour]),
             "size": s.size, "position": s.position, "center": list(s.center), "bbox": list(s.bbox)}
            for j, s in enumerate(sc.shapes)
        ],
    }


def negative_captions(sc: Scene, count: int = 7):
    """The ranking check's hard negatives: same-layout captions with other colours, seeded by the scene
    (training/evaluate.py draws the same ones), exported so the C# side needs no second generator."""
    caps = recoloured_captions(sc, count, random.Random(sc.seed + 7))
    return (caps + caps * count)[:count]


def export_eval_set(out_dir: str, count: int = 256):
    """Writes the held-out evaluation set: items.json and NNN_{image,sketch,mask}.png."""
    os.makedirs(out_dir, exist_ok=True)
    items = []
    for i in range(count):
        sc = sample_scene(EVAL_SEED_BASE + i)
        im, sk, m = render(sc)
        Image.fromarray(im).save(os.path.join(out_dir, f"{i:03d}_image.png"), optimize=True)
        Image.fromarray(sk[:, :, 0]).save(os.path.join(out_dir, f"{i:03d}_sketch.png"), optimize=True)
        Image.fromarray(m).save(os.path.join(out_dir, f"{i:03d}_mask.png"), optimize=True)
        items.append(scene_record(i, sc) | {"negative_captions": negative_captions(sc)})
    meta = {
        "description": "MEG held-out evaluation scenes (seeds disjoint from training). mask: 0 background, "
                       "k = shape index k-1. Two-tone backgrounds: first colour top half (rows 0-31), second "
                       "bottom half (rows 32-63). Sketch: black outlines on white, greyscale PNG.",
        "seed_base": EVAL_SEED_BASE,
        "image_size": SIZE,
        "palette": {k: list(v) for k, v in PALETTE.items()},
        "kinds": KINDS, "sizes": SIZES, "positions": POSITIONS,
        "items": items,
    }
    with open(os.path.join(out_dir, "items.json"), "w") as f:
        json.dump(meta, f, indent=1)
    return items


def vocabulary_words():
    """Every word any caption can contain."""
    words = {"a", "and", "on", "background"}
    words.update(COLOURS)
    words.update(KINDS)
    words.update(SIZES)
    for p in POSITION_PHRASE.values():
        words.update(p.split())
    return sorted(words)
