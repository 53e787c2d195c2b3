"""Deterministic procedural scenes: image, caption, sketch and shape-index mask.

This module is the single source of truth for the scene distribution. The C# side never re-implements
it; it reads the exported evaluation sets (`export_eval_set`).

A scene is 64x64 RGB: a plain or two-tone (top half / bottom half) background and 1 to 3 shapes of any
size from 1/8 to 7/8 of the side, anywhere in the picture. Most scenes keep shapes apart; some let a later
shape overlap an earlier one (drawn in caption order, each keeping most of itself visible). The caption's
size word follows from the shape's real extent and its position words from its real centre. Everything is
a pure function of the integer seed.

Sketches are drawn as people draw (`pens.py`: varied pen widths, wobble, gaps, corners, fills); the
"drawn" held-out set uses another drawing method (`drawn.py`) so it measures generalization.
"""
from __future__ import annotations

import json
import math
import os
import random
from dataclasses import dataclass, field

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
# Size word by the shape's extent (the longer side of its box), in pixels of the 64-px side: [low, high).
SIZE_RANGES = {"small": (8.0, 16.0), "medium": (16.0, 32.0), "big": (32.0, 56.0)}
SIZES = list(SIZE_RANGES)
POSITIONS = ["top left", "top", "top right", "left", "center", "right", "bottom left", "bottom", "bottom right"]
POSITION_PHRASE = {
    "top left": "at the top left", "top": "at the top", "top right": "at the top right",
    "left": "on the left", "center": "in the center", "right": "on the right",
    "bottom left": "at the bottom left", "bottom": "at the bottom", "bottom right": "at the bottom right",
}
OVERLAP_SHARE = 0.25        # scenes whose shapes may overlap
MIN_VISIBLE = 0.6           # an overlapped shape keeps at least this share of its pixels
PLACEMENT_TRIES = 60

TRAIN_SEED_BASE = 0            # training scenes use seeds 0 .. N-1
EVAL_SEED_BASE = 10_000_000    # held-out generator scenes; disjoint from any training seed
DRAWN_SEED_BASE = 20_000_000   # held-out drawn scenes (sketches from drawn.py)


@dataclass
class Shape:
    kind: str
    colour: str
    size: str
    position: str
    rgb: tuple = ()
    center: tuple = ()          # (x, y) of the shape's box centre, in pixels
    extent: float = 0.0         # the longer side of the shape's box, in pixels
    bbox: tuple = ()            # (x0, y0, x1, y1) in pixels, inclusive-exclusive, of its visible pixels in the mask


@dataclass
class Scene:
    seed: int
    background: list            # one colour name (plain) or two (top half, bottom half)
    shapes: list = field(default_factory=list)  # back to front

    @property
    def caption(self) -> str:
        return caption_of(self.shapes, self.background)

    @property
    def overlapping(self) -> bool:
        return any(_boxes_touch(a, b, 0.0) for i, a in enumerate(self.shapes) for b in self.shapes[i + 1:])


def caption_of(shapes, background) -> str:
    """"a big red star at the top left and ... on a yellow background"; a two-tone background names each half's
    colour with its half ("on a yellow top and blue bottom background"), so the words that bind them are side by
    side (the older "yellow and blue" meant top and bottom by order alone, and the model swapped the halves)."""
    parts = [f"a {s.size} {s.colour} {s.kind} {POSITION_PHRASE[s.position]}" for s in shapes]
    bg = background[0] if len(background) == 1 else f"{background[0]} top and {background[1]} bottom"
    return " and ".join(parts) + f" on a {bg} background"


def size_word(extent: float) -> str:
    for word, (lo, hi) in SIZE_RANGES.items():
        if extent < hi:
            return word
    return SIZES[-1]


def position_word(cx: float, cy: float) -> str:
    col = min(2, max(0, int(cx * 3 / SIZE)))
    row = min(2, max(0, int(cy * 3 / SIZE)))
    return POSITIONS[row * 3 + col]


