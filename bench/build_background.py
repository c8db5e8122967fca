"""Precompute the background sample's embeddings for the shipped model.

    .venv/bin/python bench/build_background.py

Reads extractors/themes/data/background/texts.jsonl (texts written for this project), embeds each text whole
and in passages with the shipped static model, and writes extractors/themes/data/background/features.npz
(float16, tagged with the model's digest). Without this file, or when the digest does not match the
model in use, the classifier computes the same features from the texts on first use.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from extractors.themes._background import FEATURES_FILE, compute_background, load_texts, save_features  # noqa: E402
from extractors.themes._model import load_embedder  # noqa: E402


def main() -> None:
    emb = load_embedder(None)
    texts = load_texts()
    t0 = time.perf_counter()
    bg = compute_background(emb, texts)
    save_features(bg, emb.digest)
    print(f"{len(texts)} texts, {len(bg.passages)} passages embedded in {time.perf_counter() - t0:.2f} s "
          f"-> {FEATURES_FILE} ({FEATURES_FILE.stat().st_size / 1e3:.0f} kB, model {emb.digest})")


if __name__ == "__main__":
    main()
