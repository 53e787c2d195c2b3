"""Checks the shipped tokenizer files with an independent reading of CLIP's bpe().

Run: /usr/bin/python3 -m training.test_tokenizer [folder]  (default models/meg-tiny/tokenizer)
"""
import json
import os
import random
import sys

from training.meg_data import scenes
from training.meg_tokenizer import EOT, SOT, Tokenizer, bytes_to_unicode


def main(folder="models/meg-tiny/tokenizer"):
    tok = Tokenizer(folder)
    vocab = tok.vocab
    # every byte-level character, with and without </w>, is in the vocabulary
    for ch in bytes_to_unicode().values():
        assert ch in vocab and ch + "</w>" in vocab, f"missing byte symbol {ch!r}"
    # every merge's parts and result are in the vocabulary
    for (a, b) in tok.ranks:
        assert a in vocab and b in vocab and a + b in vocab, f"merge {a} {b} not closed"
    assert vocab[SOT] == len(vocab) - 2 and vocab[EOT] == len(vocab) - 1
    # every caption word is exactly one whole-word token
    for w in scenes.vocabulary_words():
        assert tok.tokens(w) == [w + "</w>"], f"{w} -> {tok.tokens(w)}"
    # real captions: one token per word, SD framing and padding
    rng = random.Random(0)
    longest = 0
    for seed in rng.sample(range(10**6), 2000):
        cap = scenes.sample_scene(seed).caption
        words = cap.split()
        assert tok.tokens(cap) == [w + "</w>" for w in words], cap
        ids = tok.encode(cap)
        assert len(ids) == tok.max_length and ids[0] == vocab[SOT] and ids[len(words) + 1] == vocab[EOT]
        assert all(i == vocab[EOT] for i in ids[len(words) + 1:])
        longest = max(longest, len(words) + 2)
    assert longest <= tok.max_length, f"captions need {longest} tokens"
    # unknown words and punctuation still tokenize (into byte-level symbols)
    odd = tok.tokens("A Zebra-crossing, 42!")
    assert all(t in vocab for t in odd), odd
    empty = tok.encode("")
    assert empty == [vocab[SOT]] + [vocab[EOT]] * (tok.max_length - 1)
    print(json.dumps({"vocab_size": len(vocab), "merges": len(tok.ranks), "max_length": tok.max_length,
                      "sot_id": vocab[SOT], "eot_id": vocab[EOT], "pad_id": vocab[EOT],
                      "longest_caption_tokens": longest, "example": tok.encode("a big red star at the top left on a blue background")[:14],
                      "unknown_example": odd}, ensure_ascii=False))
    print("tokenizer OK")


if __name__ == "__main__":
    main(*sys.argv[1:])
