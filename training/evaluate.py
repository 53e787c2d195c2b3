"""Evaluates meg-tiny on its two held-out sets and writes eval_metrics.json, samples.png and
samples_drawn.png next to the model: eval/ (256 generator scenes, sketched by the training pens) and
eval_drawn/ (256 other scenes sketched by another drawing method, drawn.py, pen widths 1-4 px).

    /usr/bin/python3 -m training.evaluate [--run meg-tiny] [--guidance 4] [--steps 20]

Sampling: DDIM (eta 0, "leading" timesteps with steps_offset 1, as scheduler_config.json), classifier-free
guidance on the caption only: eps = eps(empty, sketch) + g * (eps(caption, sketch) - eps(empty, sketch)).
Image-to-image = sketch-conditioned (the scaled sketch latent in UNet channels 4-7 at every step, start
from pure noise); text-to-image = zeros in channels 4-7. The PyTorch models carry exactly the shipped
weights (UNet rounded to float16 as stored in its ONNX file).

Metrics (pixels classified to the nearest palette colour):
- colours obeyed: the dominant colour inside every shape's mask and of the background (each half for
  two-tone backgrounds) equals the caption's colour; an item passes when all of them do.
- layout IoU: foreground = pixels whose nearest palette colour is not the background colour of their half;
  IoU against the mask's filled shapes (mask > 0).
- filled: a shape's inside (its mask eroded by 2 px, by 1 px for small shapes) is at least 75% its colour;
  solid: the inside is at least 75% one colour that is not the background's (filled, in any colour);
  ring: not filled, the inside at least half background and the rest of the mask at least half the shape's
  colour (an outline traced around the background); all three reported per pen width on the drawn set.
- CLIP-style rank: the true caption scores highest among itself and 7 recoloured same-layout captions.
- MEG-FD: Frechet distance on the image encoder's `features` (not Inception FID), generated vs real.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image, ImageDraw

from training import meg_tokenizer, nets
from training import train as T
from training.export_onnx import round_to_fp16
from training.meg_data import scenes

PAL = np.array(list(scenes.PALETTE.values()), np.float32)
NAMES = list(scenes.PALETTE)


def load_eval(out, folder="eval"):
    with open(os.path.join(out, folder, "items.json")) as f:
        meta = json.load(f)
    items = meta["items"]
    rd = lambda i, k: np.asarray(Image.open(os.path.join(out, folder, f"{i:03d}_{k}.png")))
    images = np.stack([rd(it["id"], "image") for it in items])
    sketches = np.stack([rd(it["id"], "sketch") for it in items])
    masks = np.stack([rd(it["id"], "mask") for it in items])
    return items, images, sketches, masks


def negatives_for(items):
    """7 recoloured same-layout captions per item, as the generator exported them with the set."""
    return [it["negative_captions"] for it in items]


def nearest_palette(img_u8):
    d = ((img_u8[..., None, :].astype(np.float32) - PAL) ** 2).sum(-1)
    return d.argmin(-1)  # [..., H, W] palette index


def bg_index_map(item):
    bg = [NAMES.index(c) for c in item["background"]]
    m = np.full((64, 64), bg[0])
    if len(bg) == 2:
        m[32:] = bg[1]
    return m


def _eroded(region):
    """One pixel of 4-neighbourhood erosion; outside the image counts as not in the region."""
    p = np.pad(region, 1)
    return region & p[:-2, 1:-1] & p[2:, 1:-1] & p[1:-1, :-2] & p[1:-1, 2:]


FILL_KINDS = ("filled", "ring", "solid")  # the order of shape_fills' verdicts


def fill_shares(fills):
    """filled_shapes, ring_shapes and solid_shapes: each verdict's share over every shape of the items' shape_fills."""
    shapes = [f for fs in fills for f in fs]
    return {f"{kind}_shapes": float(np.mean([f[i] for f in shapes])) for i, kind in enumerate(FILL_KINDS)}


def shape_fills(img_u8, item, mask):
    """Per shape: (filled, ring, solid). Its inside is the mask eroded by 2 px (1 px for small shapes).
    Filled: the inside is at least 75% its colour. Solid: the inside is at least 75% one colour that is not the
    background's (filled, in its colour or another: the outline became a shape). Ring: not filled, the inside at
    least half background and the rest of the mask at least half its colour (the outline traced around the
    background showing through, what drawn outlines used to give)."""
    lab = nearest_palette(img_u8)
    bgm = bg_index_map(item)
    out = []
    for s in item["shapes"]:
        region = mask == s["mask_value"]
        once = _eroded(region)
        twice = _eroded(once)
        inside = twice if twice.sum() >= 4 else once if once.any() else region
        rim = region & ~inside
        colour = NAMES.index(s["colour"])
        if not inside.any():
            out.append((False, False, False))
            continue
        filled = bool((lab[inside] == colour).mean() >= 0.75)
        shown = lab[inside] != bgm[inside]
        solid = bool(shown.any() and ((lab[inside] == np.bincount(lab[inside][shown]).argmax()) & shown).mean() >= 0.75)
        ring = bool(not filled and rim.any() and (~shown).mean() >= 0.5 and (lab[rim] == colour).mean() >= 0.5)
        out.append((filled, ring, solid))
    return out


def colour_and_layout(img_u8, item, mask):
    lab = nearest_palette(img_u8)
    bgm = bg_index_map(item)
    ok_shapes = []
    for s in item["shapes"]:
        px = lab[mask == s["mask_value"]]
        dom = np.bincount(px, minlength=len(NAMES)).argmax() if len(px) else -1
        ok_shapes.append(dom == NAMES.index(s["colour"]))
    ok_bg = []
    halves = [slice(0, 64)] if len(item["background"]) == 1 else [slice(0, 32), slice(32, 64)]
    for h, c in zip(halves, item["background"]):
        px = lab[h][mask[h] == 0]
        dom = np.bincount(px, minlength=len(NAMES)).argmax() if len(px) else -1
        ok_bg.append(dom == NAMES.index(c))
    fg = lab != bgm
    gt = mask > 0
    iou = (fg & gt).sum() / max(1, (fg | gt).sum())
    return all(ok_shapes) and all(ok_bg), ok_shapes, ok_bg, float(iou)


@torch.no_grad()
def ddim_sample(unet, cond, uncond, sketch_lat, guidance, steps, seed, ac):
    """cond/uncond: [B,L,D] text states; sketch_lat: [B,4,16,16] scaled (or zeros). Returns scaled x0."""
    B = cond.shape[0]
    g = torch.Generator().manual_seed(seed)
    x = torch.randn((B, 4, 16, 16), generator=g)
    ts = nets.ddim_timesteps(steps)
    for i, t in enumerate(ts):
        inp = torch.cat([x, sketch_lat], 1)
        tt = torch.full((2 * B,), t, dtype=torch.int64)
        eps_u, eps_c = unet(torch.cat([inp, inp]), tt, torch.cat([uncond, cond])).chunk(2)
        eps = eps_u + guidance * (eps_c - eps_u)
        a = ac[t]
        a_prev = ac[t - 1000 // steps] if t - 1000 // steps >= 0 else ac[0]  # set_alpha_to_one=False
        x0 = (x - (1 - a).sqrt() * eps) / a.sqrt()
        x = a_prev.sqrt() * x0 + (1 - a_prev).sqrt() * eps
    return x


def to_u8(x):
    return ((x.clamp(-1, 1) + 1) * 127.5).round().byte().permute(0, 2, 3, 1).numpy()


def frechet(a, b):
    a, b = a.astype(np.float64), b.astype(np.float64)
    mu1, mu2 = a.mean(0), b.mean(0)
    s1, s2 = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    w, v = np.linalg.eigh(s1)
    r1 = (v * np.sqrt(np.clip(w, 0, None))) @ v.T
    m = r1 @ s2 @ r1
    tr_sqrt = np.sqrt(np.clip(np.linalg.eigvalsh((m + m.T) / 2), 0, None)).sum()
    return float(((mu1 - mu2) ** 2).sum() + np.trace(s1) + np.trace(s2) - 2 * tr_sqrt)


def generate(models, items, sketches, guidance, steps, use_sketch, batch=64, seed=0):
    unet, te, enc, dec, sf, tok, ac = models
    out = []
    empty = te(torch.tensor([tok.encode("")]))[0]
    for i in range(0, len(items), batch):
        chunk = items[i:i + batch]
        ids = torch.tensor([tok.encode(it["caption"]) for it in chunk])
        cond = te(ids)[0]
        unc = empty.expand(len(chunk), -1, -1)
        if use_sketch:
            sk = enc(T.to_pm1(sketches[i:i + batch]))[0] * sf
        else:
            sk = torch.zeros(len(chunk), 4, 16, 16)
        z = ddim_sample(unet, cond, unc, sk, guidance, steps, seed + i, ac)
        out.append(to_u8(dec(z / sf)))
    return np.concatenate(out)


@torch.no_grad()
def score(gen, items, masks, models_clip, neg_ids, ids, real_feats=None):
    te, ie = models_clip
    res = [colour_and_layout(gen[k], items[k], masks[k]) for k in range(len(items))]
    filled = [shape_fills(gen[k], items[k], masks[k]) for k in range(len(items))]
    x = T.to_pm1(gen)
    rank = T.clip_rank_accuracy(te, ie, x, ids, neg_ids)
    two_tone = [r[0] for r, it in zip(res, items) if len(it["background"]) == 2]
    overlapping = [r[0] for r, it in zip(res, items) if it.get("overlapping")]
    m = {
        "colours_obeyed_items": float(np.mean([r[0] for r in res])),
        "shape_colour_accuracy": float(np.mean([o for r in res for o in r[1]])),
        "background_colour_accuracy": float(np.mean([o for r in res for o in r[2]])),
        "layout_iou_mean": float(np.mean([r[3] for r in res])),
        **fill_shares(filled),
        "colours_obeyed_two_tone_items": float(np.mean(two_tone)) if two_tone else None,
        "colours_obeyed_overlapping_items": float(np.mean(overlapping)) if overlapping else None,
        "clip_rank1_of_8": rank,
    }
    if "pen_width" in items[0]:
        m["by_pen_width"] = {}
        for w in sorted({it["pen_width"] for it in items}):
            ks = [k for k, it in enumerate(items) if it["pen_width"] == w]
            m["by_pen_width"][str(w)] = {
                "items": len(ks),
                **fill_shares([filled[k] for k in ks]),
                "colours_obeyed_items": float(np.mean([res[k][0] for k in ks])),
                "layout_iou_mean": float(np.mean([res[k][3] for k in ks])),
            }
    if real_feats is not None:
        feats = ie(x)[1].numpy()
        m["meg_fd_vs_real_eval"] = frechet(feats, real_feats)
    return m, res


def stage_eval(ctx, guidance=4.0, steps=20, sweep=(3.0, 5.0), sweep_items=64):
    t0 = time.time()
    out = ctx.out
    items, images, sketches, masks = load_eval(out)
    d_items, d_images, d_sketches, d_masks = load_eval(out, "eval_drawn")
    limit = getattr(ctx.args, "eval_limit", None)  # smoke tests only
    if limit:
        items, images, sketches, masks = items[:limit], images[:limit], sketches[:limit], masks[:limit]
        d_items, d_images, d_sketches, d_masks = d_items[:limit], d_images[:limit], d_sketches[:limit], d_masks[:limit]
        sweep_items = min(sweep_items, limit)
    tok = meg_tokenizer.Tokenizer(os.path.join(out, "tokenizer"))
    enc, dec, sf = T.load_vae(ctx)
    rdec = T.load_robust(ctx)
    te, ie = T.load_clip(ctx)
    unet = round_to_fp16(T.load_unet(ctx))
    ac = nets.scaled_linear_alphas_cumprod()
    models = (unet, te, enc, dec, sf, tok, ac)
    ids = torch.tensor([tok.encode(it["caption"]) for it in items])
    neg = torch.tensor([[tok.encode(c) for c in ns] for ns in negatives_for(items)])
    d_ids = torch.tensor([tok.encode(it["caption"]) for it in d_items])
    d_neg = torch.tensor([[tok.encode(c) for c in ns] for ns in negatives_for(d_items)])
    M = {"settings": {"items": len(items), "ddim_steps": steps, "guidance_scale": guidance,
                      "guidance": "text only; sketch latent in both passes", "sampler_seed": "0 + batch offset",
                      "scaling_factor": sf}}
    with torch.no_grad():
        x = T.to_pm1(images)
        lat = enc(x)[0]
        M["vae_psnr_db"] = float(T.psnr(dec(lat), x).mean())
        xs = T.to_pm1(sketches)
        M["vae_psnr_sketch_db"] = float(T.psnr(dec(enc(xs)[0]), xs).mean())
        recon = to_u8(dec(lat))
        M["vae_recon_colour_check"] = float(np.mean([colour_and_layout(recon[k], items[k], masks[k])[0] for k in range(len(items))]))
        M["vae_recon_layout_iou"] = float(np.mean([colour_and_layout(recon[k], items[k], masks[k])[3] for k in range(len(items))]))
        # noise-robust decoder vs plain decoder over AWGN on the scaled latent
        rob = {}
        gen_noise = torch.Generator().manual_seed(99)
        for snr in [-10, -5, 0, 5, 10, 15, 20]:
            zn = T.awgn(lat * sf, torch.full((len(items),), float(snr)), gen_noise) / sf
            p_plain = float(T.psnr(dec(zn), x).mean())
            p_rob = float(T.psnr(rdec(zn), x).mean())
            rob[str(snr)] = {"plain_db": p_plain, "robust_db": p_rob, "gain_db": p_rob - p_plain}
        rob["clean"] = {"plain_db": M["vae_psnr_db"], "robust_db": float(T.psnr(rdec(lat), x).mean())}
        M["robust_decoder"] = rob
        real_feats = ie(x)[1].numpy()
        M["real"] = {"clip_rank1_of_8": T.clip_rank_accuracy(te, ie, x, ids, neg)}
        M["real"].update({k: v for k, v in score(images, items, masks, (te, ie), neg, ids)[0].items()
                          if k != "clip_rank1_of_8"})
        # scale for MEG-FD: real training scenes vs the real eval scenes
        tr_imgs, _, _ = T.load_data(ctx)
        M["meg_fd_real_train_vs_real_eval"] = frechet(ie(T.to_pm1(tr_imgs[:256]))[1].numpy(), real_feats)

        t = time.time()
        gen_i2i = generate(models, items, sketches, guidance, steps, True)
        M["img2img"], res_i2i = score(gen_i2i, items, masks, (te, ie), neg, ids, real_feats)
        M["img2img"]["seconds"] = round(time.time() - t, 1)
        ctx.log("[eval] img2img", M["img2img"])
        t = time.time()
        gen_drawn = generate(models, d_items, d_sketches, guidance, steps, True)
        # against the drawn set's own real scenes (other scenes than the generator's set), as `./meg eval-model` does
        xd = T.to_pm1(d_images)
        d_real_feats = ie(xd)[1].numpy()
        M["img2img_drawn"], res_drawn = score(gen_drawn, d_items, d_masks, (te, ie), d_neg, d_ids, d_real_feats)
        M["img2img_drawn"]["seconds"] = round(time.time() - t, 1)
        M["real_drawn_set"] = {"clip_rank1_of_8": T.clip_rank_accuracy(te, ie, xd, d_ids, d_neg),
                               "vae_psnr_db": float(T.psnr(dec(enc(xd)[0]), xd).mean())}
        ctx.log("[eval] img2img on the drawn set", M["img2img_drawn"])
        t = time.time()
        gen_t2i = generate(models, items, sketches, guidance, steps, False)
        M["txt2img"], _ = score(gen_t2i, items, masks, (te, ie), neg, ids, real_feats)
        M["txt2img"]["seconds"] = round(time.time() - t, 1)
        ctx.log("[eval] txt2img", M["txt2img"])
        t = time.time()
        gen_t2i_drawn = generate(models, d_items, d_sketches, guidance, steps, False)
        M["txt2img_drawn"], _ = score(gen_t2i_drawn, d_items, d_masks, (te, ie), d_neg, d_ids, d_real_feats)
        M["txt2img_drawn"]["seconds"] = round(time.time() - t, 1)
        ctx.log("[eval] txt2img on the drawn set's captions", M["txt2img_drawn"])
        M["img2img_guidance_sweep_first_%d" % sweep_items] = {}
        sub = items[:sweep_items]
        M["img2img_guidance_sweep_first_%d" % sweep_items][str(guidance)] = score(
            gen_i2i[:sweep_items], sub, masks[:sweep_items], (te, ie), neg[:sweep_items], ids[:sweep_items])[0]
        for g in sweep:
            gi = generate(models, sub, sketches[:sweep_items], g, steps, True)
            M["img2img_guidance_sweep_first_%d" % sweep_items][str(g)] = score(
                gi, sub, masks[:sweep_items], (te, ie), neg[:sweep_items], ids[:sweep_items])[0]
        ctx.log("[eval] sweep", M["img2img_guidance_sweep_first_%d" % sweep_items])
    M["bars"] = {
        "vae_psnr_ge_30db": M["vae_psnr_db"] >= 30.0,
        "drawn_set_vae_psnr_ge_30db": M["real_drawn_set"]["vae_psnr_db"] >= 30.0,
        "img2img_colours_obeyed_ge_0.85": M["img2img"]["colours_obeyed_items"] >= 0.85,
        "drawn_colours_obeyed_ge_0.80": M["img2img_drawn"]["colours_obeyed_items"] >= 0.80,
        "img2img_layout_iou_ge_0.7": M["img2img"]["layout_iou_mean"] >= 0.7,
        "drawn_layout_iou_ge_0.7": M["img2img_drawn"]["layout_iou_mean"] >= 0.7,
        # outlines become shapes, not rings, at every pen width; their colours are the colour bars' business
        "drawn_outlines_solid_ge_0.9_no_rings_every_pen_width": all(
            v["solid_shapes"] >= 0.9 and v["ring_shapes"] <= 0.01 for v in M["img2img_drawn"]["by_pen_width"].values()),
        "img2img_clip_rank_ge_0.80": M["img2img"]["clip_rank1_of_8"] >= 0.80,
        "real_clip_rank_ge_0.95": M["real"]["clip_rank1_of_8"] >= 0.95,
    }
    M["stages"] = {}
    for s in [s for s in T.STAGES if s != "eval"]:
        p = ctx.path(f"{s}.done")
        if os.path.exists(p):
            with open(p) as f:
                M["stages"][s] = json.load(f)
    M["eval_seconds"] = round(time.time() - t0, 1)
    with open(os.path.join(out, "eval_metrics.json"), "w") as f:
        json.dump(M, f, indent=1)
    samples_png(os.path.join(out, "samples.png"), items, images, sketches, {"img2img output": gen_i2i, "txt2img output": gen_t2i}, res_i2i)
    samples_png(os.path.join(out, "samples_drawn.png"), d_items, d_images, d_sketches, {"img2img output": gen_drawn, "txt2img output": gen_t2i_drawn}, res_drawn,
                label=lambda it: f"pen {it['pen_width']:g} px")
    ctx.log("[eval] bars", M["bars"], "vae_psnr", round(M["vae_psnr_db"], 2), "real rank", M["real"]["clip_rank1_of_8"])
    T.mark_done(ctx, "eval", {"seconds": M["eval_seconds"]})
    return M


def samples_png(path, items, images, sketches, outputs, res, rows=8, label=None):
    """caption | sketch | each output | real scene, 8 rows, images 2x."""
    S, W = 128, 300
    pick = list(range(rows))
    heads = ["sketch (input)"] + list(outputs) + ["real scene"]
    canvas = Image.new("RGB", (W + len(heads) * (S + 6), 22 + rows * (S + 6)), (255, 255, 255))
    d = ImageDraw.Draw(canvas)
    for j, h in enumerate(heads):
        d.text((W + j * (S + 6) + 4, 5), h, fill=(0, 0, 0))
    d.text((4, 5), "caption (20 DDIM steps, guidance 4)", fill=(0, 0, 0))
    for r, k in enumerate(pick):
        y = 22 + r * (S + 6)
        words, lines, cur = items[k]["caption"].split(), [], ""
        for w in words:
            if len(cur) + len(w) + 1 > 46:
                lines.append(cur)
                cur = w
            else:
                cur = (cur + " " + w).strip()
        lines.append(cur)
        lines.append(f"IoU {res[k][3]:.2f}  colours {'ok' if res[k][0] else 'wrong'}" + (f"  {label(items[k])}" if label else ""))
        for li, line in enumerate(lines):
            d.text((4, y + 4 + 12 * li), line, fill=(0, 0, 0))
        tiles = [np.repeat(sketches[k][:, :, None], 3, 2)] + [o[k] for o in outputs.values()] + [images[k]]
        for j, t in enumerate(tiles):
            canvas.paste(Image.fromarray(t).resize((S, S), Image.NEAREST), (W + j * (S + 6), y))
    canvas.save(path, optimize=True)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--run", default="meg-tiny")
    ap.add_argument("--out", default=os.path.join(T.ROOT, "models", "meg-tiny"))
    ap.add_argument("--guidance", type=float, default=4.0)
    ap.add_argument("--steps", type=int, default=20)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    ns = argparse.Namespace(run=a.run, out=a.out, minutes={}, steps={}, scale=1.0)
    stage_eval(T.Ctx(ns), a.guidance, a.steps)


if __name__ == "__main__":
    main()
