"""Trains meg-tiny from scratch in resumable stages.

    /usr/bin/python3 -m training.train all      # data tokenizer vae clip unet robust cliphead export eval
    /usr/bin/python3 -m training.train vae clip --minutes vae=10,clip=5
    /usr/bin/python3 -m training.train all --scale 0.01 --scenes 2000 --eval-limit 16 --run smoke --out /tmp/meg-smoke

Each training stage stops at whichever comes first: its step cap (--steps) or its time budget
(--minutes, times --scale). The learning-rate schedule follows the same progress measure, so a stage cut
short by time still anneals. Checkpoints (every ~2 min and at the end) live in training/runs/<run>/; a
finished stage is skipped on the next call, an interrupted one resumes. For a bit-exact rerun on another
machine pass the step counts that the log reports with --steps and a large --minutes.
"""
from __future__ import annotations

import argparse
import copy
import json
import math
import os
import random
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

from training import nets
from training.meg_data import drawn, pens, scenes
from training import meg_tokenizer

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
STAGES = ["data", "tokenizer", "vae", "clip", "unet", "bind", "robust", "cliphead", "export", "eval"]
DEFAULT_MINUTES = {"vae": 16.0, "clip": 8.0, "unet": 58.0, "bind": 55.0, "robust": 4.0, "cliphead": 30.0}
DEFAULT_STEPS = {"vae": 100000, "clip": 100000, "unet": 100000, "bind": 100000, "robust": 100000, "cliphead": 100000}
HP = {
    "n_train": 24000,
    "vae": {"batch": 32, "lr": 1e-3, "warmup": 100, "kl": 1e-4, "sketch_frac": 0.25},
    "clip": {"batch": 64, "negatives": 3, "lr": 1e-3, "warmup": 100},
    "cliphead": {"batch": 64, "negatives": 7, "lr": 1e-3, "warmup": 50, "layers": 2},
    "unet": {"batch": 48, "lr": 8e-4, "warmup": 200, "ema": 0.999, "p_drop_text": 0.1, "p_drop_sketch": 0.1,
             "min_snr_gamma": 5.0},
    "bind": {"batch": 48, "lr": 3e-4, "text_lr": 2e-4, "position_lr": 1e-3, "warmup": 100, "ema": 0.998,
             "high_noise_share": 0.5, "high_noise_from": 400},
    "robust": {"batch": 32, "lr": 3e-4, "warmup": 50, "snr_db": [-10.0, 20.0]},
    "text": {"d": 128, "layers": 4, "heads": 4, "embed": 128},
    "unet_channels": [64, 96, 96],
}
SEED = 1234


class Ctx:
    def __init__(self, args):
        self.args = args
        self.run = os.path.join(ROOT, "training", "runs", args.run)
        self.out = os.path.abspath(args.out)
        os.makedirs(self.run, exist_ok=True)
        self.log_path = os.path.join(self.run, "train.log")

    def log(self, *a):
        msg = time.strftime("%H:%M:%S ") + " ".join(str(x) for x in a)
        print(msg, flush=True)
        with open(self.log_path, "a") as f:
            f.write(msg + "\n")

    def path(self, name):
        return os.path.join(self.run, name)

    def budget(self, stage):
        return self.args.minutes.get(stage, DEFAULT_MINUTES.get(stage, 1.0)) * 60.0 * self.args.scale

    def steps(self, stage):
        return int(self.args.steps.get(stage, DEFAULT_STEPS.get(stage, 100000)))


def seed_all(s):
    random.seed(s)
    np.random.seed(s)
    torch.manual_seed(s)


def lr_at(base, progress, step, warmup):
    w = min(1.0, (step + 1) / warmup)
    return base * w * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * min(1.0, progress))))


def to_pm1(u8):
    """uint8 [N,H,W,3] or [N,H,W] -> float [-1,1] NCHW with 3 channels."""
    x = torch.from_numpy(np.ascontiguousarray(u8)).float() / 127.5 - 1.0
    if x.dim() == 3:
        x = x[:, None].expand(-1, 3, -1, -1)
    else:
        x = x.permute(0, 3, 1, 2)
    return x.contiguous()


