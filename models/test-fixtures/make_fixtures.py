#!/usr/bin/python3
"""Builds tiny Stable-Diffusion-layout ONNX folders that test the C# engine's handling of export variants.

Each folder is a complete, runnable (but untrained) model: 32x32 images, f=4 VAE, 4-channel latents,
a 4- or 8-channel UNet, with the dtype variants real exports use: float32 or float16 tensors, int64 or
float timesteps (or int32), int32 or int64 input_ids. Weights are seeded, so reruns give identical files.

Rerun (from the repository root):  /usr/bin/python3 models/test-fixtures/make_fixtures.py
"""
import json
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

HERE = os.path.dirname(os.path.abspath(__file__))
IMAGE, FACTOR, LATENT, LENGTH, WIDTH = 32, 4, 4, 8, 8
WORDS = ["a", "red", "blue", "green", "circle", "square", "star", "on", "background", "big", "small", "the", "at", "top", "left"]


def byte_chars():
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    chars, extra = [], 0
    for b in range(256):
        if b in printable:
            chars.append(chr(b))
        else:
            chars.append(chr(256 + extra))
            extra += 1
    return chars


def write_tokenizer(folder):
    os.makedirs(folder, exist_ok=True)
    vocab, merges = {}, []
    for c in byte_chars():
        vocab.setdefault(c, len(vocab))
    for c in byte_chars():
        vocab.setdefault(c + "</w>", len(vocab))
    for word in WORDS:
        symbols = list(word[:-1]) + [word[-1] + "</w>"]
        while len(symbols) > 1:
            merged = symbols[0] + symbols[1]
            pair = f"{symbols[0]} {symbols[1]}"
            if pair not in merges:
                merges.append(pair)
            vocab.setdefault(merged, len(vocab))
            symbols = [merged] + symbols[2:]
    vocab["<|startoftext|>"] = len(vocab)
    vocab["<|endoftext|>"] = len(vocab)
    with open(os.path.join(folder, "vocab.json"), "w") as f:
        json.dump(vocab, f)
    with open(os.path.join(folder, "merges.txt"), "w") as f:
        f.write("#version: 0.2\n" + "\n".join(merges) + "\n")
    with open(os.path.join(folder, "tokenizer_config.json"), "w") as f:
        json.dump({"model_max_length": LENGTH}, f)
    with open(os.path.join(folder, "special_tokens_map.json"), "w") as f:
        json.dump({"bos_token": "<|startoftext|>", "eos_token": "<|endoftext|>", "pad_token": "<|endoftext|>"}, f)
    return len(vocab)


def save(graph, path):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)], producer_name="meg-fixtures")
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, path)


def const(name, array, dtype):
    return numpy_helper.from_array(array.astype(dtype), name)


