"""Reads a shipped model's ONNX files back into a run's stage checkpoints, so that later stages can be rerun
without the run that made the model (its checkpoints are git-ignored and do not outlive the machine).

    /usr/bin/python3 -m training.import_model models/meg-tiny --run v3 [--out training/runs/v3/model]

Writes `vae.pt`, `bind.pt` (the UNet, as both its weights and its EMA, and the bound base text encoder) and
`robust.pt`, and marks the vae, unet, bind and robust stages done with the shipped model's own stage records
(from its eval_metrics.json, with "imported_from"). Run the data and tokenizer stages into the same run first
(they are deterministic: same seeds, same scenes) and the clip stage, whose encoders are not in the shipped files
(the cliphead stage trained on from them); then `training/train.sh cliphead export eval --run v3` retrains the CLIP
pair's head on the UNet's text states, which are in the shipped files and stay frozen.

Not recoverable: the UNet's raw (non-EMA) weights and the optimizer states. The shipped UNet's weights are
float16-rounded; the evaluated PyTorch UNet carries the same rounding, so nothing is lost there.
"""
from __future__ import annotations

import argparse
import json
import os

import numpy as np
import onnx
import torch
from onnx import numpy_helper

from training import nets
from training import train as T


def onnx_parameters(model):
    """Parameter name -> array for every weight in the graph. Initializers that kept their PyTorch names map
    directly (a "_fp16" suffix dropped); constant-folded ones are named by the node that uses them: a MatMul's
    weight is the Linear's weight transposed, a Mul's and an Add's are a normalization's weight and bias."""
    g = model.graph
    consumers = {}
    for node in g.node:
        for x in node.input:
            consumers.setdefault(x, []).append(node)
    params = {}
    for init in g.initializer:
        arr = numpy_helper.to_array(init).astype(np.float32)
        name = init.name[:-len("_fp16")] if init.name.endswith("_fp16") else init.name
        if not name.startswith("onnx::"):
            params[name] = arr
            continue
        users = consumers.get(init.name, [])
        while len(users) == 1 and users[0].op_type == "Cast":  # the UNet's float16 storage
            users = consumers.get(users[0].output[0], [])
        if len(users) != 1 or not users[0].name.startswith("/"):
            continue  # a folded constant shared by several nodes: not a parameter
        node = users[0]
        module = []
        for part in node.name.strip("/").split("/")[:-1]:
            if module and part.startswith(module[-1] + "."):  # a Sequential's child is scoped "mlp/mlp.0"
                module[-1] = part
            else:
                module.append(part)
        module = ".".join(module)
        if node.op_type == "MatMul":
            params[module + ".weight"] = arr.T
        elif node.op_type == "Mul":
            params[module + ".weight"] = arr
        elif node.op_type == "Add":
            params[module + ".bias"] = arr
    return params


def load_into(module, model, path, strip="", fallback=None):
    """Loads the graph's parameters into `module` (names after `strip`); every parameter must be found, with
    the right number of values, or be in `fallback` (a state dict for weights the graph does not use). `path`
    names the graph in errors."""
    found = {k[len(strip):] if k.startswith(strip) else k: v for k, v in onnx_parameters(model).items()}
    state = module.state_dict()
    missing = []
    for key, target in state.items():
        if key not in found:
            if fallback is not None and key in fallback:
                state[key] = fallback[key]
            else:
                missing.append(key)
            continue
        value = torch.from_numpy(np.ascontiguousarray(found[key]))
        if value.numel() != target.numel():
            raise ValueError(f"{path}: {key} has {value.numel()} values, the network expects {target.numel()}")
        state[key] = value.reshape(target.shape)
    if missing:
        raise ValueError(f"{path}: no weights for {', '.join(missing)}")
    module.load_state_dict(state)
    return module