class Loop:
    """Time/step-bounded training loop state with resumable checkpoints."""

    def __init__(self, ctx, stage, modules, opt, extra=None):
        self.ctx, self.stage, self.modules, self.opt = ctx, stage, modules, opt
        self.extra = extra or {}
        self.ckpt = ctx.path(f"{stage}.ckpt")
        self.step, self.elapsed = 0, 0.0
        if os.path.exists(self.ckpt):
            st = torch.load(self.ckpt)
            for k, m in modules.items():
                m.load_state_dict(st["modules"][k])
            opt.load_state_dict(st["opt"])
            self.step, self.elapsed = st["step"], st["elapsed"]
            torch.set_rng_state(st["rng"])
            np.random.set_state(st["np_rng"])
            self.extra.update(st.get("extra", {}))
            ctx.log(f"[{stage}] resumed at step {self.step}, {self.elapsed:.0f}s used")
        self.budget, self.max_steps = ctx.budget(stage), ctx.steps(stage)
        self.t0, self.last_save = time.time() - self.elapsed, time.time()

    def progress(self):
        self.elapsed = time.time() - self.t0
        return max(self.step / self.max_steps, self.elapsed / max(self.budget, 1e-9))

    def save(self):
        st = {"modules": {k: m.state_dict() for k, m in self.modules.items()}, "opt": self.opt.state_dict(),
              "step": self.step, "elapsed": time.time() - self.t0, "rng": torch.get_rng_state(),
              "np_rng": np.random.get_state(), "extra": self.extra}
        torch.save(st, self.ckpt + ".tmp")
        os.replace(self.ckpt + ".tmp", self.ckpt)
        self.last_save = time.time()

    def scheduled(self, opt, base_lr, warmup):
        """Runs until the stage's budget or step cap: before each step, sets every parameter group's learning
        rate (its own "base", else base_lr) on the warm-up + cosine schedule of the stage's progress."""
        while True:
            p = self.progress()
            if p >= 1.0:
                return
            for g in opt.param_groups:
                g["lr"] = lr_at(g.get("base", base_lr), p, self.step, warmup)
            yield p

    def maybe_save(self):
        if time.time() - self.last_save > 120:
            self.save()


def done(ctx, stage):
    return os.path.exists(ctx.path(f"{stage}.done"))


def forget(ctx, stage):
    """Removes a stage's checkpoint, result and done marker, so that it runs again (its inputs changed)."""
    for name in (f"{stage}.ckpt", f"{stage}.pt", f"{stage}.done"):
        if os.path.exists(ctx.path(name)):
            os.remove(ctx.path(name))


def mark_done(ctx, stage, info):
    with open(ctx.path(f"{stage}.done"), "w") as f:
        json.dump(info, f, indent=1)


# ---------------------------------------------------------------- data
def stage_data(ctx):
    n = ctx.args.scenes or HP["n_train"]
    t = time.time()
    images, sketches, masks, sc = scenes.build_arrays(range(scenes.TRAIN_SEED_BASE, scenes.TRAIN_SEED_BASE + n), pens.sketch)
    rng = random.Random(SEED)
    captions = [s.caption for s in sc]
    negatives = [scenes.recoloured_captions(s, 7, rng) for s in sc]
    np.savez(ctx.path("data.npz"), images=images, sketches=sketches)
    with open(ctx.path("captions.json"), "w") as f:
        json.dump({"captions": captions, "negatives": negatives}, f)
    items = scenes.export_eval_set(os.path.join(ctx.out, "eval"), scenes.EVAL_SEED_BASE, lambda sc, _: pens.sketch(sc),
                                   "the training pens (pens.py), one per scene")
    drawn_items = scenes.export_eval_set(os.path.join(ctx.out, "eval_drawn"), scenes.DRAWN_SEED_BASE, drawn.sketch,
                                         drawn.DESCRIPTION, extra=lambda i: {"pen_width": drawn.pen_width(i)})
    train_caps = set(captions)
    info = {"n_train": n, "seconds": round(time.time() - t, 1), "eval_items": len(items),
            "eval_captions_also_in_train": sum(1 for it in items if it["caption"] in train_caps),
            "drawn_items": len(drawn_items),
            "drawn_captions_also_in_train": sum(1 for it in drawn_items if it["caption"] in train_caps),
            "overlapping_train_scenes": sum(1 for x in sc if x.overlapping)}
    ctx.log("[data]", info)
    mark_done(ctx, "data", info)


