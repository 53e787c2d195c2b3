"""The networks of meg-tiny, in Stable Diffusion's layout but sized for 64x64 scenes on a CPU.

Every module exports to ONNX (opset 17) with a dynamic batch axis: no data-dependent control flow,
attention written with plain matmuls, GroupNorm everywhere (no BatchNorm).
"""
from __future__ import annotations

import math

import torch
import torch.nn as nn
import torch.nn.functional as F


def gn(c):
    return nn.GroupNorm(16 if c % 16 == 0 else 8, c, eps=1e-6)


class ResBlock(nn.Module):
    """GroupNorm-SiLU-conv residual block; optional timestep embedding added between the convs."""

    def __init__(self, cin, cout, temb=0):
        super().__init__()
        self.n1, self.c1 = gn(cin), nn.Conv2d(cin, cout, 3, padding=1)
        self.n2, self.c2 = gn(cout), nn.Conv2d(cout, cout, 3, padding=1)
        self.t = nn.Linear(temb, cout) if temb else None
        self.skip = nn.Conv2d(cin, cout, 1) if cin != cout else nn.Identity()

    def forward(self, x, temb=None):
        h = self.c1(F.silu(self.n1(x)))
        if self.t is not None:
            h = h + self.t(F.silu(temb))[:, :, None, None]
        h = self.c2(F.silu(self.n2(h)))
        return self.skip(x) + h


# ---------------------------------------------------------------- VAE (f = 4)
class VAEEncoder(nn.Module):
    """[B,3,64,64] in [-1,1] -> (mean, logvar) each [B,4,16,16]."""

    def __init__(self, c1=64, c2=128, zc=4):
        super().__init__()
        self.unshuffle = nn.PixelUnshuffle(2)  # 3x64x64 -> 12x32x32, lossless
        self.cin = nn.Conv2d(12, c1, 3, padding=1)
        self.r1 = ResBlock(c1, c1)
        self.down = nn.Conv2d(c1, c2, 3, stride=2, padding=1)
        self.r2 = ResBlock(c2, c2)
        self.nout = gn(c2)
        self.cout = nn.Conv2d(c2, 2 * zc, 3, padding=1)

    def forward(self, x):
        h = self.r1(self.cin(self.unshuffle(x)))
        h = self.r2(self.down(h))
        mean, logvar = self.cout(F.silu(self.nout(h))).chunk(2, dim=1)
        return mean, logvar.clamp(-30.0, 20.0)


class VAEDecoder(nn.Module):
    """Unscaled latent [B,4,16,16] -> image [B,3,64,64] in about [-1,1]."""

    def __init__(self, c1=64, c2=128, zc=4):
        super().__init__()
        self.cin = nn.Conv2d(zc, c2, 3, padding=1)
        self.r1 = ResBlock(c2, c2)
        self.r2 = ResBlock(c2, c2)
        self.up = nn.Conv2d(c2, c1, 3, padding=1)
        self.r3 = ResBlock(c1, c1)
        self.r4 = ResBlock(c1, c1)
        self.nout = gn(c1)
        self.cout = nn.Conv2d(c1, 12, 3, padding=1)
        self.shuffle = nn.PixelShuffle(2)  # 12x32x32 -> 3x64x64: sharp edges at full resolution

    def forward(self, z):
        h = self.r2(self.r1(self.cin(z)))
        h = self.up(F.interpolate(h, scale_factor=2.0, mode="nearest"))
        h = self.r4(self.r3(h))
        return self.shuffle(self.cout(F.silu(self.nout(h))))


# ---------------------------------------------------------------- attention
class Attention(nn.Module):
    def __init__(self, dim, ctx_dim=None, heads=4):
        super().__init__()
        ctx_dim = ctx_dim or dim
        self.h = heads
        self.q = nn.Linear(dim, dim, bias=False)
        self.k = nn.Linear(ctx_dim, dim, bias=False)
        self.v = nn.Linear(ctx_dim, dim, bias=False)
        self.o = nn.Linear(dim, dim)

    def forward(self, x, ctx=None, mask=None):
        ctx = x if ctx is None else ctx
        b, n, d = x.shape
        h, dh = self.h, d // self.h
        q = self.q(x).reshape(b, n, h, dh).transpose(1, 2)
        k = self.k(ctx).reshape(b, -1, h, dh).transpose(1, 2)
        v = self.v(ctx).reshape(b, -1, h, dh).transpose(1, 2)
        w = torch.matmul(q, k.transpose(-1, -2)) * (1.0 / math.sqrt(dh))
        if mask is not None:
            w = w + mask
        a = torch.matmul(w.softmax(dim=-1), v)
        return self.o(a.transpose(1, 2).reshape(b, n, d))


