"""The training sketches: each scene's shapes drawn the way people draw them.

A sketch is drawn on a larger canvas (128 to 512 px) and shrunk to 64x64 with one of the filters a browser
or an image library uses. Per scene a pen is drawn from the scene's seed: its width (thin to thick), a slow
wobble of the hand, a slightly misplaced and misscaled shape, strokes that stop short of or run past the
corners, small gaps, sometimes a solid fill or a rough scribble of the fill, and, where shapes overlap,
either every outline or only what is visible. One pen in five is the old clean 1.5-px outline.

The drawn held-out set uses another method (`drawn.py`), so it measures generalization, not memory.
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

from training.meg_data import scenes

FILTERS = {"box": Image.BOX, "bilinear": Image.BILINEAR, "bicubic": Image.BICUBIC, "lanczos": Image.LANCZOS}


@dataclass
class Pen:
    width: float        # stroke width, in pixels of the 64-px side
    wobble: float       # amplitude of the hand's slow wander, px
    misplace: float     # how far the whole shape may sit off its true place, px (and 2% scale per px)
    gap: float          # chance that a stroke has a small gap
    overshoot: float    # how far strokes may run past corners, px (they may also stop short by half of it)
    fill: str           # "outline", "solid" or "scribble"
    canvas: int         # drawing canvas side, px
    shrink: str         # filter that shrinks the canvas to 64 px
    hidden_lines: bool  # draw the hidden parts of overlapped shapes


CLEAN = Pen(1.5, 0.0, 0.0, 0.0, 0.0, "outline", 256, "box", True)


def sample_pen(rng: random.Random) -> Pen:
    if rng.random() < 0.2:
        return CLEAN
    fill = rng.random()
    return Pen(
        width=math.exp(rng.uniform(math.log(0.6), math.log(4.5))),
        wobble=rng.uniform(0.0, 1.2),
        misplace=rng.uniform(0.0, 1.2),
        gap=rng.uniform(0.0, 0.3),
        overshoot=rng.uniform(0.0, 1.5),
        fill="solid" if fill < 0.08 else "scribble" if fill < 0.2 else "outline",
        canvas=rng.choice([128, 256, 384, 512]),
        shrink=rng.choice(list(FILTERS)),
        hidden_lines=rng.random() < 0.5,
    )


def pen_for(scene: scenes.Scene) -> tuple[Pen, random.Random]:
    """The scene's pen and the random stream for its strokes: seeded by the scene, apart from its layout's."""
    rng = random.Random(scene.seed * 2_654_435_761 + 97)
    return sample_pen(rng), rng


def _wander(rng: random.Random, amplitude: float):
    """A smooth 2-D offset along the path's length s (px): two sines per axis with random wavelengths."""
    if amplitude <= 0:
        return lambda s: (0.0, 0.0)
    waves = [(rng.uniform(8, 30), rng.uniform(0, 2 * math.pi), rng.uniform(0.3, 1.0)) for _ in range(4)]

    def offset(s):
        x = sum(a * math.sin(2 * math.pi * s / L + p) for L, p, a in waves[:2]) / 1.3
        y = sum(a * math.sin(2 * math.pi * s / L + p) for L, p, a in waves[2:]) / 1.3
        return x * amplitude, y * amplitude
    return offset