def stage_tokenizer(ctx):
    folder = os.path.join(ctx.out, "tokenizer")
    vocab, merges = meg_tokenizer.write(folder, scenes.vocabulary_words())
    tok = meg_tokenizer.Tokenizer(folder)
    with open(ctx.path("captions.json")) as f:
        caps = json.load(f)
    ids = np.array([tok.encode(c) for c in caps["captions"]], np.int64)
    neg = np.array([[tok.encode(c) for c in (ns + ns * 7)[:7]] for ns in caps["negatives"]], np.int64)
    np.savez(ctx.path("tokens.npz"), ids=ids, neg=neg, empty=np.array(tok.encode(""), np.int64))
    info = {"vocab_size": len(vocab), "merges": len(merges), "max_length": tok.max_length}
    ctx.log("[tokenizer]", info)
    mark_done(ctx, "tokenizer", info)


def load_data(ctx):
    d = np.load(ctx.path("data.npz"))
    t = np.load(ctx.path("tokens.npz"))
    return d["images"], d["sketches"], t


def tokenizer_size(ctx):
    with open(os.path.join(ctx.out, "tokenizer", "vocab.json")) as f:
        return len(json.load(f))


# ---------------------------------------------------------------- VAE
def psnr(a, b):
    """a, b in [-1,1]; per-image PSNR on the [0,1] scale."""
    mse = ((a.clamp(-1, 1) - b) / 2).pow(2).flatten(1).mean(1)
    return (10 * torch.log10(1.0 / mse.clamp_min(1e-10)))


def stage_vae(ctx):
    hp = HP["vae"]
    seed_all(SEED + 1)
    images, sketches, _ = load_data(ctx)
    enc, dec = nets.VAEEncoder(), nets.VAEDecoder()
    opt = torch.optim.AdamW(list(enc.parameters()) + list(dec.parameters()), lr=hp["lr"], weight_decay=0.0)
    loop = Loop(ctx, "vae", {"enc": enc, "dec": dec}, opt)
    n = len(images)
    val = to_pm1(images[-256:])
    hist = []
    for _ in loop.scheduled(opt, hp["lr"], hp["warmup"]):
        idx = np.random.randint(0, n - 256, hp["batch"])
        ns = int(hp["batch"] * hp["sketch_frac"])
        x = torch.cat([to_pm1(images[idx[ns:]]), to_pm1(sketches[idx[:ns]])])
        mean, logvar = enc(x)
        z = mean + torch.randn_like(mean) * torch.exp(0.5 * logvar)
        y = dec(z)
        rec = (y - x).abs().mean() + (y - x).pow(2).mean()
        kl = 0.5 * (mean.pow(2) + logvar.exp() - 1.0 - logvar).mean()
        loss = rec + hp["kl"] * kl
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(opt.param_groups[0]["params"], 1.0)
        opt.step()
        loop.step += 1
        hist.append([rec.item(), kl.item()])
        if loop.step % 50 == 0:
            r = np.mean(hist[-50:], 0)
            ctx.log(f"[vae] step {loop.step} rec {r[0]:.4f} kl {r[1]:.3f} lr {opt.param_groups[0]['lr']:.2e} "
                    f"t {loop.elapsed:.0f}s")
        loop.maybe_save()
    loop.save()
    enc.eval(); dec.eval()
    with torch.no_grad():
        m, _ = enc(val)
        val_psnr = psnr(dec(m), val).mean().item()
        lat = torch.cat([enc(to_pm1(images[i:i + 256]))[0] for i in range(0, 2048, 256)])
        sf = 1.0 / lat.std().item()
    info = {"steps": loop.step, "seconds": round(loop.elapsed), "val_psnr_db": round(val_psnr, 2),
            "scaling_factor": sf, "latent_mean": lat.mean().item(), "latent_std": lat.std().item(),
            "params_encoder": nets.count(enc), "params_decoder": nets.count(dec),
            "final_rec_loss": float(np.mean(hist[-50:], 0)[0]) if hist else None}
    torch.save({"enc": enc.state_dict(), "dec": dec.state_dict(), "scaling_factor": sf}, ctx.path("vae.pt"))
    ctx.log("[vae]", info)
    mark_done(ctx, "vae", info)


def load_vae(ctx):
    st = torch.load(ctx.path("vae.pt"))
    enc, dec = nets.VAEEncoder(), nets.VAEDecoder()
    enc.load_state_dict(st["enc"]); dec.load_state_dict(st["dec"])
    return enc.eval(), dec.eval(), st["scaling_factor"]