class GEGLU(nn.Module):
    def __init__(self, dim, mult=2):
        super().__init__()
        self.proj = nn.Linear(dim, dim * mult * 2)
        self.out = nn.Linear(dim * mult, dim)

    def forward(self, x):
        a, g = self.proj(x).chunk(2, dim=-1)
        return self.out(a * F.gelu(g))


class SpatialTransformer(nn.Module):
    """SD's transformer block on a feature map: self-attention, cross-attention on text, GEGLU MLP."""

    def __init__(self, c, ctx_dim, heads=4):
        super().__init__()
        self.norm = gn(c)
        self.pin = nn.Conv2d(c, c, 1)
        self.l1, self.a1 = nn.LayerNorm(c), Attention(c, heads=heads)
        self.l2, self.a2 = nn.LayerNorm(c), Attention(c, ctx_dim, heads=heads)
        self.l3, self.ff = nn.LayerNorm(c), GEGLU(c)
        self.pout = nn.Conv2d(c, c, 1)

    def forward(self, x, ctx):
        b, c, hh, ww = x.shape
        h = self.pin(self.norm(x)).flatten(2).transpose(1, 2)
        h = h + self.a1(self.l1(h))
        h = h + self.a2(self.l2(h), ctx)
        h = h + self.ff(self.l3(h))
        return x + self.pout(h.transpose(1, 2).reshape(b, c, hh, ww))


class TransformerLayer(nn.Module):
    def __init__(self, d, heads=4, mult=2):
        super().__init__()
        self.l1, self.att = nn.LayerNorm(d), Attention(d, heads=heads)
        self.l2 = nn.LayerNorm(d)
        self.mlp = nn.Sequential(nn.Linear(d, d * mult), nn.GELU(), nn.Linear(d * mult, d))

    def forward(self, x, mask=None):
        x = x + self.att(self.l1(x), mask=mask)
        return x + self.mlp(self.l2(x))


# ---------------------------------------------------------------- CLIP-style encoders
class TextEncoder(nn.Module):
    """input_ids [B,L] int64 -> last_hidden_state [B,L,D], text_embeds [B,E] (pooled at the first EOT,
    which has the largest id, as CLIP does with argmax)."""

    def __init__(self, vocab, max_len, d=128, layers=4, heads=4, embed=128):
        super().__init__()
        self.tok = nn.Embedding(vocab, d)
        self.pos = nn.Parameter(torch.randn(1, max_len, d) * 0.01)
        self.layers = nn.ModuleList([TransformerLayer(d, heads) for _ in range(layers)])
        self.lnf = nn.LayerNorm(d)
        self.proj = nn.Linear(d, embed, bias=False)
        mask = torch.full((max_len, max_len), -1e9).triu(1)  # causal, as CLIP's text tower
        self.register_buffer("mask", mask, persistent=False)

    def forward(self, input_ids):
        x = self.tok(input_ids) + self.pos[:, : input_ids.shape[1]]
        n = input_ids.shape[1]
        m = self.mask[:n, :n]
        for layer in self.layers:
            x = layer(x, m)
        x = self.lnf(x)
        # int32 ArgMax and GatherElements: ops every ONNX runtime implements
        idx = input_ids.to(torch.int32).argmax(dim=-1).to(torch.int64)
        pooled = torch.gather(x, 1, idx[:, None, None].expand(-1, 1, x.shape[2]))[:, 0]
        return x, self.proj(pooled)