@torch.no_grad()
def verify(model, path, fn, feeds, tol=1e-4):
    """The imported network must give the graph's first output (numpy ONNX executor), or the import is wrong."""
    from training import onnx_numpy
    want = onnx_numpy.run(model, feeds)[0]
    got = fn(*[torch.from_numpy(v) for v in feeds.values()])
    got = (got[0] if isinstance(got, (tuple, list)) else got).numpy()
    err = float(np.abs(got - want).max())
    if err > tol * max(1.0, float(np.abs(want).max())):
        raise SystemExit(f"{path}: the imported network differs from the graph by {err:.2e}")
    print(f"{os.path.relpath(path, T.ROOT)}: imported, max abs diff to the graph {err:.1e}")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model", help="the shipped model folder, e.g. models/meg-tiny")
    ap.add_argument("--run", required=True, help="checkpoint folder under training/runs/")
    ap.add_argument("--out", default=None, help="the run's model folder (its tokenizer); default training/runs/<run>/model")
    args = ap.parse_args(argv)
    run = os.path.join(T.ROOT, "training", "runs", args.run)
    out = args.out or os.path.join(run, "model")
    ctx = argparse.Namespace(path=lambda name: os.path.join(run, name), out=out)
    if not os.path.exists(os.path.join(out, "tokenizer", "vocab.json")):
        raise SystemExit(f"{out}/tokenizer is missing: run the data and tokenizer stages into --run {args.run} first")
    part = lambda name: os.path.join(args.model, name, "model.onnx")  # noqa: E731
    graphs = {name: onnx.load(part(name)) for name in ("vae_encoder", "vae_decoder", "vae_decoder_robust", "unet", "text_encoder")}
    load = lambda module, name, **kw: load_into(module, graphs[name], part(name), **kw)  # noqa: E731
    check = lambda name, fn, feeds: verify(graphs[name], part(name), fn, feeds)  # noqa: E731
    with open(os.path.join(args.model, "vae_decoder", "config.json")) as f:
        sf = json.load(f)["scaling_factor"]

    enc = load(nets.VAEEncoder(), "vae_encoder", strip="enc.")
    dec = load(nets.VAEDecoder(), "vae_decoder")
    robust = load(nets.VAEDecoder(), "vae_decoder_robust")
    unet = load(T.new_unet(), "unet")
    # The base projection is not in the graph (text_embeds comes from the cliphead's); bind never trains it, so
    # it is the clip stage's, and the cliphead stage starts its own projection from it.
    if not os.path.exists(ctx.path("clip.pt")):
        raise SystemExit(f"{run}/clip.pt is missing: run the clip stage into --run {args.run} first")
    base = load(T.new_text_encoder(ctx), "text_encoder", strip="te.base.", fallback=torch.load(ctx.path("clip.pt"))["te"])
    rng = np.random.default_rng(0)
    img = rng.uniform(-1, 1, (2, 3, 64, 64)).astype(np.float32)
    lat = rng.normal(0, 1 / sf, (2, 4, 16, 16)).astype(np.float32)
    with open(os.path.join(out, "tokenizer", "vocab.json")) as f:
        end = len(json.load(f)) - 1
    ids = np.array([[end - 1] + list(range(300, 310)) + [end] * 29, [end - 1] + [end] * 39], np.int64)
    check("vae_encoder", enc.eval(), {"sample": img})  # latent_sample: the mean
    check("vae_decoder", dec.eval(), {"latent_sample": lat})
    check("vae_decoder_robust", robust.eval(), {"latent_sample": lat})
    check("text_encoder", base.eval(), {"input_ids": ids})  # last_hidden_state: the UNet's text states
    hs = base(torch.from_numpy(ids))[0].detach().numpy()
    sample = rng.normal(0, 1, (2, 8, 16, 16)).astype(np.float32)
    check("unet", unet.eval(), {"sample": sample, "timestep": np.array([951, 1], np.int64), "encoder_hidden_states": hs})
    torch.save({"enc": enc.state_dict(), "dec": dec.state_dict(), "scaling_factor": sf}, ctx.path("vae.pt"))
    torch.save({"unet": unet.state_dict(), "raw": unet.state_dict(), "te": base.state_dict()}, ctx.path("bind.pt"))
    torch.save({"dec": robust.state_dict()}, ctx.path("robust.pt"))

    with open(os.path.join(args.model, "eval_metrics.json")) as f:
        records = json.load(f).get("stages", {})
    for stage in ("vae", "unet", "bind", "robust"):
        info = dict(records.get(stage, {}), imported_from=os.path.relpath(args.model, T.ROOT))
        T.mark_done(ctx, stage, info)
    T.forget(ctx, "cliphead")
    print(f"imported {args.model} into {run}: vae.pt, bind.pt, robust.pt; vae, unet, bind, robust marked done")


if __name__ == "__main__":
    main()