# ---------------------------------------------------------------- CLIP-style encoders
def new_text_encoder(ctx):
    h = HP["text"]
    return nets.TextEncoder(tokenizer_size(ctx), meg_tokenizer.MAX_LENGTH, h["d"], h["layers"], h["heads"], h["embed"])


def augment(x):
    """Mild corruption so the image encoder also scores generated (slightly soft or noisy) images."""
    b = x.shape[0]
    blur = F.avg_pool2d(F.pad(x, (1, 1, 1, 1), mode="replicate"), 3, stride=1)
    k = (torch.rand(b, 1, 1, 1) < 0.3).float()
    x = k * blur + (1 - k) * x
    x = x + torch.randn_like(x) * torch.rand(b, 1, 1, 1) * 0.08
    return x


def stage_clip(ctx):
    seed_all(SEED + 2)
    images, _, tok = load_data(ctx)
    te, ie = new_text_encoder(ctx), nets.ImageEncoder(embed=HP["text"]["embed"])
    logit_scale = torch.nn.Parameter(torch.tensor(math.log(1 / 0.07)))
    params = list(te.parameters()) + list(ie.parameters()) + [logit_scale]
    train_contrastive(ctx, "clip", te, ie, params, logit_scale, images, tok, "params_text")


def train_contrastive(ctx, stage, te, ie, params, logit_scale, images, tok, text_params_name, frozen=None):
    """The CLIP loss loop of the clip and cliphead stages: each batch of images against its captions and K of
    7 recoloured same-layout captions as hard negatives; then the rank check, `<stage>.pt` and the done
    marker. `frozen` (a part of te) stays in eval mode and untrained."""
    hp = HP[stage]
    ids, neg = torch.from_numpy(tok["ids"]), torch.from_numpy(tok["neg"])
    opt = torch.optim.AdamW(params, lr=hp["lr"], weight_decay=0.05)
    loop = Loop(ctx, stage, {"te": te, "ie": ie}, opt, {"logit_scale": logit_scale.data})
    logit_scale.data = loop.extra["logit_scale"]
    te.train(); ie.train()
    if frozen is not None:
        frozen.eval()
    n, B, K = len(images), hp["batch"], hp["negatives"]
    hist = []
    for _ in loop.scheduled(opt, hp["lr"], hp["warmup"]):
        idx = np.random.randint(0, n - 256, B)
        x = augment(to_pm1(images[idx]))
        k = torch.from_numpy(np.stack([np.random.choice(7, K, replace=False) for _ in range(B)]))
        texts = torch.cat([ids[idx], neg[idx][torch.arange(B)[:, None], k].reshape(B * K, -1)])
        L = int((texts != texts.max()).sum(1).max().item()) + 1  # through the first EOT of the longest caption
        _, t_emb = te(texts[:, :L])
        i_emb, _ = ie(x)
        t_emb, i_emb = F.normalize(t_emb, dim=-1), F.normalize(i_emb, dim=-1)
        s = logit_scale.clamp(max=math.log(100)).exp()
        logits = s * i_emb @ t_emb.t()                     # [B, B + B*K]: in-batch and hard negatives
        target = torch.arange(B)
        loss = F.cross_entropy(logits, target) + F.cross_entropy(logits[:, :B].t(), target)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        loop.step += 1
        hist.append([loss.item(), (logits.argmax(1) == target).float().mean().item()])
        if loop.step % 25 == 0:
            r = np.mean(hist[-25:], 0)
            ctx.log(f"[{stage}] step {loop.step} loss {r[0]:.3f} acc@{B + B * K} {r[1]:.3f} scale {s.item():.1f} "
                    f"lr {opt.param_groups[0]['lr']:.2e} t {loop.elapsed:.0f}s")
        loop.extra["logit_scale"] = logit_scale.data
        loop.maybe_save()
    loop.save()
    te.eval(); ie.eval()
    rank_acc = clip_rank_accuracy(te, ie, to_pm1(images[-256:]), ids[-256:], neg[-256:])
    info = {"steps": loop.step, "seconds": round(loop.elapsed), "val_rank1_of_8_real": rank_acc,
            text_params_name: nets.count(te), "params_image": nets.count(ie),
            "final_loss": float(np.mean(hist[-25:], 0)[0]) if hist else None}
    torch.save({"te": te.state_dict(), "ie": ie.state_dict(), "logit_scale": logit_scale.data}, ctx.path(f"{stage}.pt"))
    ctx.log(f"[{stage}]", info)
    mark_done(ctx, stage, info)