def _strokes(shape: scenes.Shape, pen: Pen, rng: random.Random):
    """The shape's strokes as point lists in 64-px units, and the closed wobbled outline for fills."""
    k = 1.0 + rng.uniform(-0.02, 0.02) * pen.misplace
    dx, dy = rng.uniform(-pen.misplace, pen.misplace), rng.uniform(-pen.misplace, pen.misplace)
    moved = scenes.Shape(shape.kind, shape.colour, shape.size, shape.position, shape.rgb,
                         (shape.center[0] + dx, shape.center[1] + dy), shape.extent * k)
    o = scenes.outline(moved)
    wander = _wander(rng, pen.wobble)
    if o[0] == "circle":
        _, cx, cy, r = o
        start = rng.uniform(0, 2 * math.pi)
        sweep = 2 * math.pi + rng.uniform(-pen.overshoot / 2, pen.overshoot) / max(r, 1.0)
        n = max(16, int(abs(sweep) * r / 0.5))
        ring = [(cx + r * math.cos(start + sweep * i / n), cy + r * math.sin(start + sweep * i / n)) for i in range(n + 1)]
        paths = [ring]
    else:
        paths = []
        for a, b in zip(o, o[1:] + o[:1]):
            length = math.dist(a, b)
            ux, uy = (b[0] - a[0]) / length, (b[1] - a[1]) / length
            e0, e1 = rng.uniform(-pen.overshoot / 2, pen.overshoot), rng.uniform(-pen.overshoot / 2, pen.overshoot)
            a2, b2 = (a[0] - ux * e0, a[1] - uy * e0), (b[0] + ux * e1, b[1] + uy * e1)
            n = max(2, int(math.dist(a2, b2) / 0.5))
            paths.append([(a2[0] + (b2[0] - a2[0]) * i / n, a2[1] + (b2[1] - a2[1]) * i / n) for i in range(n + 1)])
    strokes, s = [], 0.0
    for path in paths:
        moved_path = []
        for i, (x, y) in enumerate(path):
            if i:
                s += math.dist(path[i - 1], path[i])
            ox, oy = wander(s)
            moved_path.append((x + ox, y + oy))
        if len(moved_path) > 8 and rng.random() < pen.gap:
            cut = rng.randrange(2, len(moved_path) - 6)
            width = rng.randint(2, 5)  # points of 0.5 px: a 1 to 2.5 px gap
            strokes += [moved_path[:cut], moved_path[cut + width:]]
        else:
            strokes.append(moved_path)
    closed = [p for path in strokes for p in path]
    return strokes, closed


def _line(draw: ImageDraw.ImageDraw, points, width_px: float, scale: float, ink=0):
    w = max(1, int(round(width_px * scale)))
    pts = [(x * scale, y * scale) for x, y in points]
    if len(pts) > 1:
        draw.line(pts, fill=ink, width=w, joint="curve")
    r = w / 2
    for x, y in (pts[0], pts[-1]):  # round caps
        draw.ellipse([x - r, y - r, x + r, y + r], fill=ink)


def _scribble(layer: Image.Image, outline_pts, pen: Pen, rng: random.Random, scale: float):
    """A zigzag hatch over the shape's inside, as a quick colouring-in, clipped to the outline."""
    hatch = Image.new("L", layer.size, 255)
    dh = ImageDraw.Draw(hatch)
    angle = rng.uniform(0, math.pi)
    spacing = rng.uniform(1.5, 3.5)
    ux, uy, vx, vy = math.cos(angle), math.sin(angle), -math.sin(angle), math.cos(angle)
    xs, ys = [p[0] for p in outline_pts], [p[1] for p in outline_pts]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    reach = max(max(xs) - min(xs), max(ys) - min(ys))
    zig, t, flip = [], -reach, False
    while t <= reach:
        ends = [(cx + vx * t - ux * reach, cy + vy * t - uy * reach), (cx + vx * t + ux * reach, cy + vy * t + uy * reach)]
        zig += ends[::-1] if flip else ends
        flip, t = not flip, t + spacing
    _line(dh, zig, pen.width * rng.uniform(0.5, 1.0), scale)
    inside = Image.new("L", layer.size, 0)
    ImageDraw.Draw(inside).polygon([(x * scale, y * scale) for x, y in outline_pts], fill=255)
    ink = np.minimum(np.asarray(layer), np.where(np.asarray(inside) > 0, np.asarray(hatch), 255))
    return Image.fromarray(ink.astype(np.uint8))


def sketch(scene: scenes.Scene) -> np.ndarray:
    """The scene's training sketch: uint8 [64,64], black ink on white."""
    pen, rng = pen_for(scene)
    scale = pen.canvas / scenes.SIZE
    canvas = Image.new("L", (pen.canvas, pen.canvas), 255)
    for i, shape in enumerate(scene.shapes):
        strokes, closed = _strokes(shape, pen, rng)
        draw = ImageDraw.Draw(canvas)
        if i and not pen.hidden_lines:  # only what is visible: this shape hides the lines under it
            scenes.fill_shape(draw, shape, scale, 255)
        if pen.fill == "solid":
            draw.polygon([(x * scale, y * scale) for x, y in closed], fill=0)
        elif pen.fill == "scribble":
            canvas = _scribble(canvas, closed, pen, rng, scale)
            draw = ImageDraw.Draw(canvas)
        for stroke in strokes:
            _line(draw, stroke, pen.width, scale)
    if pen.canvas == scenes.SIZE:
        return np.asarray(canvas).copy()
    return np.asarray(canvas.resize((scenes.SIZE, scenes.SIZE), FILTERS[pen.shrink]))
