"""A small numpy executor for the ONNX operators our exported graphs use.

Python onnxruntime is not available on the training machine and onnx 1.12 has no reference evaluator,
so this re-executes each exported graph independently of PyTorch to check the export numerically.
Unknown operators raise, naming the operator.
"""
from __future__ import annotations

import math

import numpy as np
from onnx import helper, mapping, numpy_helper

try:
    from math import erf as _erf
except ImportError:  # pragma: no cover
    _erf = None

_verf = np.vectorize(math.erf, otypes=[np.float64])


def _attrs(node):
    return {a.name: helper.get_attribute_value(a) for a in node.attribute}


def _conv(x, w, b, a):
    strides = a.get("strides", [1, 1])
    pads = a.get("pads", [0, 0, 0, 0])
    group = a.get("group", 1)
    dil = a.get("dilations", [1, 1])
    assert group == 1 and dil == [1, 1], "only plain convolutions"
    x = np.pad(x, ((0, 0), (0, 0), (pads[0], pads[2]), (pads[1], pads[3])))
    n, c, h, wd = x.shape
    o, _, kh, kw = w.shape
    sh, sw = strides
    oh, ow = (h - kh) // sh + 1, (wd - kw) // sw + 1
    cols = np.empty((n, c, kh, kw, oh, ow), x.dtype)
    for i in range(kh):
        for j in range(kw):
            cols[:, :, i, j] = x[:, :, i:i + sh * oh:sh, j:j + sw * ow:sw]
    y = np.einsum("nckhij,ockh->noij", cols.astype(np.float64), w.astype(np.float64), optimize=True)
    if b is not None:
        y += b[None, :, None, None]
    return y.astype(np.float32)