@torch.no_grad()
def clip_rank_accuracy(te, ie, x, ids, neg):
    """Share of images whose true caption scores highest among itself and 7 same-layout recolourings."""
    i_emb = F.normalize(ie(x)[0], dim=-1)
    texts = torch.cat([ids[:, None], neg[:, :7]], 1)  # [N, 8, L]
    t_emb = F.normalize(te(texts.reshape(-1, texts.shape[-1]))[1], dim=-1).reshape(len(x), 8, -1)
    sims = (t_emb * i_emb[:, None]).sum(-1)
    return (sims.argmax(1) == 0).float().mean().item()


def load_clip(ctx, base_only=False, bound=True):
    """The text and image encoders; with the bind stage done, the base text encoder is the one fine-tuned
    with the UNet (bound=False gives the clip stage's); with the cliphead stage done, it carries its head."""
    st = torch.load(ctx.path("clip.pt"))
    te, ie = new_text_encoder(ctx), nets.ImageEncoder(embed=HP["text"]["embed"])
    te.load_state_dict(st["te"]); ie.load_state_dict(st["ie"])
    if bound and os.path.exists(ctx.path("bind.pt")):
        te.load_state_dict(torch.load(ctx.path("bind.pt"))["te"])
    if not base_only and os.path.exists(ctx.path("cliphead.pt")):
        sh = torch.load(ctx.path("cliphead.pt"))
        te = nets.TextEncoderWithHead(te, HP["cliphead"]["layers"], HP["text"]["heads"], HP["text"]["embed"])
        te.load_state_dict(sh["te"]); ie.load_state_dict(sh["ie"])
    return te.eval(), ie.eval()


def stage_cliphead(ctx):
    """Second CLIP phase after the UNet: base text encoder frozen (its hidden states condition the UNet),
    a 2-layer pooling head and the image encoder keep training on the same contrastive task."""
    hp = HP["cliphead"]
    seed_all(SEED + 5)
    images, _, tok = load_data(ctx)
    base, ie = load_clip(ctx, base_only=True)
    te = nets.TextEncoderWithHead(base, hp["layers"], HP["text"]["heads"], HP["text"]["embed"])
    with torch.no_grad():  # start the head's projection from the base projection's role: identity-ish pooling
        te.projh.weight.copy_(base.proj.weight)
    base.requires_grad_(False)
    st = torch.load(ctx.path("clip.pt"))
    logit_scale = torch.nn.Parameter(st["logit_scale"].clone())
    params = [p for p in te.parameters() if p.requires_grad] + list(ie.parameters()) + [logit_scale]
    train_contrastive(ctx, "cliphead", te, ie, params, logit_scale, images, tok, "params_text_with_head", frozen=base)


# ---------------------------------------------------------------- UNet
@torch.no_grad()
def cached_conditioning(ctx):
    """VAE latents (unscaled means) of images and sketches, and frozen text states of the captions."""
    path = ctx.path("cond.pt")
    if os.path.exists(path):
        return torch.load(path)
    t = time.time()
    images, sketches, tok = load_data(ctx)
    enc, _, sf = load_vae(ctx)
    te, _ = load_clip(ctx, base_only=True, bound=False)
    zi = torch.cat([enc(to_pm1(images[i:i + 500]))[0] for i in range(0, len(images), 500)])
    zs = torch.cat([enc(to_pm1(sketches[i:i + 500]))[0] for i in range(0, len(images), 500)])
    ids = torch.from_numpy(tok["ids"])
    hs = torch.cat([te(ids[i:i + 500])[0] for i in range(0, len(ids), 500)]).half()
    empty = te(torch.from_numpy(tok["empty"])[None])[0][0]
    cond = {"zi": zi, "zs": zs, "hs": hs, "empty": empty, "sf": sf}
    torch.save(cond, path)
    ctx.log(f"[unet] cached latents and text states in {time.time() - t:.0f}s; sketch latent std*sf "
            f"{(zs * sf).std().item():.3f}")
    return cond


