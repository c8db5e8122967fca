"""The static embedding model behind the theme classifier: load once per process, embed fast.

A static model is a tokenizer plus one vector per token; a text's embedding is the normalised mean of
its tokens' vectors. We load it with `tokenizers` + `safetensors` (no torch, no model2vec import at run
time), tokenise a document once and get every passage's embedding from prefix sums of token vectors.

`load_embedder(None)` loads the model shipped in extractors/themes/data/model/. `load_embedder("org/name")`
loads a published model2vec model (e.g. "minishlab/potion-base-8M") through model2vec, which needs the
hub (or its local cache); `load_embedder("/some/folder")` loads a model2vec folder from disk.
"""

from __future__ import annotations

import hashlib
import json
import threading
import re
from dataclasses import dataclass, field
from itertools import chain
from pathlib import Path

import numpy as np

SHIPPED_MODEL_DIR = Path(__file__).resolve().parent / "data" / "model"
SHIPPED_MODEL_NAME = "themewire-minilm-static-256"

_CACHE: dict[str, "StaticEmbedder"] = {}
_WORD = re.compile(r"\w+|[^\w\s]")  # words and single punctuation marks, as BERT pre-tokenises
_LOCK = threading.Lock()


# Words remembered per process (word -> token ids): ~260 bytes each (tracemalloc), so ~26 MB at most per worker.
WORD_CACHE_MAX = 100_000