class TextEncoderWithHead(nn.Module):
    """The text encoder plus a pooling head: last_hidden_state is the base encoder's (what the UNet was
    trained on); text_embeds come from `layers` bidirectional transformer layers over those states,
    pooled at the first EOT. Lets the CLIP-style score keep training after the UNet without changing
    the UNet's conditioning."""

    def __init__(self, base: TextEncoder, layers=2, heads=4, embed=128):
        super().__init__()
        d = base.lnf.normalized_shape[0]
        self.base = base
        self.head = nn.ModuleList([TransformerLayer(d, heads) for _ in range(layers)])
        self.lnh = nn.LayerNorm(d)
        self.projh = nn.Linear(d, embed, bias=False)

    def forward(self, input_ids):
        x, _ = self.base(input_ids)
        y = x
        for layer in self.head:
            y = layer(y)
        y = self.lnh(y)
        idx = input_ids.to(torch.int32).argmax(dim=-1).to(torch.int64)
        pooled = torch.gather(y, 1, idx[:, None, None].expand(-1, 1, y.shape[2]))[:, 0]
        return x, self.projh(pooled)


class ImageEncoder(nn.Module):
    """pixel_values [B,3,64,64] in [-1,1] -> image_embeds [B,E] (unnormalized) and features [B,F]
    (the vector used for the Frechet distance)."""

    def __init__(self, embed=128, feat=256):
        super().__init__()
        self.stem = nn.Conv2d(3, 32, 3, stride=2, padding=1)           # 32x32
        self.b1 = ResBlock(32, 32)
        self.d1 = nn.Conv2d(32, 64, 3, stride=2, padding=1)            # 16x16
        self.b2 = ResBlock(64, 64)
        self.d2 = nn.Conv2d(64, 96, 3, stride=2, padding=1)            # 8x8
        self.b3 = ResBlock(96, 96)
        self.d3 = nn.Conv2d(96, 96, 3, stride=2, padding=1)            # 4x4
        self.b4 = ResBlock(96, 96)
        self.squeeze = nn.Conv2d(96, 48, 1)
        self.fc = nn.Linear(48 * 16, feat)                             # keeps where things are
        self.ln = nn.LayerNorm(feat)
        self.proj = nn.Linear(feat, embed, bias=False)

    def forward(self, x):
        h = self.b1(self.stem(x))
        h = self.b2(self.d1(h))
        h = self.b3(self.d2(h))
        h = self.b4(self.d3(h))
        h = F.silu(self.squeeze(F.silu(h))).flatten(1)
        f = self.ln(self.fc(h))
        return self.proj(F.gelu(f)), f


# ---------------------------------------------------------------- UNet
def timestep_embedding(t, dim):
    half = dim // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, dtype=torch.float32) / half)
    a = t.float()[:, None] * freqs[None]
    return torch.cat([torch.cos(a), torch.sin(a)], dim=-1)  # flip_sin_to_cos=True, as SD