def new_unet():
    """With learned position maps: without them two-tone backgrounds came out upside down as often as not."""
    return nets.UNet(ctx_dim=HP["text"]["d"], ch=tuple(HP["unet_channels"]), positional=True)


def noise_prediction_loss(unet, x0, sk, h, drop_s, ac, high_noise_share=0.0, high_noise_from=1000):
    """Epsilon loss with min-SNR-gamma weighting; the sketch latent zeroed where drop_s. t is uniform, except
    that a share of the batch draws it from [high_noise_from, 1000): the steps where colours and layout are
    decided. Returns the loss and the plain MSE (for the log)."""
    B = x0.shape[0]
    sk = sk * (~drop_s).float()[:, None, None, None]
    t = torch.randint(0, 1000, (B,))
    if high_noise_share > 0:
        high = torch.rand(B) < high_noise_share
        t[high] = torch.randint(high_noise_from, 1000, (int(high.sum()),))
    a = ac[t][:, None, None, None]
    eps = torch.randn_like(x0)
    xt = a.sqrt() * x0 + (1 - a).sqrt() * eps
    pred = unet(torch.cat([xt, sk], 1), t, h)
    snr = ac[t] / (1 - ac[t])
    w = torch.clamp(snr, max=HP["unet"]["min_snr_gamma"]) / snr      # min-SNR-gamma weighting (eps target)
    loss = ((pred - eps).pow(2).mean((1, 2, 3)) * w).mean()
    return loss, (pred - eps).pow(2).mean().item()


@torch.no_grad()
def ema_update(pairs, step, cap):
    """EMA of each (ema, model) pair with a warm-up (power 2/3): decay min(cap, 1-(1+step)^-2/3), ~0.992 at 1.5k steps."""
    d = min(cap, 1.0 - (1.0 + step) ** -0.6667)
    for m_ema, m in pairs:
        for pe, pm in zip(m_ema.parameters(), m.parameters()):
            pe.mul_(d).add_(pm.detach(), alpha=1 - d)


def stage_unet(ctx):
    hp = HP["unet"]
    cond = cached_conditioning(ctx)
    seed_all(SEED + 3)
    sf = cond["sf"]
    zi, zs, hs, empty = cond["zi"] * sf, cond["zs"] * sf, cond["hs"], cond["empty"]
    unet = new_unet()
    ema = copy.deepcopy(unet).requires_grad_(False)
    position = [unet.p16, unet.p8, unet.p4]
    rest = [p for n, p in unet.named_parameters() if n not in ("p16", "p8", "p4")]
    opt = torch.optim.AdamW([{"params": rest, "lr": hp["lr"], "base": hp["lr"]},
                             {"params": position, "lr": HP["bind"]["position_lr"], "base": HP["bind"]["position_lr"],
                              "weight_decay": 0.0}], weight_decay=0.01)
    loop = Loop(ctx, "unet", {"unet": unet, "ema": ema}, opt)
    ac = nets.scaled_linear_alphas_cumprod()
    n, B = len(zi) - 256, hp["batch"]
    hist = []
    for _ in loop.scheduled(opt, hp["lr"], hp["warmup"]):
        idx = torch.from_numpy(np.random.randint(0, n, B))
        x0, sk, h = zi[idx], zs[idx], hs[idx].float()
        drop_t = torch.rand(B) < hp["p_drop_text"]
        drop_s = torch.rand(B) < hp["p_drop_sketch"]
        h[drop_t] = empty
        loss, mse = noise_prediction_loss(unet, x0, sk, h, drop_s, ac)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(unet.parameters(), 1.0)
        opt.step()
        loop.step += 1
        ema_update([(ema, unet)], loop.step, hp["ema"])
        hist.append([loss.item(), mse])
        if loop.step % 50 == 0:
            r = np.mean(hist[-50:], 0)
            ctx.log(f"[unet] step {loop.step} loss {r[0]:.4f} mse {r[1]:.4f} lr {opt.param_groups[0]['lr']:.2e} "
                    f"t {loop.elapsed:.0f}s")
        loop.maybe_save()
    loop.save()
    torch.save({"unet": ema.state_dict(), "raw": unet.state_dict()}, ctx.path("unet.pt"))
    info = {"steps": loop.step, "seconds": round(loop.elapsed), "params": nets.count(unet),
            "final_mse": float(np.mean(hist[-200:], 0)[1]) if hist else None,
            "samples_seen": loop.step * B}
    ctx.log("[unet]", info)
    mark_done(ctx, "unet", info)


