"""Test images and scikit-image reference values for Meg.Quality.Tests.

Rerun (from the repository root) with Debian's Python and its packages
(apt-get install python3-skimage python3-pil):

    /usr/bin/python3 tests/Meg.Quality.Tests/data/make_reference.py

It rewrites the PNGs (the metric test images plus gray.png and rgba.png for the decoder) and reference.json in this folder; every random draw has a fixed seed, so a rerun
with the same numpy/scikit-image gives the same files. Versions used are recorded in reference.json.

PSNR and SSIM come from scikit-image. scikit-image has no MS-SSIM, so two numpy versions are here:
- ms_ssim_meg: the definition Meg.Quality.MsSsim implements (documented there), which also works on
  images too small for five scales with an 11-wide window by shrinking the window at small scales;
- ms_ssim_pytorch: a line-by-line port of pytorch_msssim.ms_ssim (the common implementation of
  Wang et al. 2003), defined only for images whose smaller side exceeds 160.
Where both are defined they must agree; the script checks that.
"""

import json
import os

import numpy as np
import PIL
import scipy
import scipy.ndimage
import scipy.signal
import skimage
from PIL import Image
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

HERE = os.path.dirname(os.path.abspath(__file__))
WEIGHTS = np.array([0.0448, 0.2856, 0.3001, 0.2363, 0.1333])
K1, K2, R = 0.01, 0.03, 255.0
C1, C2 = (K1 * R) ** 2, (K2 * R) ** 2


