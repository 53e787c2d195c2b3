"""Prints the model card's number tables (Markdown) from eval_metrics.json, which holds the run's stage records too.

    /usr/bin/python3 -m training.card_tables [models/meg-tiny]
"""
import json
import os
import sys


def pct(x):
    return f"{100 * x:.1f}%"


def main(out="models/meg-tiny"):
    with open(os.path.join(out, "eval_metrics.json")) as f:
        M = json.load(f)
    st = M["stages"]
    L = []
    cols = [("image-to-image, generator's set", M["img2img"]), ("image-to-image, drawn set", M["img2img_drawn"]),
            ("text-to-image, generator's set", M["txt2img"]), ("text-to-image, drawn set", M.get("txt2img_drawn", {})),
            ("real scenes", M["real"])]
    rows = [
        ("colours obeyed (all shapes + background), items", "colours_obeyed_items", pct, ">= 85% generator's, >= 80% drawn"),
        ("shape colour accuracy, shapes", "shape_colour_accuracy", pct, ""),
        ("background colour accuracy, backgrounds", "background_colour_accuracy", pct, ""),
        ("colours obeyed, two-tone items", "colours_obeyed_two_tone_items", pct, ""),
        ("colours obeyed, overlapping items", "colours_obeyed_overlapping_items", pct, ""),
        ("layout IoU (mask vs non-background pixels), mean", "layout_iou_mean", lambda v: f"{v:.3f}", ">= 0.7 both sets"),
        ("filled shapes (inside eroded 2 px >= 75% its colour)", "filled_shapes", pct, ""),
        ("solid shapes (inside >= 75% one non-background colour)", "solid_shapes", pct, ">= 90% at every pen width (drawn)"),
        ("rings (inside background, rim its colour)", "ring_shapes", pct, "<= 1% at every pen width (drawn)"),
        ("CLIP-style rank 1 of 8 (true vs 7 negatives)", "clip_rank1_of_8", pct, ">= 80% generator's, >= 95% real"),
        ("MEG-FD vs real eval scenes (256 vs 256)", "meg_fd_vs_real_eval", lambda v: f"{v:.1f}", ""),
        ("generation time, 256 items (s)", "seconds", str, ""),
    ]
    L.append("| metric | " + " | ".join(c for c, _ in cols) + " | bar |")
    L.append("|---" * (len(cols) + 2) + "|")
    for name, key, fmt, bar in rows:
        cells = [fmt(m[key]) if m.get(key) is not None else "" for _, m in cols]
        L.append(f"| {name} | " + " | ".join(cells) + f" | {bar} |")
    L.append("")
    L.append(f"CLIP-style rank 1 of 8 on the drawn set's real scenes: {pct(M['real_drawn_set']['clip_rank1_of_8'])}"
             + (f"; VAE reconstruction of them {M['real_drawn_set']['vae_psnr_db']:.2f} dB." if "vae_psnr_db" in M["real_drawn_set"] else "."))
    L.append("")
    L.append("The drawn set by pen width (image-to-image):")
    L.append("")
    L.append("| pen width (px at 64) | items | solid shapes | rings | filled shapes (its colour) | colours obeyed | layout IoU |")
    L.append("|---|---|---|---|---|---|---|")
    for w, v in sorted(M["img2img_drawn"]["by_pen_width"].items(), key=lambda kv: float(kv[0])):
        L.append(f"| {w} | {v['items']} | {pct(v['solid_shapes'])} | {pct(v['ring_shapes'])} | {pct(v['filled_shapes'])} | "
                 f"{pct(v['colours_obeyed_items'])} | {v['layout_iou_mean']:.3f} |")
    L.append("")
    L.append(f"VAE reconstruction PSNR on the 256 held-out scenes: **{M['vae_psnr_db']:.2f} dB** (bar >= 30 dB); "
             f"on their sketches {M['vae_psnr_sketch_db']:.2f} dB; colour check on reconstructions "
             f"{pct(M['vae_recon_colour_check'])}, layout IoU of reconstructions {M['vae_recon_layout_iou']:.3f}.")
    L.append("")
    L.append("Bars: " + ", ".join(f"{k} {'met' if v else '**missed**'}" for k, v in M["bars"].items()) + ".")
    L.append("")
    key = [k for k in M if k.startswith("img2img_guidance_sweep")][0]
    L.append(f"Guidance sweep (image-to-image, {key.split('_')[-1]} first items):")
    L.append("")
    L.append("| guidance | colours obeyed | shape colour | background colour | layout IoU | CLIP rank |")
    L.append("|---|---|---|---|---|---|")
    for g, v in sorted(M[key].items(), key=lambda kv: float(kv[0])):
        L.append(f"| {g} | {pct(v['colours_obeyed_items'])} | {pct(v['shape_colour_accuracy'])} | {pct(v['background_colour_accuracy'])} | {v['layout_iou_mean']:.3f} | {pct(v['clip_rank1_of_8'])} |")
    L.append("")
    L.append("Noise-robust decoder vs plain decoder (PSNR in dB against the clean scene; AWGN on the scaled latent, "
             "noise variance per real value = mean(z^2) 10^(-SNR/10); 256 held-out scenes, noise seed 99):")
    L.append("")
    L.append("| SNR (dB) | plain decoder | robust decoder | gain |")
    L.append("|---|---|---|---|")
    for s in ["-10", "-5", "0", "5", "10", "15", "20"]:
        v = M["robust_decoder"][s]
        L.append(f"| {s} | {v['plain_db']:.2f} | {v['robust_db']:.2f} | {v['gain_db']:+.2f} |")
    c = M["robust_decoder"]["clean"]
    L.append(f"| no noise | {c['plain_db']:.2f} | {c['robust_db']:.2f} | {c['robust_db'] - c['plain_db']:+.2f} |")
    L.append("")
    L.append("Training stages (this run):")
    L.append("")
    L.append("| stage | steps | seconds | result |")
    L.append("|---|---|---|---|")
    for s, v in st.items():  # in stage order, as evaluate.py records them
        res = {k: val for k, val in v.items() if k not in ("steps", "seconds", "max_abs_diff_numpy_vs_torch", "onnx_bytes")}
        L.append(f"| {s} | {v.get('steps', '')} | {v.get('seconds', '')} | {json.dumps(res)} |")
    print("\n".join(L))


if __name__ == "__main__":
    main(*sys.argv[1:])
