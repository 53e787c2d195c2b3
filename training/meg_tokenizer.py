"""A CLIP-format byte-level BPE tokenizer whose merges turn every caption word into one token.

Files follow openai/clip-vit-base-patch32 (as Stable Diffusion ships them): vocab.json, merges.txt
("#version: 0.2" first), special_tokens_map.json, tokenizer_config.json.

Vocabulary order (ids): the 256 byte-level characters, the same 256 with "</w>", then every merge result
in merge order, then <|startoftext|>, <|endoftext|>. Unknown words still tokenize (into characters).

`clip_bpe` / `encode` re-implement CLIP's tokenizer (lowercase, CLIP's word regex, byte-level mapping,
"</w>" on the last character, merges applied lowest rank first) to verify the files.
"""
from __future__ import annotations

import json
import os
import re

SOT, EOT = "<|startoftext|>", "<|endoftext|>"
MAX_LENGTH = 40

# CLIP's pattern with \p{L}/\p{N} spelled for Python's re (letters / digits, unicode-aware).
_PAT = re.compile(r"<\|startoftext\|>|<\|endoftext\|>|'s|'t|'re|'ve|'m|'ll|'d|[^\W\d_]+|\d|[^\s\w]+|_+",
                  re.IGNORECASE)


def bytes_to_unicode():
    """CLIP/GPT-2 byte -> printable unicode character table."""
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


BYTE_ENCODER = bytes_to_unicode()


def _pairs(word):
    return {(word[i], word[i + 1]) for i in range(len(word) - 1)}


def clip_bpe(token: str, ranks: dict) -> list[str]:
    """CLIP's bpe(): symbols of one byte-encoded word, merged lowest rank first."""
    word = tuple(token[:-1]) + (token[-1] + "</w>",)
    pairs = _pairs(word)
    if not pairs:
        return [token + "</w>"]
    while True:
        bigram = min(pairs, key=lambda p: ranks.get(p, float("inf")))
        if bigram not in ranks:
            break
        first, second = bigram
        new, i = [], 0
        while i < len(word):
            try:
                j = word.index(first, i)
            except ValueError:
                new.extend(word[i:])
                break
            new.extend(word[i:j])
            i = j
            if word[i] == first and i < len(word) - 1 and word[i + 1] == second:
                new.append(first + second)
                i += 2
            else:
                new.append(word[i])
                i += 1
        word = tuple(new)
        if len(word) == 1:
            break
        pairs = _pairs(word)
    return list(word)


def pre_tokenize(text: str) -> list[str]:
    text = re.sub(r"\s+", " ", text).strip().lower()
    return ["".join(BYTE_ENCODER[b] for b in t.encode("utf-8")) for t in _PAT.findall(text)]


def build(words):
    """Returns (vocab dict, merges list) such that every word in `words` becomes one token.

    Words are added one at a time; merges needed by a word are appended after all earlier merges, which
    cannot change how earlier words tokenize (they finish with earlier, lower-rank merges)."""
    merges: list[tuple[str, str]] = []
    ranks: dict = {}
    for w in words:
        for tok in pre_tokenize(w):
            while True:
                symbols = clip_bpe(tok, ranks)
                if len(symbols) == 1:
                    break
                pair = (symbols[0], symbols[1])  # merge left to right
                ranks[pair] = len(merges)
                merges.append(pair)
    base = list(BYTE_ENCODER.values())
    vocab_list = base + [c + "</w>" for c in base]
    for a, b in merges:
        if a + b not in vocab_list:
            vocab_list.append(a + b)
    vocab_list += [SOT, EOT]
    return {t: i for i, t in enumerate(vocab_list)}, merges


class Tokenizer:
    def __init__(self, folder: str):
        with open(os.path.join(folder, "vocab.json")) as f:
            self.vocab = json.load(f)
        with open(os.path.join(folder, "merges.txt")) as f:
            lines = f.read().split("\n")
        assert lines[0].startswith("#version"), "merges.txt must start with #version"
        self.ranks = {tuple(l.split()): i for i, l in enumerate(x for x in lines[1:] if x)}
        with open(os.path.join(folder, "tokenizer_config.json")) as f:
            self.max_length = json.load(f)["model_max_length"]
        self.sot, self.eot = self.vocab[SOT], self.vocab[EOT]
        self.cache = {}

    def tokens(self, text: str) -> list[str]:
        out = []
        for tok in pre_tokenize(text):
            if tok not in self.cache:
                self.cache[tok] = clip_bpe(tok, self.ranks)
            out.extend(self.cache[tok])
        return out

    def encode(self, text: str) -> list[int]:
        """SD-style ids: <sot> tokens <eot>, truncated to max_length, padded with <eot>."""
        ids = [self.vocab[t] for t in self.tokens(text)][: self.max_length - 2]
        ids = [self.sot] + ids + [self.eot]
        return ids + [self.eot] * (self.max_length - len(ids))


def write(folder: str, words, max_length: int = MAX_LENGTH):
    os.makedirs(folder, exist_ok=True)
    vocab, merges = build(words)
    with open(os.path.join(folder, "vocab.json"), "w") as f:
        json.dump(vocab, f, ensure_ascii=False)
    with open(os.path.join(folder, "merges.txt"), "w") as f:
        f.write("#version: 0.2\n" + "".join(f"{a} {b}\n" for a, b in merges))
    special = {
        "bos_token": {"content": SOT, "lstrip": False, "normalized": True, "rstrip": False, "single_word": False},
        "eos_token": {"content": EOT, "lstrip": False, "normalized": True, "rstrip": False, "single_word": False},
        "pad_token": EOT,
        "unk_token": {"content": EOT, "lstrip": False, "normalized": True, "rstrip": False, "single_word": False},
    }
    with open(os.path.join(folder, "special_tokens_map.json"), "w") as f:
        json.dump(special, f, indent=2)
    config = {
        "tokenizer_class": "CLIPTokenizer",
        "model_max_length": max_length,
        "do_lower_case": True,
        "bos_token": SOT, "eos_token": EOT, "pad_token": EOT, "unk_token": EOT,
        "bos_token_id": vocab[SOT], "eos_token_id": vocab[EOT], "pad_token_id": vocab[EOT],
        "vocab_size": len(vocab),
        "padding": "max_length (pad with <|endoftext|>), as Stable Diffusion",
        "errors": "replace",
        "add_prefix_space": False,
    }
    with open(os.path.join(folder, "tokenizer_config.json"), "w") as f:
        json.dump(config, f, indent=2)
    return vocab, merges
