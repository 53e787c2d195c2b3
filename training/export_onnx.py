"""Exports meg-tiny to ONNX in Stable Diffusion's folder layout, with configs, and checks every graph.

Every graph: opset 17, dynamic batch axis, weights inside the file. The UNet stores its weights as
float16 initializers followed by Cast-to-float32 nodes (halves the file; all arithmetic stays float32);
the PyTorch model used for evaluation carries the same float16-rounded weights, so both agree.
Checks: onnx.checker (full), shape inference, and a numpy re-execution of each graph
(training/onnx_numpy.py) compared with PyTorch on a small batch.
"""
from __future__ import annotations

import json
import os

import numpy as np
import onnx
import torch
from onnx import helper, numpy_helper, TensorProto

from training import nets, meg_tokenizer
from training import train as T

OPSET = 17


class TextWrap(torch.nn.Module):
    def __init__(self, te):
        super().__init__()
        self.te = te

    def forward(self, input_ids):
        return self.te(input_ids)


class EncWrap(torch.nn.Module):
    def __init__(self, enc):
        super().__init__()
        self.enc = enc

    def forward(self, sample):
        return self.enc(sample)[0]  # the mean: SD's latent_sample with sampling disabled


def round_to_fp16(module):
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(p.half().float())
    return module


def store_fp16(path):
    """Float32 initializers -> float16 initializer + Cast node (same tensor names for the graph)."""
    m = onnx.load(path)
    g = m.graph
    new_inits, casts = [], []
    for init in g.initializer:
        if init.data_type == TensorProto.FLOAT and np.prod(init.dims) >= 64:
            arr = numpy_helper.to_array(init).astype(np.float16)
            h = numpy_helper.from_array(arr, init.name + "_fp16")
            new_inits.append(h)
            casts.append(helper.make_node("Cast", [h.name], [init.name], to=TensorProto.FLOAT, name="cast_" + init.name))
        else:
            new_inits.append(init)
    del g.initializer[:]
    g.initializer.extend(new_inits)
    nodes = list(g.node)
    del g.node[:]
    g.node.extend(casts + nodes)
    onnx.save(m, path)


def export(module, args, path, inputs, outputs, dyn):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    torch.onnx.export(module, args, path, input_names=inputs, output_names=outputs, dynamic_axes=dyn,
                      opset_version=OPSET, do_constant_folding=True)


def io_signature(path):
    m = onnx.load(path)
    init = {i.name for i in m.graph.initializer}

    def desc(v):
        t = v.type.tensor_type
        dims = [d.dim_param or d.dim_value for d in t.shape.dim]
        return {"name": v.name, "dtype": TensorProto.DataType.Name(t.elem_type).lower(), "shape": dims}

    return {"inputs": [desc(v) for v in m.graph.input if v.name not in init],
            "outputs": [desc(v) for v in m.graph.output]}


def annotate_outputs(path, ref):
    """Writes the static output dims (all but the batch axis) that the exporter left symbolic."""
    m = onnx.load(path)
    for out, r in zip(m.graph.output, ref):
        dims = out.type.tensor_type.shape.dim
        for i, d in enumerate(dims):
            if i > 0:
                d.Clear()
                d.dim_value = int(r.shape[i])
    onnx.save(m, path)


def check(path, torch_fn, feeds, ctx, tol=1e-4):
    from training import onnx_numpy
    with torch.no_grad():
        ref = torch_fn(*[torch.from_numpy(v) for v in feeds.values()])
    annotate_outputs(path, ref if isinstance(ref, (tuple, list)) else (ref,))
    m = onnx.load(path)
    onnx.checker.check_model(m, full_check=True)
    onnx.shape_inference.infer_shapes(m, check_type=True, strict_mode=True)
    with torch.no_grad():
        ref = torch_fn(*[torch.from_numpy(v) for v in feeds.values()])
    ref = [r.numpy() for r in (ref if isinstance(ref, (tuple, list)) else (ref,))]
    got = onnx_numpy.run(m, feeds)
    err = max(float(np.abs(a - b).max()) for a, b in zip(ref, got))
    scale = max(float(np.abs(a).max()) for a in ref)
    ctx.log(f"[export] {os.path.relpath(path, ctx.out)}: checker ok, numpy-vs-torch max abs diff {err:.2e} "
            f"(output max {scale:.2f})")
    assert err <= tol * max(1.0, scale), f"{path}: ONNX numpy run differs from PyTorch by {err}"
    return err


def write_json(path, obj):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        json.dump(obj, f, indent=2)