def scene(width, height):
    """A procedural picture with flat areas, edges, a gradient and fine texture."""
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    u, v = x / (width - 1), y / (height - 1)
    img = np.zeros((height, width, 3))
    img[..., 0] = 90 + 80 * v
    img[..., 1] = 140 + 60 * v
    img[..., 2] = 230 - 40 * v
    ground = v > 0.62
    img[ground] = np.stack([70 + 30 * np.sin(x * 0.9), 150 + 25 * np.sin(y * 1.3), 60 + 0 * x], -1)[ground]
    circle = (u - 0.3) ** 2 + (v - 0.35) ** 2 < 0.18 ** 2
    img[circle] = [220, 40, 40]
    rect = (u > 0.55) & (u < 0.85) & (v > 0.2) & (v < 0.55)
    img[rect] = [240, 210, 30]
    checker = (u > 0.6) & (v > 0.7) & (v < 0.9) & (((x // 2 + y // 2) % 2) == 0)
    img[checker] = [20, 20, 20]
    line = np.abs((v - 0.1) - 0.8 * u) < 0.02
    img[line] = [30, 30, 90]
    return np.clip(np.rint(img), 0, 255).astype(np.uint8)


def add_noise(img, sigma, seed):
    rng = np.random.default_rng(seed)
    return np.clip(np.rint(img + rng.normal(0, sigma, img.shape)), 0, 255).astype(np.uint8)


def blur(img, sigma):
    out = np.stack([scipy.ndimage.gaussian_filter(img[..., c].astype(np.float64), sigma) for c in range(3)], -1)
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


def shift(img, dx, dy):
    return np.roll(np.roll(img, dy, axis=0), dx, axis=1)


def gaussian_window(size, sigma):
    r = size // 2
    g = np.exp(-(np.arange(-r, r + 1) ** 2) / (2.0 * sigma ** 2))
    return g / g.sum()


def ssim_and_cs(x, y, size, sigma):
    """Mean SSIM and mean contrast-structure term over the valid (uncropped-window) region."""
    g = gaussian_window(size, sigma)
    k = np.outer(g, g)

    def filt(a):
        return scipy.signal.convolve2d(a, k, mode="valid")

    mx, my = filt(x), filt(y)
    vx = filt(x * x) - mx * mx
    vy = filt(y * y) - my * my
    vxy = filt(x * y) - mx * my
    cs_map = (2 * vxy + C2) / (vx + vy + C2)
    l_map = (2 * mx * my + C1) / (mx * mx + my * my + C1)
    return float((l_map * cs_map).mean()), float(cs_map.mean())


def downsample(a):
    h, w = a.shape[0] // 2, a.shape[1] // 2
    return a[: 2 * h, : 2 * w].reshape(h, 2, w, 2).mean(axis=(1, 3))


def ms_ssim_meg_channel(x, y):
    values = []
    for level in range(5):
        side = min(x.shape)
        size = min(11, side if side % 2 == 1 else side - 1)
        sigma = 1.5 * size / 11
        s, cs = ssim_and_cs(x, y, size, sigma)
        if level < 4:
            values.append(max(cs, 0.0))
            x, y = downsample(x), downsample(y)
        else:
            values.append(max(s, 0.0))
    return float(np.prod(np.array(values) ** WEIGHTS))


def ms_ssim_meg(a, b):
    a, b = a.astype(np.float64), b.astype(np.float64)
    return float(np.mean([ms_ssim_meg_channel(a[..., c], b[..., c]) for c in range(3)]))


def avg_pool_like_torch(a, pad):
    """F.avg_pool2d(kernel 2, stride 2, padding=pad, count_include_pad=True)."""
    a = np.pad(a, ((pad[0], pad[0]), (pad[1], pad[1])))
    h, w = a.shape[0] // 2, a.shape[1] // 2
    return a[: 2 * h, : 2 * w].reshape(h, 2, w, 2).mean(axis=(1, 3))


def ms_ssim_pytorch(a, b):
    if min(a.shape[:2]) <= (11 - 1) * 2 ** 4:
        return None
    result = []
    for c in range(3):
        x, y = a[..., c].astype(np.float64), b[..., c].astype(np.float64)
        mcs = []
        for level in range(5):
            s, cs = ssim_and_cs(x, y, 11, 1.5)
            if level < 4:
                mcs.append(max(cs, 0.0))
                pad = [x.shape[0] % 2, x.shape[1] % 2]
                x, y = avg_pool_like_torch(x, pad), avg_pool_like_torch(y, pad)
        values = np.array(mcs + [max(s, 0.0)])
        result.append(np.prod(values ** WEIGHTS))
    return float(np.mean(result))


def main():
    images = {}
    for name, (w, h) in {"scene": (64, 64), "wide": (96, 80), "large": (176, 176)}.items():
        images[name] = scene(w, h)
    s = images["scene"]
    images["scene_noise5"] = add_noise(s, 5, seed=1)
    images["scene_noise25"] = add_noise(s, 25, seed=2)
    images["scene_blur"] = blur(s, 1.2)
    images["scene_shift"] = shift(s, 2, 1)
    images["wide_noise10"] = add_noise(images["wide"], 10, seed=3)
    images["large_noise15"] = add_noise(images["large"], 15, seed=4)
    images["large_blur"] = blur(images["large"], 1.5)

    for name, img in images.items():
        Image.fromarray(img, "RGB").save(os.path.join(HERE, name + ".png"))

    # Decoder inputs: an 8-bit gray PNG (value = 16*x + y) and an RGBA PNG of colour (200, 100, 50)
    # whose alpha is 17*x in column x (0 = fully transparent).
    y, x = np.mgrid[0:8, 0:16]
    Image.fromarray((16 * x + y).astype(np.uint8), "L").save(os.path.join(HERE, "gray.png"))
    rgba = np.zeros((8, 16, 4), np.uint8)
    rgba[..., :3] = [200, 100, 50]
    rgba[..., 3] = 17 * x
    Image.fromarray(rgba, "RGBA").save(os.path.join(HERE, "rgba.png"))

    pairs = [
        ("scene", "scene"),
        ("scene", "scene_noise5"),
        ("scene", "scene_noise25"),
        ("scene", "scene_blur"),
        ("scene", "scene_shift"),
        ("scene_noise5", "scene_noise25"),
        ("wide", "wide_noise10"),
        ("large", "large_noise15"),
        ("large", "large_blur"),
    ]
    rows = []
    for ref, dist in pairs:
        a, b = images[ref], images[dist]
        psnr = peak_signal_noise_ratio(a, b, data_range=255) if ref != dist else None
        ssim = structural_similarity(
            a, b, gaussian_weights=True, sigma=1.5, use_sample_covariance=False, data_range=255, channel_axis=-1)
        # Our valid-region SSIM at full scale must equal skimage's cropped mean.
        mine = np.mean([ssim_and_cs(a[..., c].astype(float), b[..., c].astype(float), 11, 1.5)[0] for c in range(3)])
        assert abs(mine - ssim) < 1e-12, (ref, dist, mine, ssim)
        ms_meg = ms_ssim_meg(a, b)
        ms_torch = ms_ssim_pytorch(a, b)
        if ms_torch is not None:
            assert abs(ms_meg - ms_torch) < 1e-12, (ref, dist, ms_meg, ms_torch)
        rows.append({
            "reference": ref + ".png",
            "distorted": dist + ".png",
            "psnr": psnr,  # null for identical images: PSNR is +infinity
            "ssim": float(ssim),
            "ms_ssim_meg": ms_meg,
            "ms_ssim_pytorch": ms_torch,  # null where the standard definition needs a larger image
        })
        print(f"{ref:>14} vs {dist:<14} psnr={psnr} ssim={ssim:.6f} ms_ssim={ms_meg:.6f} torch={ms_torch}")

    meta = {
        "generator": "tests/Meg.Quality.Tests/data/make_reference.py",
        "versions": {"numpy": np.__version__, "scipy": scipy.__version__, "scikit-image": skimage.__version__,
                     "pillow": PIL.__version__},
        "ssim_call": "structural_similarity(a, b, gaussian_weights=True, sigma=1.5, use_sample_covariance=False, "
                     "data_range=255, channel_axis=-1)",
        "psnr_call": "peak_signal_noise_ratio(a, b, data_range=255)",
        "pairs": rows,
    }
    with open(os.path.join(HERE, "reference.json"), "w") as f:
        json.dump(meta, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