@dataclass(frozen=True, eq=False)
class StaticEmbedder:
    name: str  # e.g. "themewire-minilm-static-256" or "minishlab/potion-base-8M"
    digest: str  # 12 hex chars of sha256 over the model files: changes whenever the vectors do
    tokenizer: object  # tokenizers.Tokenizer (no truncation, no padding, no special tokens)
    vectors: np.ndarray  # (vocab, dim) float16 as on disk (casting the whole table costs ~0.2-0.5 s at load),
    # or float32; `rows` gathers and casts only the rows a text needs
    unk_id: int | None
    whole_words: dict  # lower-case word -> id, for uncased WordPiece vocabularies (else empty)
    _word_cache: dict = field(default_factory=dict, repr=False)

    @property
    def dim(self) -> int:
        return int(self.vectors.shape[1])

    def rows(self, ids) -> np.ndarray:
        """The vectors of token `ids` as float32 (the same values a float32 table would give)."""
        return self.vectors[ids].astype(np.float32, copy=False)

    def token_ids(self, pieces: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Token ids of all `pieces` concatenated (int64) and the number of tokens of each piece.

        Words are looked up in a per-process cache (word -> ids); unseen words go through the tokenizer
        in one batch. Several times faster than tokenising whole articles, with the same ids."""
        cache = self._word_cache
        words = [_WORD.findall(p) for p in pieces]
        flat = list(chain.from_iterable(words))
        missing = set(flat).difference(cache)
        if missing:
            self._encode_words(sorted(missing), cache)
        toks = list(map(cache.__getitem__, flat))  # the ids of each word
        ids = np.fromiter(chain.from_iterable(toks), dtype=np.int64)
        ids_before = np.cumsum(np.fromiter(map(len, toks), dtype=np.int64, count=len(toks)))  # up to word k
        piece_ends = np.cumsum(np.fromiter(map(len, words), dtype=np.int64, count=len(words)))  # in words
        counts = np.diff(np.concatenate([[0], ids_before])[piece_ends], prepend=0)
        return ids, counts

    def _encode_words(self, words: list[str], cache: dict) -> None:
        if len(cache) + len(words) > WORD_CACHE_MAX:  # bound memory on long runs: later calls start a new cache
            object.__setattr__(self, "_word_cache", {})  # (not clear(): another thread may be reading it)
        rest = []
        for word in words:  # an ASCII word that is a whole vocabulary entry needs no tokenizer
            wid = self.whole_words.get(word.lower()) if word.isascii() else None
            if wid is not None:
                cache[word] = (wid,)
            else:
                rest.append(word)
        if rest:
            unk = self.unk_id
            for word, enc in zip(rest, self.tokenizer.encode_batch_fast(rest, add_special_tokens=False)):
                cache[word] = tuple(t for t in enc.ids if t != unk)

    def embed(self, texts: list[str] | tuple[str, ...]) -> np.ndarray:
        """Normalised mean-of-token embeddings, shape (len(texts), dim); zero rows for empty texts."""
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        encs = self.tokenizer.encode_batch(list(texts), add_special_tokens=False)
        for i, enc in enumerate(encs):
            ids = [t for t in enc.ids if t != self.unk_id]
            if ids:
                out[i] = self.rows(ids).mean(axis=0)
        return normalise(out)


def normalise(m: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(m, axis=-1, keepdims=True)
    return m / np.where(norms > 0, norms, 1.0)


def load_embedder(model: str | None = None) -> StaticEmbedder:
    """The embedder for `model` (None: the shipped one), loaded once per process and cached."""
    key = model or SHIPPED_MODEL_NAME
    with _LOCK:
        if key not in _CACHE:
            _CACHE[key] = _load(model)
        return _CACHE[key]


def _load(model: str | None) -> StaticEmbedder:
    if model is None:
        return _load_folder(SHIPPED_MODEL_DIR, SHIPPED_MODEL_NAME)
    if Path(model).is_dir():
        return _load_folder(Path(model), Path(model).name)
    return _load_published(model)


def _load_folder(folder: Path, name: str) -> StaticEmbedder:
    from safetensors.numpy import load as load_safetensors
    from tokenizers import Tokenizer

    raw = (folder / "model.safetensors").read_bytes()
    tok_text = (folder / "tokenizer.json").read_text(encoding="utf-8")
    digest = hashlib.sha256(raw + tok_text.encode("utf-8")).hexdigest()[:12]
    tensors = load_safetensors(raw)
    del raw
    vectors = tensors.pop("embeddings")
    if vectors.dtype not in (np.float16, np.float32):
        vectors = vectors.astype(np.float32)
    if "mapping" in tensors:  # vocabulary-quantised model2vec models
        vectors = vectors[np.asarray(tensors["mapping"], dtype=np.int64)]
    if "weights" in tensors:
        vectors = vectors.astype(np.float32) * np.asarray(tensors["weights"], dtype=np.float32)[:, None]
    tokenizer = Tokenizer.from_str(tok_text)
    spec = json.loads(tok_text)
    return StaticEmbedder(name=name, digest=digest, tokenizer=_plain(tokenizer), vectors=vectors,
                          unk_id=_unk_id(spec, tokenizer), whole_words=_whole_words(spec, tokenizer))


def _load_published(model_id: str) -> StaticEmbedder:
    """A model2vec model from the hub (or its local cache); needs network the first time."""
    from model2vec import StaticModel

    m = StaticModel.from_pretrained(model_id, force_download=False)
    vectors = np.asarray(m.embedding, dtype=np.float32)
    if getattr(m, "token_mapping", None) is not None:
        vectors = vectors[np.asarray(m.token_mapping, dtype=np.int64)]
    if getattr(m, "weights", None) is not None:
        vectors = vectors * np.asarray(m.weights, dtype=np.float32)[:, None]
    digest = hashlib.sha256(vectors.tobytes()).hexdigest()[:12]
    spec = json.loads(m.tokenizer.to_str())
    return StaticEmbedder(name=model_id, digest=digest, tokenizer=_plain(m.tokenizer), vectors=vectors,
                          unk_id=_unk_id(spec, m.tokenizer), whole_words=_whole_words(spec, m.tokenizer))


def _plain(tokenizer):
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer


def _whole_words(spec: dict, tokenizer) -> dict[str, int]:
    """Vocabulary entries that are whole lower-case words, when the tokenizer is an uncased BERT WordPiece
    (normalising an ASCII word is then just lower-casing it); otherwise {} and every word is tokenised.
    `spec`: the tokenizer's parsed JSON (its model.vocab is the vocabulary, without a get_vocab() copy)."""
    norm, model = spec.get("normalizer") or {}, spec.get("model") or {}
    if norm.get("type") != "BertNormalizer" or not norm.get("lowercase") or model.get("type") != "WordPiece":
        return {}
    vocab = model.get("vocab") or tokenizer.get_vocab()
    return {w: i for w, i in vocab.items() if w.isascii() and w.isalnum() and w.islower() or w.isdigit()}


def _unk_id(spec: dict, tokenizer) -> int | None:
    unk = spec.get("model", {}).get("unk_token")
    return tokenizer.token_to_id(unk) if unk else None
