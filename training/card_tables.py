"""Prints the model card's number tables (Markdown) from eval_metrics.json and the run's stage records.

    /usr/bin/python3 -m training.card_tables [models/meg-tiny] [training/runs/meg-tiny]
"""
import json
import os
import sys


def pct(x):
    return f"{100 * x:.1f}%"


def main(out="models/meg-tiny", run="training/runs/meg-tiny"):
    with open(os.path.join(out, "eval_metrics.json")) as f:
        M = json.load(f)
    st = M["stages"]
    L = []
    L.append("| metric | image-to-image (sketch) | text-to-image | real scenes | bar |")
    L.append("|---|---|---|---|---|")
    i, t, r = M["img2img"], M["txt2img"], M["real"]
    L.append(f"| colours obeyed (all shapes + background), items | {pct(i['colours_obeyed_items'])} | {pct(t['colours_obeyed_items'])} | {pct(r['colours_obeyed_items'])} | >= 85% (img2img) |")
    L.append(f"| shape colour accuracy, shapes | {pct(i['shape_colour_accuracy'])} | {pct(t['shape_colour_accuracy'])} | {pct(r['shape_colour_accuracy'])} | |")
    L.append(f"| background colour accuracy, backgrounds | {pct(i['background_colour_accuracy'])} | {pct(t['background_colour_accuracy'])} | {pct(r['background_colour_accuracy'])} | |")
    L.append(f"| layout IoU (mask vs non-background pixels), mean | {i['layout_iou_mean']:.3f} | {t['layout_iou_mean']:.3f} | {r['layout_iou_mean']:.3f} | >= 0.6 (img2img) |")
    L.append(f"| CLIP-style rank 1 of 8 (true vs 7 recoloured) | {pct(i['clip_rank1_of_8'])} | {pct(t['clip_rank1_of_8'])} | {pct(r['clip_rank1_of_8'])} | >= 80% gen, >= 95% real |")
    L.append(f"| MEG-FD vs real eval scenes (256 vs 256) | {i['meg_fd_vs_real_eval']:.1f} | {t['meg_fd_vs_real_eval']:.1f} | {M['meg_fd_real_train_vs_real_eval']:.1f} (train vs eval) | |")
    L.append(f"| generation time, 256 items (s) | {i['seconds']} | {t['seconds']} | | |")
    L.append("")
    L.append(f"VAE reconstruction PSNR on the 256 held-out scenes: **{M['vae_psnr_db']:.2f} dB** (bar >= 27 dB); "
             f"on their sketches {M['vae_psnr_sketch_db']:.2f} dB; colour check on reconstructions "
             f"{pct(M['vae_recon_colour_check'])}, layout IoU of reconstructions {M['vae_recon_layout_iou']:.3f}.")
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
