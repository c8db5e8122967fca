"""Convert public topic-labelled sets (fetched as git repositories) into the format of
bench/eval_themes_public.py: one jsonl per set, {"id", "label", "text"}, 1,000 texts sampled with a
fixed seed, label = a theme name of bench/theme_public/themes.toml.

    python3 bench/theme_public/convert.py --reuters-repo GITDIR --huffpost-repo GITDIR \
        --out /work/tmp/themes-data

Sets (the data stays outside the repository):
- reuters: Reuters-21578 (Lewis; "distribution 1.0", free for research use), full newswire articles,
  read from the reut2-0NN.sgm files of a git copy (e.g. github loki86/ksr_zadanie1V2, whose
  reut2-003.sgm is truncated: reut2-003-full.sgm is read instead). Kept: articles of 80+ words whose
  TOPICS hold exactly one of the six topics in LABELS (other topics such as "wheat" may be present).
- huffpost: the News Category Dataset (Misra 2022, CC BY 4.0), headline + short description
  (snippets), read from News_Category_Dataset_v3.json of a git copy (e.g. github Limpery/MGO, a
  9,999-row excerpt). Kept: rows of the six categories in LABELS with a non-empty description.
Sampling: per label at most ceil(1000 / 6) texts, the remainder filled from the larger labels, all
with random.Random(SEED).
"""

from __future__ import annotations

import argparse
import html
import json
import random
import re
import subprocess
from collections import defaultdict
from pathlib import Path

SEED = 20261203
N_TEXTS = 1000
LABELS = {
    "reuters": {"acq": "Mergers and acquisitions", "earn": "Company earnings", "crude": "Oil", "grain": "Grain",
                "money-fx": "Currency markets", "trade": "International trade"},
    "huffpost": {"POLITICS": "Politics", "ENTERTAINMENT": "Entertainment", "SPORTS": "Sports", "CRIME": "Crime",
                 "FOOD & DRINK": "Food and drink", "ENVIRONMENT": "Environment"},
}


def git_files(gitdir: Path, pattern: str) -> dict[str, bytes]:
    names = subprocess.run(["git", "-C", str(gitdir), "ls-tree", "-r", "--name-only", "HEAD"], check=True,
                           capture_output=True, text=True).stdout.split()
    return {n: subprocess.run(["git", "-C", str(gitdir), "show", f"HEAD:{n}"], check=True, capture_output=True).stdout
            for n in names if re.fullmatch(pattern, n)}


def reuters(gitdir: Path) -> list[dict]:
    files = git_files(gitdir, r"reut2-0\d\d(-full)?\.sgm")
    if "reut2-003-full.sgm" in files:
        files.pop("reut2-003.sgm", None)
    labels, out = LABELS["reuters"], []
    for name in sorted(files):
        raw = files[name].decode("latin-1")
        for doc in re.findall(r"<REUTERS.*?</REUTERS>", raw, re.S):
            topics = re.findall(r"<D>(.*?)</D>", re.search(r"<TOPICS>(.*?)</TOPICS>", doc, re.S).group(1))
            body = re.search(r"<BODY>(.*?)</BODY>", doc, re.S)
            title = re.search(r"<TITLE>(.*?)</TITLE>", doc, re.S)
            mine = [t for t in topics if t in labels]
            if len(mine) != 1 or not body:
                continue
            text = html.unescape(re.sub(r"&#\d+;", " ", body.group(1)))
            text = re.sub(r"\s*Reuter\s*$", "", text.strip())
            if len(text.split()) < 80:
                continue
            head = html.unescape(title.group(1)).strip().capitalize() if title else ""
            paras = [" ".join(p.split()) for p in re.split(r"\n\s{3,}", text)]
            newid = re.search(r'NEWID="(\d+)"', doc).group(1)
            out.append({"id": f"reuters-{newid}", "label": labels[mine[0]],
                        "text": (head + ".\n\n" if head else "") + "\n\n".join(p for p in paras if p)})
    return out


def huffpost(gitdir: Path) -> list[dict]:
    files = git_files(gitdir, r"News_Category_Dataset_v\d\.json")
    labels, out = LABELS["huffpost"], []
    for name in sorted(files):
        for n, line in enumerate(files[name].decode("utf-8").splitlines()):
            if not line.strip():
                continue
            row = json.loads(line)
            if row["category"] in labels and row.get("short_description", "").strip():
                out.append({"id": f"huffpost-{n}", "label": labels[row["category"]],
                            "text": f"{row['headline'].strip()}. {row['short_description'].strip()}"})
    return out


def sample(rows: list[dict], n: int = N_TEXTS, seed: int = SEED) -> list[dict]:
    rng = random.Random(seed)
    by = defaultdict(list)
    for r in sorted(rows, key=lambda r: r["id"]):
        by[r["label"]].append(r)
    for v in by.values():
        rng.shuffle(v)
    cap = -(-n // len(by))
    picked = [r for v in by.values() for r in v[:cap]]
    rest = [r for v in by.values() for r in v[cap:]]
    rng.shuffle(rest)
    picked += rest[:max(0, n - len(picked))]
    rng.shuffle(picked)
    return picked[:n]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--reuters-repo", type=Path, required=True, help="git dir of a Reuters-21578 copy")
    ap.add_argument("--huffpost-repo", type=Path, required=True, help="git dir of a News Category Dataset copy")
    ap.add_argument("--out", type=Path, default=Path("/work/tmp/themes-data"))
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, rows in (("reuters", reuters(args.reuters_repo)), ("huffpost", huffpost(args.huffpost_repo))):
        picked = sample(rows)
        with (args.out / f"{name}.jsonl").open("w", encoding="utf-8") as f:
            for r in picked:
                f.write(json.dumps(r, ensure_ascii=False) + "\n")
        counts = defaultdict(int)
        for r in picked:
            counts[r["label"]] += 1
        words = sorted(len(r["text"].split()) for r in picked)
        print(f"{name}: {len(rows)} usable, {len(picked)} written, median {words[len(words) // 2]} words, "
              f"{dict(sorted(counts.items()))}")


if __name__ == "__main__":
    main()