def unit_outline(kind: str):
    """The kind's outline as vertices scaled so its box's longer side is 2 and centred at 0; None for the
    circle (an ellipse of radius 1)."""
    if kind == "circle":
        return None
    if kind == "square":
        pts = [(-1, -1), (1, -1), (1, 1), (-1, 1)]
    elif kind == "triangle":
        pts = [(0, -1), (1, 0.8), (-1, 0.8)]
    elif kind == "diamond":
        pts = [(0, -1), (0.72, 0), (0, 1), (-0.72, 0)]
    elif kind == "star":
        pts = []
        for i in range(10):
            rr = 1.0 if i % 2 == 0 else 0.45
            a = -math.pi / 2 + i * math.pi / 5
            pts.append((rr * math.cos(a), rr * math.sin(a)))
    elif kind == "cross":
        t = 0.36
        pts = [(-t, -1), (t, -1), (t, -t), (1, -t), (1, t), (t, t), (t, 1), (-t, 1), (-t, t), (-1, t), (-1, -t), (-t, -t)]
    else:
        raise ValueError(f"unknown kind {kind}")
    xs, ys = [p[0] for p in pts], [p[1] for p in pts]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    half = max(max(xs) - min(xs), max(ys) - min(ys)) / 2
    return [((x - cx) / half, (y - cy) / half) for x, y in pts]


def outline(s: Shape, scale: float = 1.0):
    """The shape's outline in pixels times scale: vertices, or ("circle", cx, cy, r)."""
    cx, cy, h = s.center[0] * scale, s.center[1] * scale, s.extent / 2 * scale
    unit = unit_outline(s.kind)
    if unit is None:
        return ("circle", cx, cy, h)
    return [(cx + x * h, cy + y * h) for x, y in unit]


def _box(s: Shape):
    h = s.extent / 2
    if s.kind == "triangle":  # the unit triangle's box is 2 x 1.8
        return (s.center[0] - h, s.center[1] - 0.9 * h, s.center[0] + h, s.center[1] + 0.9 * h)
    if s.kind == "diamond":
        return (s.center[0] - 0.72 * h, s.center[1] - h, s.center[0] + 0.72 * h, s.center[1] + h)
    return (s.center[0] - h, s.center[1] - h, s.center[0] + h, s.center[1] + h)


def _boxes_touch(a: Shape, b: Shape, margin: float) -> bool:
    ax0, ay0, ax1, ay1 = _box(a)
    bx0, by0, bx1, by1 = _box(b)
    return ax0 - margin < bx1 and bx0 - margin < ax1 and ay0 - margin < by1 and by0 - margin < ay1


def fill_shape(draw: ImageDraw.ImageDraw, s: Shape, scale: float, fill):
    o = outline(s, scale)
    if o[0] == "circle":
        _, cx, cy, r = o
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=fill)
    else:
        draw.polygon(o, fill=fill)


def _visible_shares(shapes):
    """Each shape's visible share of its own pixels once the later shapes are drawn over it."""
    k = 2
    own, top = [], Image.new("L", (SIZE * k, SIZE * k), 0)
    dt = ImageDraw.Draw(top)
    for i, s in enumerate(shapes):
        m = Image.new("L", (SIZE * k, SIZE * k), 0)
        fill_shape(ImageDraw.Draw(m), s, k, 1)
        own.append(np.asarray(m) > 0)
        fill_shape(dt, s, k, i + 1)
    t = np.asarray(top)
    return [float((t[o] == i + 1).sum()) / max(1, int(o.sum())) for i, o in enumerate(own)]


