#!/usr/bin/python3
"""Token ids of a few prompts from the training tool's own CLIP BPE (training/meg_tokenizer.py), which the
C# tokenizer must reproduce. Rerun from the repository root: /usr/bin/python3 tests/Meg.Diffusion.Tests/data/make_tokenizer_reference.py"""
import json
import os
import sys

sys.path.insert(0, os.getcwd())
from training import meg_tokenizer  # noqa: E402

PROMPTS = [
    "a big red star at the top left and a small blue circle at the bottom on a yellow background",
    "A Small GREEN triangle  in the center on a purple top and orange bottom background",
    "",
    "a zebra-striped unicorn, twice!",
    "red " * 60,
]
tok = meg_tokenizer.Tokenizer("models/meg-tiny/tokenizer")
out = [{"prompt": p, "ids": [int(i) for i in tok.encode(p)]} for p in PROMPTS]
with open(os.path.join(os.path.dirname(__file__), "tokenizer_reference.json"), "w") as f:
    json.dump(out, f, indent=1)
print(json.dumps(out[0]))