def build(name, float_type, timestep_type, ids_type, unet_channels):
    rng = np.random.default_rng(1234)
    root = os.path.join(HERE, name)
    npf = np.float16 if float_type == TensorProto.FLOAT16 else np.float32
    vocab_size = write_tokenizer(os.path.join(root, "tokenizer"))
    h = IMAGE // FACTOR

    # Text encoder: embedding lookup plus a tanh mix; pooled output = mean over tokens.
    table = rng.normal(0, 0.5, (vocab_size, WIDTH))
    mix = rng.normal(0, 0.5, (WIDTH, WIDTH))
    nodes = [
        helper.make_node("Gather", ["table", "input_ids"], ["embedded"]),
        helper.make_node("MatMul", ["embedded", "mix"], ["mixed"]),
        helper.make_node("Tanh", ["mixed"], ["last_hidden_state"]),
        helper.make_node("ReduceMean", ["last_hidden_state"], ["text_embeds"], axes=[1], keepdims=0),
    ]
    save(helper.make_graph(nodes, "text_encoder",
                           [helper.make_tensor_value_info("input_ids", ids_type, ["batch", LENGTH])],
                           [helper.make_tensor_value_info("last_hidden_state", float_type, ["batch", LENGTH, WIDTH]),
                            helper.make_tensor_value_info("text_embeds", float_type, ["batch", WIDTH])],
                           [const("table", table, npf), const("mix", mix, npf)]),
         os.path.join(root, "text_encoder", "model.onnx"))

    # UNet: 1x1 conv of the sample + the context's mean (projected) + the timestep, so every input matters.
    w = rng.normal(0, 0.3, (LATENT, unet_channels, 1, 1))
    proj = rng.normal(0, 0.3, (WIDTH, LATENT))
    nodes = [
        helper.make_node("Conv", ["sample", "w"], ["conv"]),
        helper.make_node("ReduceMean", ["encoder_hidden_states"], ["ctx"], axes=[1], keepdims=0),
        helper.make_node("MatMul", ["ctx", "proj"], ["ctx_proj"]),
        helper.make_node("Unsqueeze", ["ctx_proj", "axes23"], ["ctx_map"]),
        helper.make_node("Cast", ["timestep"], ["t_float"], to=float_type),
        helper.make_node("Mul", ["t_float", "t_scale"], ["t_scaled"]),
        helper.make_node("Reshape", ["t_scaled", "t_shape"], ["t_map"]),
        helper.make_node("Add", ["conv", "ctx_map"], ["with_ctx"]),
        helper.make_node("Add", ["with_ctx", "t_map"], ["out_sample"]),
    ]
    save(helper.make_graph(nodes, "unet",
                           [helper.make_tensor_value_info("sample", float_type, ["batch", unet_channels, h, h]),
                            helper.make_tensor_value_info("timestep", timestep_type, ["batch"]),
                            helper.make_tensor_value_info("encoder_hidden_states", float_type, ["batch", LENGTH, WIDTH])],
                           [helper.make_tensor_value_info("out_sample", float_type, ["batch", LATENT, h, h])],
                           [const("w", w, npf), const("proj", proj, npf), const("t_scale", np.array(1e-4), npf),
                            numpy_helper.from_array(np.array([2, 3], np.int64), "axes23"),
                            numpy_helper.from_array(np.array([-1, 1, 1, 1], np.int64), "t_shape")]),
         os.path.join(root, "unet", "model.onnx"))

    # VAE encoder: average pool by the factor, then a 1x1 conv to the latent channels.
    enc = rng.normal(0, 1.0, (LATENT, 3, 1, 1))
    nodes = [
        helper.make_node("AveragePool", ["sample"], ["pooled"], kernel_shape=[FACTOR, FACTOR], strides=[FACTOR, FACTOR]),
        helper.make_node("Conv", ["pooled", "enc"], ["latent_sample"]),
    ]
    save(helper.make_graph(nodes, "vae_encoder",
                           [helper.make_tensor_value_info("sample", float_type, ["batch", 3, IMAGE, IMAGE])],
                           [helper.make_tensor_value_info("latent_sample", float_type, ["batch", LATENT, h, h])],
                           [const("enc", enc, npf)]),
         os.path.join(root, "vae_encoder", "model.onnx"))

    # VAE decoder: 1x1 conv back to RGB, nearest upsampling, tanh into [-1, 1].
    dec = rng.normal(0, 0.5, (3, LATENT, 1, 1))
    nodes = [
        helper.make_node("Conv", ["latent_sample", "dec"], ["rgb"]),
        helper.make_node("Resize", ["rgb", "", "scales"], ["big"], mode="nearest"),
        helper.make_node("Tanh", ["big"], ["sample"]),
    ]
    save(helper.make_graph(nodes, "vae_decoder",
                           [helper.make_tensor_value_info("latent_sample", float_type, ["batch", LATENT, h, h])],
                           [helper.make_tensor_value_info("sample", float_type, ["batch", 3, IMAGE, IMAGE])],
                           [const("dec", dec, npf), numpy_helper.from_array(np.array([1, 1, FACTOR, FACTOR], np.float32), "scales")]),
         os.path.join(root, "vae_decoder", "model.onnx"))

    os.makedirs(os.path.join(root, "scheduler"), exist_ok=True)
    with open(os.path.join(root, "scheduler", "scheduler_config.json"), "w") as f:
        json.dump({"_class_name": "DDIMScheduler", "beta_start": 0.00085, "beta_end": 0.012, "beta_schedule": "scaled_linear",
                   "num_train_timesteps": 1000, "prediction_type": "epsilon", "set_alpha_to_one": False, "steps_offset": 1,
                   "clip_sample": False, "timestep_spacing": "leading"}, f, indent=2)
    with open(os.path.join(root, "vae_decoder", "config.json"), "w") as f:
        json.dump({"scaling_factor": 0.5, "latent_channels": LATENT, "vae_factor": FACTOR, "sample_size": IMAGE}, f, indent=2)
    with open(os.path.join(root, "model_index.json"), "w") as f:
        json.dump({"_class_name": "OnnxStableDiffusionPipeline", "image_size": IMAGE, "vae_factor": FACTOR, "scaling_factor": 0.5,
                   "note": "untrained test fixture"}, f, indent=2)


def write_eval_set(name, count=3):
    """A tiny held-out set in the shipped model's format (items.json + NNN_{image,sketch,mask}.png)."""
    from PIL import Image
    folder = os.path.join(HERE, name, "eval")
    os.makedirs(folder, exist_ok=True)
    palette = {"red": [220, 40, 40], "blue": [40, 70, 220], "yellow": [240, 220, 40], "white": [250, 250, 250]}
    items = []
    for i in range(count):
        image = np.zeros((IMAGE, IMAGE, 3), np.uint8)
        image[:] = palette["yellow"]
        mask = np.zeros((IMAGE, IMAGE), np.uint8)
        lo, hi = 6 + 2 * i, 20 + 2 * i
        mask[lo:hi, lo:hi] = 1
        colour = ["red", "blue"][i % 2]
        image[mask == 1] = palette[colour]
        sketch = np.full((IMAGE, IMAGE), 255, np.uint8)
        sketch[lo, lo:hi] = sketch[hi - 1, lo:hi] = sketch[lo:hi, lo] = sketch[lo:hi, hi - 1] = 0
        Image.fromarray(image).save(os.path.join(folder, f"{i:03d}_image.png"))
        Image.fromarray(sketch).save(os.path.join(folder, f"{i:03d}_sketch.png"))
        Image.fromarray(mask).save(os.path.join(folder, f"{i:03d}_mask.png"))
        items.append({"id": i, "seed": i, "caption": f"a big {colour} square on a yellow background",
                      "background": ["yellow"],
                      "shapes": [{"index": 0, "mask_value": 1, "kind": "square", "colour": colour}],
                      "negative_captions": [f"a big {c} square on a yellow background" for c in ["white", "blue", "red"] * 3][:7]})
    with open(os.path.join(folder, "items.json"), "w") as f:
        json.dump({"description": "test fixture", "palette": palette, "items": items}, f, indent=1)


if __name__ == "__main__":
    build("fp32-int64", TensorProto.FLOAT, TensorProto.INT64, TensorProto.INT64, 4)
    build("fp32-sketch-conditioned", TensorProto.FLOAT, TensorProto.INT64, TensorProto.INT64, 8)
    write_eval_set("fp32-sketch-conditioned")
    build("fp16-float-timestep-int32-ids", TensorProto.FLOAT16, TensorProto.FLOAT, TensorProto.INT32, 4)
    build("fp32-int32-timestep", TensorProto.FLOAT, TensorProto.INT32, TensorProto.INT64, 4)
    print("fixtures written under", HERE)