def sample_scene(seed: int) -> Scene:
    rng = random.Random(seed)
    if rng.random() < 0.7:
        background = [rng.choice(COLOURS)]
    else:
        background = rng.sample(COLOURS, 2)
    allowed = [c for c in COLOURS if c not in background]
    n = rng.randint(1, 3)
    may_overlap = n > 1 and rng.random() < OVERLAP_SHARE
    shapes: list[Shape] = []
    for _ in range(n):
        for _ in range(PLACEMENT_TRIES):
            kind = rng.choice(KINDS)
            size = rng.choice(SIZES)
            lo, hi = SIZE_RANGES[size]
            extent = rng.uniform(lo, hi)
            h = extent / 2
            cx, cy = rng.uniform(h, SIZE - h), rng.uniform(h, SIZE - h)
            colour = rng.choice(allowed)
            cx, cy, extent = round(cx, 3), round(cy, 3), round(extent, 3)
            s = Shape(kind, colour, size_word(extent), position_word(cx, cy), PALETTE[colour], (cx, cy), extent)
            touching = [o for o in shapes if _boxes_touch(s, o, 1.0)]
            if touching and not may_overlap:
                continue
            if touching:
                # Overlapping shapes differ in colour and each keeps most of itself visible.
                if any(o.colour == s.colour for o in touching) or min(_visible_shares(shapes + [s])) < MIN_VISIBLE:
                    continue
            shapes.append(s)
            break
    return Scene(seed, background, shapes)