def _resize(x, roi, scales, sizes, a):
    assert a.get("mode", b"nearest") in (b"nearest", "nearest"), "only nearest resize"
    if scales is not None and len(scales):
        f = [int(round(s)) for s in scales]
    else:
        f = [int(s // d) for s, d in zip(sizes, x.shape)]
    for ax, k in enumerate(f):
        if k != 1:
            x = np.repeat(x, k, axis=ax)
    return x


def run(model, feeds: dict):
    g = model.graph
    v = {i.name: numpy_helper.to_array(i) for i in g.initializer}
    v.update(feeds)
    for node in g.node:
        a = _attrs(node)
        ins = [v[n] if n else None for n in node.input]
        op = node.op_type
        if op == "Constant":
            out = [numpy_helper.to_array(a["value"])]
        elif op == "Identity":
            out = [ins[0]]
        elif op == "Cast":
            out = [ins[0].astype(mapping.TENSOR_TYPE_TO_NP_TYPE[a["to"]])]
        elif op in ("Add", "Sub", "Mul", "Div", "Pow", "Equal", "Less", "Greater"):
            x, y = ins
            f = {"Add": np.add, "Sub": np.subtract, "Mul": np.multiply, "Pow": np.power, "Equal": np.equal,
                 "Less": np.less, "Greater": np.greater}.get(op)
            if op == "Div":
                out = [(x // y) if np.issubdtype(x.dtype, np.integer) else (x / y)]
            else:
                out = [f(x, y)]
            if op in ("Add", "Sub", "Mul", "Div", "Pow") and x.dtype == np.float32:
                out = [out[0].astype(np.float32)]
        elif op == "Sigmoid":
            out = [(1 / (1 + np.exp(-ins[0]))).astype(np.float32)]
        elif op in ("Sqrt", "Exp", "Cos", "Sin", "Neg", "Abs", "Tanh", "Reciprocal"):
            f = {"Sqrt": np.sqrt, "Exp": np.exp, "Cos": np.cos, "Sin": np.sin, "Neg": np.negative, "Abs": np.abs,
                 "Tanh": np.tanh, "Reciprocal": np.reciprocal}[op]
            out = [f(ins[0])]
        elif op == "Erf":
            out = [_verf(ins[0]).astype(np.float32)]
        elif op == "Softmax":
            x = ins[0]
            ax = a.get("axis", -1)
            e = np.exp(x - x.max(axis=ax, keepdims=True))
            out = [e / e.sum(axis=ax, keepdims=True)]
        elif op == "MatMul":
            out = [np.matmul(ins[0].astype(np.float64), ins[1].astype(np.float64)).astype(np.float32)]
        elif op == "Gemm":
            A, B = ins[0], ins[1]
            if a.get("transA", 0):
                A = A.T
            if a.get("transB", 0):
                B = B.T
            y = a.get("alpha", 1.0) * (A.astype(np.float64) @ B.astype(np.float64))
            if len(ins) > 2 and ins[2] is not None:
                y = y + a.get("beta", 1.0) * ins[2]
            out = [y.astype(np.float32)]
        elif op == "Conv":
            out = [_conv(ins[0], ins[1], ins[2] if len(ins) > 2 else None, a)]
        elif op == "InstanceNormalization":
            x, s, b = ins
            eps = a.get("epsilon", 1e-5)
            ax = tuple(range(2, x.ndim))
            m = x.mean(axis=ax, keepdims=True)
            var = ((x - m) ** 2).mean(axis=ax, keepdims=True)
            shp = (1, -1) + (1,) * (x.ndim - 2)
            out = [((x - m) / np.sqrt(var + eps) * s.reshape(shp) + b.reshape(shp)).astype(np.float32)]
        elif op == "LayerNormalization":
            x, s = ins[0], ins[1]
            b = ins[2] if len(ins) > 2 else None
            ax = a.get("axis", -1)
            axes = tuple(range(ax % x.ndim, x.ndim))
            m = x.mean(axis=axes, keepdims=True)
            var = ((x - m) ** 2).mean(axis=axes, keepdims=True)
            y = (x - m) / np.sqrt(var + a.get("epsilon", 1e-5)) * s
            if b is not None:
                y = y + b
            out = [y.astype(np.float32)]
        elif op == "ReduceMean":
            axes = a.get("axes", ins[1] if len(ins) > 1 else None)
            out = [ins[0].mean(axis=tuple(axes) if axes is not None else None, keepdims=bool(a.get("keepdims", 1)))]
        elif op == "Reshape":
            x, shp = ins
            shp = [x.shape[i] if (s == 0 and not a.get("allowzero", 0)) else s for i, s in enumerate(shp)]
            out = [x.reshape(shp)]
        elif op == "Flatten":
            x = ins[0]
            ax = a.get("axis", 1)
            out = [x.reshape(int(np.prod(x.shape[:ax])), -1)]
        elif op == "Transpose":
            out = [np.transpose(ins[0], a.get("perm"))]
        elif op == "Shape":
            out = [np.array(ins[0].shape, np.int64)[a.get("start", 0):a.get("end", None)]]
        elif op == "Gather":
            out = [np.take(ins[0], ins[1], axis=a.get("axis", 0))]
        elif op == "GatherElements":
            out = [np.take_along_axis(ins[0], ins[1], axis=a.get("axis", 0))]
        elif op == "Unsqueeze":
            x = ins[0]
            axes = sorted(int(i) % (x.ndim + len(ins[1])) for i in ins[1])
            for ax in axes:
                x = np.expand_dims(x, ax)
            out = [x]
        elif op == "Squeeze":
            axes = tuple(int(i) for i in ins[1]) if len(ins) > 1 and ins[1] is not None else None
            out = [np.squeeze(ins[0], axis=axes)]
        elif op == "Concat":
            out = [np.concatenate(ins, axis=a["axis"])]
        elif op == "Split":
            x = ins[0]
            ax = a.get("axis", 0)
            split = ins[1] if len(ins) > 1 and ins[1] is not None else a.get("split")
            if split is None:
                split = [x.shape[ax] // len(node.output)] * len(node.output)
            idx = np.cumsum(split)[:-1]
            out = np.split(x, idx, axis=ax)
        elif op == "Slice":
            x, starts, ends = ins[0], ins[1], ins[2]
            axes = ins[3] if len(ins) > 3 and ins[3] is not None else range(len(starts))
            steps = ins[4] if len(ins) > 4 and ins[4] is not None else [1] * len(starts)
            sl = [slice(None)] * x.ndim
            for s, e, ax, st in zip(starts, ends, axes, steps):
                sl[int(ax)] = slice(int(s), int(max(min(e, 2 ** 62), -(2 ** 62))), int(st))
            out = [x[tuple(sl)]]
        elif op == "Expand":
            x, shp = ins
            out = [x * np.ones(shp, x.dtype)]
        elif op == "ConstantOfShape":
            val = numpy_helper.to_array(a["value"]) if "value" in a else np.zeros(1, np.float32)
            out = [np.full(tuple(ins[0]), val[0], val.dtype)]
        elif op == "Where":
            out = [np.where(*ins)]
        elif op == "Range":
            out = [np.arange(ins[0], ins[1], ins[2])]
        elif op == "ArgMax":
            ax = a.get("axis", 0)
            r = np.argmax(ins[0], axis=ax)
            if a.get("keepdims", 1):
                r = np.expand_dims(r, ax)
            out = [r.astype(np.int64)]
        elif op == "Clip":
            lo = ins[1] if len(ins) > 1 and ins[1] is not None else -np.inf
            hi = ins[2] if len(ins) > 2 and ins[2] is not None else np.inf
            out = [np.clip(ins[0], lo, hi)]
        elif op == "Resize":
            out = [_resize(ins[0], ins[1] if len(ins) > 1 else None, ins[2] if len(ins) > 2 else None,
                           ins[3] if len(ins) > 3 else None, a)]
        elif op == "DepthToSpace":
            x = ins[0]
            bs = a["blocksize"]
            n, c, h, w = x.shape
            if a.get("mode", b"DCR") in (b"CRD", "CRD"):
                y = x.reshape(n, c // bs ** 2, bs, bs, h, w).transpose(0, 1, 4, 2, 5, 3)
            else:
                y = x.reshape(n, bs, bs, c // bs ** 2, h, w).transpose(0, 3, 4, 1, 5, 2)
            out = [y.reshape(n, c // bs ** 2, h * bs, w * bs)]
        elif op == "SpaceToDepth":
            x = ins[0]
            bs = a["blocksize"]
            n, c, h, w = x.shape
            y = x.reshape(n, c, h // bs, bs, w // bs, bs).transpose(0, 3, 5, 1, 2, 4)
            out = [y.reshape(n, c * bs * bs, h // bs, w // bs)]
        else:
            raise NotImplementedError(f"onnx_numpy: operator {op} is not implemented")
        for name, val in zip(node.output, out):
            v[name] = np.asarray(val)
    return [v[o.name] for o in g.output]