def stage_bind(ctx):
    """Second UNet phase: the UNet keeps training with its text encoder unfrozen, so that the text states
    learn what the images need: which colour word belongs to which shape word, and which background
    colour is the top half. Frozen contrastive text states bind colours to shapes poorly (the model
    painted the right colours on the wrong shapes). Half of each batch draws high-noise timesteps, where
    colours and layout are decided. EMAs of both are shipped as a matched pair; the cliphead stage then retrains the CLIP pooling head on the new
    text states."""
    hp, hu = HP["bind"], HP["unet"]
    cond = cached_conditioning(ctx)
    seed_all(SEED + 6)
    sf = cond["sf"]
    zi, zs = cond["zi"] * sf, cond["zs"] * sf
    _, _, tok = load_data(ctx)
    ids, empty_ids = torch.from_numpy(tok["ids"]), torch.from_numpy(tok["empty"])[None]
    te, _ = load_clip(ctx, base_only=True, bound=False)
    st = torch.load(ctx.path("unet.pt"))
    unet, ema = new_unet(), new_unet().requires_grad_(False)
    for model, weights in ((unet, st["raw"]), (ema, st["unet"])):
        model.load_state_dict(weights)
    te_ema = copy.deepcopy(te).requires_grad_(False)
    te.train()
    position = [unet.p16, unet.p8, unet.p4]
    rest = [p for n, p in unet.named_parameters() if n not in ("p16", "p8", "p4")]
    opt = torch.optim.AdamW([{"params": rest, "lr": hp["lr"], "base": hp["lr"]},
                             {"params": position, "lr": hp["position_lr"], "base": hp["position_lr"], "weight_decay": 0.0},
                             {"params": te.parameters(), "lr": hp["text_lr"], "base": hp["text_lr"]}],
                            weight_decay=0.01)
    loop = Loop(ctx, "bind", {"unet": unet, "ema": ema, "te": te, "te_ema": te_ema}, opt)
    ac = nets.scaled_linear_alphas_cumprod()
    n, B = len(zi) - 256, hp["batch"]
    hist = []
    for _ in loop.scheduled(opt, hp["lr"], hp["warmup"]):
        idx = torch.from_numpy(np.random.randint(0, n, B))
        x0, sk = zi[idx], zs[idx]
        drop_t = torch.rand(B) < hu["p_drop_text"]
        drop_s = torch.rand(B) < hu["p_drop_sketch"]
        text = ids[idx].clone()
        text[drop_t] = empty_ids
        h = te(text)[0]  # all 40 positions: the UNet attends to the padding states at inference too
        loss, mse = noise_prediction_loss(unet, x0, sk, h, drop_s, ac, hp["high_noise_share"], hp["high_noise_from"])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(list(unet.parameters()) + list(te.parameters()), 1.0)
        opt.step()
        loop.step += 1
        ema_update([(ema, unet), (te_ema, te)], loop.step, hp["ema"])
        hist.append([loss.item(), mse])
        if loop.step % 50 == 0:
            r = np.mean(hist[-50:], 0)
            ctx.log(f"[bind] step {loop.step} loss {r[0]:.4f} mse {r[1]:.4f} lr {opt.param_groups[0]['lr']:.2e} "
                    f"t {loop.elapsed:.0f}s")
        loop.maybe_save()
    loop.save()
    torch.save({"unet": ema.state_dict(), "raw": unet.state_dict(), "te": te_ema.state_dict()}, ctx.path("bind.pt"))
    forget(ctx, "cliphead")  # built on the old text states
    info = {"steps": loop.step, "seconds": round(loop.elapsed),
            "final_mse": float(np.mean(hist[-200:], 0)[1]) if hist else None, "samples_seen": loop.step * B}
    ctx.log("[bind]", info)
    mark_done(ctx, "bind", info)


def load_unet(ctx, raw=False):
    """The UNet: the bind stage's when it has run, else the unet stage's."""
    bound = os.path.exists(ctx.path("bind.pt"))
    st = torch.load(ctx.path("bind.pt" if bound else "unet.pt"))
    u = new_unet()
    u.load_state_dict(st["raw" if raw else "unet"])
    return u.eval()