def render(scene: Scene):
    """Returns (image uint8 [64,64,3], mask uint8 [64,64]): shapes back to front, the mask holding each pixel's
    topmost shape (index + 1, 0 background); fills each shape's bbox from its visible pixels."""
    big = SIZE * SUPERSAMPLE
    img = Image.new("RGB", (big, big), PALETTE[scene.background[0]])
    d = ImageDraw.Draw(img)
    if len(scene.background) == 2:
        d.rectangle([0, big // 2, big, big], fill=PALETTE[scene.background[1]])
    mask = Image.new("L", (big, big), 0)
    dm = ImageDraw.Draw(mask)
    for i, s in enumerate(scene.shapes):
        fill_shape(d, s, SUPERSAMPLE, PALETTE[s.colour])
        fill_shape(dm, s, SUPERSAMPLE, i + 1)
    image = np.asarray(img.resize((SIZE, SIZE), Image.BOX))
    # Mask by point-sampling pixel centres: hard labels that agree with the anti-aliased image.
    m = np.asarray(mask)[SUPERSAMPLE // 2::SUPERSAMPLE, SUPERSAMPLE // 2::SUPERSAMPLE].copy()
    for i, s in enumerate(scene.shapes):
        ys, xs = np.nonzero(m == i + 1)
        s.bbox = (int(xs.min()), int(ys.min()), int(xs.max()) + 1, int(ys.max()) + 1) if len(xs) else (0, 0, 0, 0)
    return image, m


def recoloured_captions(scene: Scene, count: int, rng: random.Random):
    """Captions with the same layout (kinds, sizes, positions) but other colour assignments.

    Used as hard negatives for the CLIP-style encoders and for the ranking metric. Colours obey the same
    rule as real scenes (shape colours differ from the background colours). About half of them swap the
    two halves of a two-tone background or two shapes' colours, the mistakes the model makes most."""
    true = scene.caption
    out, seen, tries = [], {true}, 0
    while len(out) < count and tries < 200:
        tries += 1
        r = rng.random()
        if r < 0.25 and len(scene.background) == 2:
            bg, colours = [scene.background[1], scene.background[0]], [s.colour for s in scene.shapes]
        elif r < 0.5 and len(scene.shapes) >= 2:
            bg, colours = list(scene.background), [s.colour for s in scene.shapes]
            i, j = rng.sample(range(len(colours)), 2)
            colours[i], colours[j] = colours[j], colours[i]
        else:
            if len(scene.background) == 1 or rng.random() < 0.5:
                bg = [rng.choice(COLOURS)] if len(scene.background) == 1 else rng.sample(COLOURS, 2)
            else:
                bg = rng.sample(COLOURS, 2)
            if rng.random() < 0.5:
                bg = list(scene.background)  # often keep the background so shape colours must be read
            allowed = [c for c in COLOURS if c not in bg]
            colours = [rng.choice(allowed) for _ in scene.shapes]
        if any(c in bg for c in colours):
            continue
        shapes = [Shape(s.kind, c, s.size, s.position) for s, c in zip(scene.shapes, colours)]
        c = caption_of(shapes, bg)
        if c not in seen:
            seen.add(c)
            out.append(c)
    return out


def build_arrays(seeds, sketcher):
    """Renders scenes for the given seeds into stacked uint8 arrays plus the scene records; sketcher(scene)
    returns the scene's greyscale sketch [64,64]."""
    n = len(seeds)
    images = np.zeros((n, SIZE, SIZE, 3), np.uint8)
    sketches = np.zeros((n, SIZE, SIZE), np.uint8)
    masks = np.zeros((n, SIZE, SIZE), np.uint8)
    scenes = []
    for i, seed in enumerate(seeds):
        sc = sample_scene(int(seed))
        images[i], masks[i] = render(sc)
        sketches[i] = sketcher(sc)
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
        "overlapping": sc.overlapping,
        "shapes": [
            {"index": j, "mask_value": j + 1, "kind": s.kind, "colour": s.colour, "rgb": list(PALETTE[s.colour]),
             "size": s.size, "position": s.position, "center": list(s.center), "extent": s.extent,
             "bbox": list(s.bbox)}
            for j, s in enumerate(sc.shapes)
        ],
    }


def negative_captions(sc: Scene, count: int = 7):
    """The ranking check's hard negatives: same-layout captions with other colours, seeded by the scene
    (training/evaluate.py draws the same ones), exported so the C# side needs no second generator."""
    caps = recoloured_captions(sc, count, random.Random(sc.seed + 7))
    return (caps + caps * count)[:count]


SCENE_DESCRIPTION = (
    "scenes of 1 to 3 shapes of any size (small, medium or big: up to 1/4, 1/2 or 7/8 of the side) anywhere in "
    "the picture, sometimes overlapping, on a plain or two-tone (top and bottom halves) background")


def export_eval_set(out_dir: str, seed_base: int, sketcher, drawing: str, count: int = 256, extra=None):
    """Writes a held-out evaluation set: items.json and NNN_{image,sketch,mask}.png. sketcher(scene, i) draws
    item i's sketch; extra(i) adds fields to item i (the drawn set's pen width)."""
    os.makedirs(out_dir, exist_ok=True)
    items = []
    for i in range(count):
        sc = sample_scene(seed_base + i)
        im, m = render(sc)
        sk = sketcher(sc, i)
        Image.fromarray(im).save(os.path.join(out_dir, f"{i:03d}_image.png"), optimize=True)
        Image.fromarray(sk).save(os.path.join(out_dir, f"{i:03d}_sketch.png"), optimize=True)
        Image.fromarray(m).save(os.path.join(out_dir, f"{i:03d}_mask.png"), optimize=True)
        items.append(scene_record(i, sc) | {"negative_captions": negative_captions(sc)} | (extra(i) if extra else {}))
    meta = {
        "description": "MEG held-out evaluation scenes (seeds disjoint from training). mask: 0 background, "
                       "k = shape index k-1 (the topmost shape where shapes overlap). Two-tone backgrounds: first "
                       "colour top half (rows 0-31), second bottom half (rows 32-63). Sketch: black strokes on "
                       "white, greyscale PNG.",
        "scenes": SCENE_DESCRIPTION,
        "drawing": drawing,
        "seed_base": seed_base,
        "image_size": SIZE,
        "palette": {k: list(v) for k, v in PALETTE.items()},
        "kinds": KINDS, "sizes": SIZES, "positions": POSITIONS,
        "size_ranges_px": {k: list(v) for k, v in SIZE_RANGES.items()},
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
