"""The drawn held-out set's sketches: another drawing method than training's (`pens.py`).

It plays a person tracing each shape with a mouse on the web page's 256x256 canvas: one continuous stroke
around the whole outline, pointer events every few pixels at a varying speed, a hand that drifts (a
mean-reverting random walk) and trembles, corners cut where the pointer turns, an end that stops short of
or runs past the start. Strokes are rasterized as a browser canvas strokes a path (round caps and joins,
anti-aliased coverage from the distance to each segment), then shrunk to 64x64 by area averaging, as the
API resizes an uploaded sketch. Hidden lines of overlapped shapes are drawn, as a person draws each outline
in full. Pen widths 1, 2, 3 and 4 px (of the 64-px side) take turns over the items.
"""
from __future__ import annotations

import math
import random

import numpy as np

from training.meg_data import scenes

CANVAS = 256
PEN_WIDTHS = [1.0, 2.0, 3.0, 4.0]
DESCRIPTION = ("pointer strokes on a 256-px canvas (one stroke per shape: drifting, trembling, cut corners, open "
               "or overlapping ends), rasterized with round caps and area-averaged to 64 px; pen widths 1-4 px "
               "in turn (drawn.py, used only for evaluation)")


def pen_width(index: int) -> float:
    return PEN_WIDTHS[index % len(PEN_WIDTHS)]


def _ideal_path(shape: scenes.Shape, scale: float):
    """Points every canvas pixel or so along the outline, from a random-free start (the top)."""
    o = scenes.outline(shape, scale)
    if o[0] == "circle":
        _, cx, cy, r = o
        n = max(24, int(2 * math.pi * r))
        return [(cx + r * math.cos(-math.pi / 2 + 2 * math.pi * i / n), cy + r * math.sin(-math.pi / 2 + 2 * math.pi * i / n))
                for i in range(n + 1)]
    pts = []
    for a, b in zip(o, o[1:] + o[:1]):
        n = max(1, int(math.dist(a, b)))
        pts += [(a[0] + (b[0] - a[0]) * i / n, a[1] + (b[1] - a[1]) * i / n) for i in range(n)]
    return pts + [pts[0]]


def _pointer_events(path, rng: random.Random, scale: float):
    """Where the pointer events land: every 2-7 px along the path, off by the hand's drift and tremor; the end
    stops short of or runs past the start."""
    total = len(path) - 1
    end = total + int(rng.uniform(-0.06, 0.1) * total)
    start = rng.randrange(total)
    drift = np.zeros(2)
    events, i = [], 0.0
    sigma, pull = 0.45 * scale / 4, 0.08  # drift step and mean reversion per event, canvas px
    while i <= end:
        x, y = path[(start + int(i)) % total]
        drift = drift * (1 - pull) + np.array([rng.gauss(0, sigma), rng.gauss(0, sigma)])
        tremor = (rng.gauss(0, 0.25 * scale / 4), rng.gauss(0, 0.25 * scale / 4))
        events.append((x + drift[0] + tremor[0], y + drift[1] + tremor[1]))
        i += rng.uniform(2.0, 7.0)
    return events


def _stroke(coverage: np.ndarray, points, width: float):
    """Adds a round-capped, round-joined polyline to the coverage map (max of each segment's coverage)."""
    r = width / 2
    h, w = coverage.shape
    for (x0, y0), (x1, y1) in zip(points, points[1:] + points[-1:]):
        lo_x, hi_x = int(max(0, math.floor(min(x0, x1) - r - 1))), int(min(w, math.ceil(max(x0, x1) + r + 2)))
        lo_y, hi_y = int(max(0, math.floor(min(y0, y1) - r - 1))), int(min(h, math.ceil(max(y0, y1) + r + 2)))
        if lo_x >= hi_x or lo_y >= hi_y:
            continue
        ys, xs = np.mgrid[lo_y:hi_y, lo_x:hi_x] + 0.5
        dx, dy = x1 - x0, y1 - y0
        length2 = dx * dx + dy * dy
        t = np.clip(((xs - x0) * dx + (ys - y0) * dy) / length2, 0, 1) if length2 > 0 else 0.0
        dist = np.hypot(xs - (x0 + t * dx), ys - (y0 + t * dy))
        cov = np.clip(r - dist + 0.5, 0.0, 1.0)
        np.maximum(coverage[lo_y:hi_y, lo_x:hi_x], cov, out=coverage[lo_y:hi_y, lo_x:hi_x])


def sketch(scene: scenes.Scene, index: int) -> np.ndarray:
    """The scene's drawn sketch with item index's pen width: uint8 [64,64], black ink on white."""
    rng = random.Random(scene.seed * 40_503 + 11)
    scale = CANVAS / scenes.SIZE
    coverage = np.zeros((CANVAS, CANVAS), np.float32)
    for shape in scene.shapes:
        _stroke(coverage, _pointer_events(_ideal_path(shape, scale), rng, scale), pen_width(index) * scale)
    pixels = 255.0 * (1.0 - coverage)
    small = pixels.reshape(scenes.SIZE, CANVAS // scenes.SIZE, scenes.SIZE, CANVAS // scenes.SIZE).mean((1, 3))
    return np.clip(np.round(small), 0, 255).astype(np.uint8)