# ---------------------------------------------------------------- noise-robust decoder
def awgn(z_scaled, snr_db, gen=None):
    """Noise with variance mean(z^2) * 10^(-SNR/10) per real value (per-sample unit-power normalization)."""
    p = z_scaled.pow(2).flatten(1).mean(1)
    var = p * torch.pow(10.0, -snr_db / 10.0)
    noise = torch.randn(z_scaled.shape, generator=gen) if gen is not None else torch.randn_like(z_scaled)
    return z_scaled + noise * var.sqrt()[:, None, None, None]


def stage_robust(ctx):
    hp = HP["robust"]
    cond = cached_conditioning(ctx)
    seed_all(SEED + 4)
    images, _, _ = load_data(ctx)
    _, dec, sf = load_vae(ctx)
    dec.train()
    opt = torch.optim.AdamW(dec.parameters(), lr=hp["lr"], weight_decay=0.0)
    loop = Loop(ctx, "robust", {"dec": dec}, opt)
    zi = cond["zi"]
    n, B = len(zi) - 256, hp["batch"]
    lo, hi = hp["snr_db"]
    hist = []
    for _ in loop.scheduled(opt, hp["lr"], hp["warmup"]):
        idx = np.random.randint(0, n, B)
        x = to_pm1(images[idx])
        snr = torch.rand(B) * (hi - lo) + lo
        zn = awgn(zi[torch.from_numpy(idx)] * sf, snr) / sf
        y = dec(zn)
        loss = (y - x).abs().mean() + (y - x).pow(2).mean()
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        loop.step += 1
        hist.append(loss.item())
        if loop.step % 50 == 0:
            ctx.log(f"[robust] step {loop.step} loss {np.mean(hist[-50:]):.4f} t {loop.elapsed:.0f}s")
        loop.maybe_save()
    loop.save()
    dec.eval()
    torch.save({"dec": dec.state_dict()}, ctx.path("robust.pt"))
    info = {"steps": loop.step, "seconds": round(loop.elapsed), "final_loss": float(np.mean(hist[-50:])) if hist else None}
    ctx.log("[robust]", info)
    mark_done(ctx, "robust", info)


def load_robust(ctx):
    dec = nets.VAEDecoder()
    dec.load_state_dict(torch.load(ctx.path("robust.pt"))["dec"])
    return dec.eval()


# ---------------------------------------------------------------- driver
def parse_kv(s):
    out = {}
    for part in filter(None, (s or "").split(",")):
        k, v = part.split("=")
        out[k.strip()] = float(v)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("stages", nargs="+", help="'all' or any of: " + " ".join(STAGES))
    ap.add_argument("--run", default="meg-tiny", help="checkpoint folder under training/runs/")
    ap.add_argument("--out", default=os.path.join(ROOT, "models", "meg-tiny"), help="shipped model folder")
    ap.add_argument("--minutes", type=parse_kv, default={}, help=f"per-stage minutes, defaults {DEFAULT_MINUTES}")
    ap.add_argument("--steps", type=parse_kv, default={}, help="per-stage step caps, e.g. unet=3000")
    ap.add_argument("--scale", type=float, default=1.0, help="multiplies every stage's minutes")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--force", action="store_true", help="rerun stages already marked done")
    ap.add_argument("--scenes", type=int, default=0, help=f"training scenes (smoke tests); default {HP['n_train']}")
    ap.add_argument("--eval-limit", type=int, default=0, help="held-out items per set to evaluate (smoke tests); default all")
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    stages = STAGES if "all" in args.stages else args.stages
    ctx = Ctx(args)
    ctx.log("command:", " ".join(sys.argv), "| stages", stages)

    def export(c):
        from training import export_onnx
        export_onnx.stage_export(c)

    def evaluate(c):
        from training import evaluate as ev
        ev.stage_eval(c)

    fns = {"data": stage_data, "tokenizer": stage_tokenizer, "vae": stage_vae, "clip": stage_clip,
           "unet": stage_unet, "bind": stage_bind, "robust": stage_robust, "cliphead": stage_cliphead, "export": export,
           "eval": evaluate}
    for s in stages:
        if done(ctx, s) and not args.force:
            ctx.log(f"[{s}] already done, skipped")
            continue
        t = time.time()
        fns[s](ctx)
        ctx.log(f"[{s}] finished in {time.time() - t:.0f}s")


if __name__ == "__main__":
    main()