class UNet(nn.Module):
    """sample [B,8,16,16] (noisy latent ++ scaled sketch latent, InstructPix2Pix layout), timestep [B]
    int64, encoder_hidden_states [B,L,ctx] -> out_sample [B,4,16,16] (epsilon).

    Channels ch0/ch1/ch2 at 16x16/8x8/4x4; SpatialTransformers (self + cross attention) at 8x8 and 4x4
    (after the first ResBlock of each down, mid and up level).
    Two additions inside the same signature: a small sketch adapter that feeds the sketch latent (input
    channels 4..7) into each resolution, and one transformer layer over the text states.
    positional=True adds learned position maps at 16x16, 8x8 and 4x4 (zero at first, so a trained UNet
    without them keeps its function): attention has no notion of where a pixel is, and zero padding tells
    it only weakly, so "top" and "bottom" half of a two-tone background came out at chance."""

    def __init__(self, ctx_dim=128, ch=(64, 96, 96), temb=256, heads=4, positional=False):
        super().__init__()
        c0, c1, c2 = ch
        self.positional = positional
        if positional:
            self.p16 = nn.Parameter(torch.zeros(1, c0, 16, 16))
            self.p8 = nn.Parameter(torch.zeros(1, c0, 8, 8))
            self.p4 = nn.Parameter(torch.zeros(1, c1, 4, 4))
        self.temb_dim = c0
        self.time = nn.Sequential(nn.Linear(c0, temb), nn.SiLU(), nn.Linear(temb, temb))
        self.text = TransformerLayer(ctx_dim, heads)
        self.cin = nn.Conv2d(8, c0, 3, padding=1)
        # sketch adapter
        self.s16 = nn.Sequential(nn.Conv2d(4, c0, 3, padding=1), nn.SiLU(), nn.Conv2d(c0, c0, 3, padding=1))
        self.s8 = nn.Sequential(nn.SiLU(), nn.Conv2d(c0, c0, 3, stride=2, padding=1))
        self.s4 = nn.Sequential(nn.SiLU(), nn.Conv2d(c0, c1, 3, stride=2, padding=1))
        # down
        self.d0 = ResBlock(c0, c0, temb)
        self.down0 = nn.Conv2d(c0, c0, 3, stride=2, padding=1)
        self.d1, self.t1 = ResBlock(c0, c1, temb), SpatialTransformer(c1, ctx_dim, heads)
        self.down1 = nn.Conv2d(c1, c1, 3, stride=2, padding=1)
        self.d2, self.t2 = ResBlock(c1, c2, temb), SpatialTransformer(c2, ctx_dim, heads)
        # mid
        self.m1, self.mt, self.m2 = ResBlock(c2, c2, temb), SpatialTransformer(c2, ctx_dim, heads), ResBlock(c2, c2, temb)
        # up (skips popped: [d2, down1] at 4x4, [d1, down0] at 8x8, [d0, cin] at 16x16)
        self.u2a, self.ut2a = ResBlock(c2 + c2, c2, temb), SpatialTransformer(c2, ctx_dim, heads)
        self.u2b = ResBlock(c2 + c1, c2, temb)
        self.up2 = nn.Conv2d(c2, c2, 3, padding=1)
        self.u1a, self.ut1a = ResBlock(c2 + c1, c1, temb), SpatialTransformer(c1, ctx_dim, heads)
        self.u1b = ResBlock(c1 + c0, c1, temb)
        self.up1 = nn.Conv2d(c1, c1, 3, padding=1)
        self.u0a = ResBlock(c1 + c0, c0, temb)
        self.u0b = ResBlock(c0 + c0, c0, temb)
        self.nout = gn(c0)
        self.cout = nn.Conv2d(c0, 4, 3, padding=1)

    def forward(self, sample, timestep, encoder_hidden_states):
        te = self.time(timestep_embedding(timestep, self.temb_dim))
        ctx = self.text(encoder_hidden_states)
        a16 = self.s16(sample[:, 4:8])
        a8 = self.s8(a16)
        a4 = self.s4(a8)
        if self.positional:
            a16, a8, a4 = a16 + self.p16, a8 + self.p8, a4 + self.p4
        h = self.cin(sample) + a16
        skips = [h]
        h = self.d0(h, te); skips.append(h)
        h = self.down0(h) + a8; skips.append(h)
        h = self.t1(self.d1(h, te), ctx); skips.append(h)
        h = self.down1(h) + a4; skips.append(h)
        h = self.t2(self.d2(h, te), ctx); skips.append(h)
        h = self.m2(self.mt(self.m1(h, te), ctx), te)
        h = self.ut2a(self.u2a(torch.cat([h, skips.pop()], 1), te), ctx)
        h = self.u2b(torch.cat([h, skips.pop()], 1), te)
        h = self.up2(F.interpolate(h, scale_factor=2.0, mode="nearest"))
        h = self.ut1a(self.u1a(torch.cat([h, skips.pop()], 1), te), ctx)
        h = self.u1b(torch.cat([h, skips.pop()], 1), te)
        h = self.up1(F.interpolate(h, scale_factor=2.0, mode="nearest"))
        h = self.u0a(torch.cat([h, skips.pop()], 1), te)
        h = self.u0b(torch.cat([h, skips.pop()], 1), te)
        return self.cout(F.silu(self.nout(h)))


def count(m):
    return sum(p.numel() for p in m.parameters())


# ---------------------------------------------------------------- diffusion schedule
def scaled_linear_alphas_cumprod(beta_start=0.00085, beta_end=0.012, steps=1000):
    betas = torch.linspace(beta_start ** 0.5, beta_end ** 0.5, steps, dtype=torch.float64) ** 2
    return torch.cumprod(1.0 - betas, dim=0).float()


def ddim_timesteps(num_steps, train_steps=1000, offset=1):
    """diffusers DDIMScheduler with steps_offset=1 ("leading" spacing)."""
    ratio = train_steps // num_steps
    return [int(i * ratio + offset) for i in reversed(range(num_steps))]