def stage_export(ctx):
    out = ctx.out
    enc, dec, sf = T.load_vae(ctx)
    rdec = T.load_robust(ctx)
    te, ie = T.load_clip(ctx)
    unet = round_to_fp16(T.load_unet(ctx))
    L = meg_tokenizer.MAX_LENGTH
    vocab = T.tokenizer_size(ctx)
    rng = np.random.default_rng(0)
    B = 2
    ids = np.array([meg_tokenizer.Tokenizer(os.path.join(out, "tokenizer")).encode(c) for c in
                    ["a big red star at the top left on a blue background", ""]], np.int64)
    img = rng.uniform(-1, 1, (B, 3, 64, 64)).astype(np.float32)
    lat = rng.normal(0, 1 / sf, (B, 4, 16, 16)).astype(np.float32)
    diffs = {}

    p = os.path.join(out, "text_encoder", "model.onnx")
    export(TextWrap(te), (torch.from_numpy(ids),), p, ["input_ids"], ["last_hidden_state", "text_embeds"],
           {"input_ids": {0: "batch"}, "last_hidden_state": {0: "batch"}, "text_embeds": {0: "batch"}})
    diffs["text_encoder"] = check(p, te, {"input_ids": ids}, ctx)

    p = os.path.join(out, "vae_encoder", "model.onnx")
    w = EncWrap(enc)
    export(w, (torch.from_numpy(img),), p, ["sample"], ["latent_sample"], {"sample": {0: "batch"}, "latent_sample": {0: "batch"}})
    diffs["vae_encoder"] = check(p, w, {"sample": img}, ctx)

    for name, d in [("vae_decoder", dec), ("vae_decoder_robust", rdec)]:
        p = os.path.join(out, name, "model.onnx")
        export(d, (torch.from_numpy(lat),), p, ["latent_sample"], ["sample"], {"latent_sample": {0: "batch"}, "sample": {0: "batch"}})
        diffs[name] = check(p, d, {"latent_sample": lat}, ctx)

    p = os.path.join(out, "image_encoder", "model.onnx")
    export(ie, (torch.from_numpy(img),), p, ["pixel_values"], ["image_embeds", "features"],
           {"pixel_values": {0: "batch"}, "image_embeds": {0: "batch"}, "features": {0: "batch"}})
    diffs["image_encoder"] = check(p, ie, {"pixel_values": img}, ctx)

    p = os.path.join(out, "unet", "model.onnx")
    sample = rng.normal(0, 1, (B, 8, 16, 16)).astype(np.float32)
    ts = np.array([951, 1], np.int64)
    with torch.no_grad():
        hs = te(torch.from_numpy(ids))[0].numpy()
    export(unet, (torch.from_numpy(sample), torch.from_numpy(ts), torch.from_numpy(hs)), p,
           ["sample", "timestep", "encoder_hidden_states"], ["out_sample"],
           {"sample": {0: "batch"}, "timestep": {0: "batch"}, "encoder_hidden_states": {0: "batch"}, "out_sample": {0: "batch"}})
    store_fp16(p)
    diffs["unet"] = check(p, unet, {"sample": sample, "timestep": ts, "encoder_hidden_states": hs}, ctx)

    # ---- configs
    h = T.HP["text"]
    write_json(os.path.join(out, "text_encoder", "config.json"), {
        "architectures": ["CLIPTextModelWithProjection-like (meg-tiny)"], "vocab_size": vocab,
        "max_position_embeddings": L, "hidden_size": h["d"], "num_hidden_layers": h["layers"],
        "num_attention_heads": h["heads"], "intermediate_size": 2 * h["d"], "projection_dim": h["embed"],
        "hidden_act": "gelu", "causal_attention": True,
        "pooling": ("text_embeds: %d bidirectional transformer layers over last_hidden_state, then the first "
                    "position of the largest id (<|endoftext|>), then a linear projection" % len(te.head))
        if hasattr(te, "head") else "first position of the largest id (<|endoftext|>), then a linear projection",
        "eos_token_id": vocab - 1, "bos_token_id": vocab - 2, "pad_token_id": vocab - 1,
        "params": nets.count(te), **io_signature(os.path.join(out, "text_encoder", "model.onnx"))})
    for name in ["vae_encoder", "vae_decoder", "vae_decoder_robust"]:
        cfg = {"_class_name": "AutoencoderKL-like (meg-tiny)", "in_channels": 3, "out_channels": 3,
               "latent_channels": 4, "sample_size": 64, "latent_size": 16, "downsample_factor": 4,
               "scaling_factor": sf, "input_range": [-1, 1],
               "params": nets.count(enc if name == "vae_encoder" else dec),
               **io_signature(os.path.join(out, name, "model.onnx"))}
        if name == "vae_encoder":
            cfg["note"] = "latent_sample is the posterior mean, unscaled (multiply by scaling_factor for the UNet)"
        else:
            cfg["note"] = "expects unscaled latents (divide UNet-space latents by scaling_factor)"
        if name == "vae_decoder_robust":
            cfg["robust_training"] = ("fine-tuned from vae_decoder on scaled latents + AWGN, SNR uniform in "
                                      "[-10, 20] dB, noise variance per real value = mean(z^2) * 10^(-SNR/10) "
                                      "per latent (unit-power normalization)")
        write_json(os.path.join(out, name, "config.json"), cfg)
    write_json(os.path.join(out, "image_encoder", "config.json"), {
        "_class_name": "CLIPVisionModelWithProjection-like (meg-tiny CNN)", "image_size": 64, "input_range": [-1, 1],
        "projection_dim": h["embed"], "features_dim": 256, "params": nets.count(ie),
        "note": "image_embeds: L2-normalize and dot with text_embeds (also L2-normalized) for the CLIP-style "
                "score; features: the vector for the Frechet distance (not Inception: name it MEG-FD)",
        **io_signature(os.path.join(out, "image_encoder", "model.onnx"))})
    c0, c1, c2 = T.HP["unet_channels"]
    write_json(os.path.join(out, "unet", "config.json"), {
        "_class_name": "UNet2DConditionModel-like (meg-tiny, InstructPix2Pix layout)", "in_channels": 8,
        "out_channels": 4, "sample_size": 16, "block_out_channels": [c0, c1, c2],
        "down_block_types": ["DownBlock2D", "CrossAttnDownBlock2D", "CrossAttnDownBlock2D"],
        "cross_attention_dim": h["d"], "attention_head_dim": [c1 // 4, c2 // 4], "num_heads": 4,
        "prediction_type": "epsilon", "input_layout": "channels 0-3: noisy latent (scaled); channels 4-7: "
        "VAE-encoded sketch latent times scaling_factor, or zeros for text-to-image",
        "weights_storage": "float16 initializers cast to float32 in the graph (compute is float32)",
        "params": nets.count(unet), **io_signature(p)})
    write_json(os.path.join(out, "scheduler", "scheduler_config.json"), {
        "_class_name": "DDIMScheduler", "beta_start": 0.00085, "beta_end": 0.012, "beta_schedule": "scaled_linear",
        "num_train_timesteps": 1000, "prediction_type": "epsilon", "set_alpha_to_one": False, "steps_offset": 1,
        "clip_sample": False, "timestep_spacing": "leading", "trained_betas": None})
    write_json(os.path.join(out, "model_index.json"), {
        "_class_name": "StableDiffusionInstructPix2PixPipeline-like (meg-tiny)", "name": "meg-tiny",
        "image_size": 64, "latent_shape": [4, 16, 16], "scaling_factor": sf,
        "text_encoder": "text_encoder/model.onnx", "tokenizer": "tokenizer", "unet": "unet/model.onnx",
        "vae_encoder": "vae_encoder/model.onnx", "vae_decoder": "vae_decoder/model.onnx",
        "vae_decoder_robust": "vae_decoder_robust/model.onnx", "image_encoder": "image_encoder/model.onnx",
        "scheduler": "scheduler/scheduler_config.json", "eval_set": "eval/items.json",
        "guidance": "eps = eps(empty caption, sketch) + g * (eps(caption, sketch) - eps(empty caption, sketch)); "
                    "sketch latent in both passes; zeros in channels 4-7 for text-to-image",
        "recommended": {"steps": 20, "guidance_scale": T.HP.get("guidance", 4.0)}})
    sizes = {}
    for root, _, files in os.walk(out):
        for f in files:
            sizes[os.path.relpath(os.path.join(root, f), out)] = os.path.getsize(os.path.join(root, f))
    total = sum(sizes.values())
    info = {"max_abs_diff_numpy_vs_torch": diffs, "total_bytes": total,
            "onnx_bytes": {k: v for k, v in sizes.items() if k.endswith(".onnx")}}
    ctx.log("[export]", info)
    assert total < 25 * 2 ** 20, f"shipped model is {total} bytes, over 25 MiB"
    T.mark_done(ctx, "export", info)
