"""Training the neural NER tagger with PyTorch (training only; inference is numpy).

    from marsad.knowledge.ner.train_neural import train_neural
    train_neural(sentences, "ner_features.npz", "ner_neural.npz")

Needs `torch` (CPU is enough); the exported `.npz` holds float16 weights, the word and
stem vocabularies, and the PCA-reduced USE SentencePiece piece vectors.
"""

from __future__ import annotations

import random
import re
import time
from collections import Counter
from pathlib import Path

import numpy as np

from marsad.knowledge.ner.features import FeatureResources, Featurizer, _sp_tokenizer
from marsad.knowledge.ner.neural import (
    TAG_INDEX,
    TAGS,
    NeuralTagger,
    WordTypes,
    allowed_transitions,
)

Sentence = tuple[list[str], list[str]]

DEFAULTS = {"wdim": 64, "cdim": 64, "hidden": 256, "dilations": (1, 2, 1), "dropout": 0.3,
            "word_dropout": 0.3, "epochs": 25, "lr": 2e-3, "batch": 32, "min_count": 2,
            "buckets": 30000, "pca": 128, "seed": 0, "weight_decay": 0.0}


def piece_table(dims: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Ids and PCA-reduced USE embedding rows of the Arabic SentencePiece pieces."""
    from sklearn.decomposition import PCA

    from marsad.knowledge.ner.train import _piece_table

    tokenizer = _sp_tokenizer()
    arabic = re.compile(r"[\u0621-\u064A]")
    ids = np.array([i for i, p in enumerate(tokenizer._pieces) if arabic.search(p)], dtype=np.int64)
    table = _piece_table(ids)
    reduced = PCA(n_components=dims, random_state=seed).fit_transform(table)
    reduced /= np.linalg.norm(reduced, axis=1).mean()
    return ids.astype(np.int32), reduced.astype(np.float16)


def _vocab(sentences: list[Sentence], featurizer: Featurizer, min_count: int) -> tuple[list[str], list[str]]:
    words: Counter[str] = Counter()
    stems: Counter[str] = Counter()
    for ws, _ in sentences:
        for w in ws:
            _, attrs = featurizer.word_info(w)
            words[attrs["w"]] += 1
            stems[attrs.get("s", "")] += 1
    return (sorted(w for w, c in words.items() if c >= min_count),
            sorted(s for s, c in stems.items() if c >= min_count and s))


def _build_net(n_words: int, n_stems: int, dense_dim: int, cfg: dict):
    import torch
    from torch import nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.wemb = nn.Embedding(n_words, cfg["wdim"])
            self.semb = nn.Embedding(n_stems, cfg["wdim"])
            self.cemb = nn.Embedding(cfg["buckets"], cfg["cdim"], padding_idx=0)
            self.inp = nn.Linear(2 * cfg["wdim"] + cfg["cdim"] + dense_dim, cfg["hidden"])
            self.convs = nn.ModuleList(
                nn.Conv1d(cfg["hidden"], cfg["hidden"], 3, padding=d, dilation=d)
                for d in cfg["dilations"])
            self.out = nn.Linear(cfg["hidden"], len(TAGS))
            self.trans = nn.Parameter(torch.zeros(len(TAGS), len(TAGS)))
            self.start = nn.Parameter(torch.zeros(len(TAGS)))
            self.end = nn.Parameter(torch.zeros(len(TAGS)))
            self.drop = nn.Dropout(cfg["dropout"])
            with torch.no_grad():
                self.wemb.weight.mul_(0.1)
                self.semb.weight.mul_(0.1)
                self.cemb.weight.mul_(0.1)

        def forward(self, wid, sid, ngrams, dense, mask):
            x = torch.cat([self.wemb(wid), self.semb(sid), self.cemb(ngrams).sum(2), dense], -1)
            h = torch.relu(self.inp(self.drop(x))) * mask
            for conv in self.convs:
                y = torch.relu(conv(self.drop(h).transpose(1, 2)).transpose(1, 2))
                h = (h + y) * mask
            return self.out(self.drop(h))

    return Net()


def _crf_nll(em, tags, mask, net, allowed, allowed_start):
    import torch

    big = -1e4
    trans = torch.where(allowed, net.trans, torch.full_like(net.trans, big))
    start = torch.where(allowed_start, net.start, torch.full_like(net.start, big))
    b, t, _ = em.shape
    m = mask.squeeze(-1)
    lengths = m.sum(1).long()
    gold = start[tags[:, 0]] + (em.gather(2, tags.unsqueeze(-1)).squeeze(-1) * m).sum(1)
    gold = gold + (trans[tags[:, :-1], tags[:, 1:]] * m[:, 1:]).sum(1)
    gold = gold + net.end[tags[torch.arange(b), lengths - 1]]
    alpha = start + em[:, 0]
    for k in range(1, t):
        nxt = torch.logsumexp(alpha.unsqueeze(2) + trans.unsqueeze(0), 1) + em[:, k]
        alpha = torch.where(m[:, k:k + 1] > 0, nxt, alpha)
    log_z = torch.logsumexp(alpha + net.end, 1)
    return (log_z - gold).sum()


class _Data:
    """Sentences as index arrays over a table of word types."""

    def __init__(self, sentences: list[Sentence], types: WordTypes):
        uniq = sorted({w for ws, _ in sentences for w in ws})
        self.type_index = {w: i for i, w in enumerate(uniq)}
        desc = []
        for k in range(0, len(uniq), 5000):
            desc.extend(types.describe(uniq[k:k + 5000]))
        self.wid = np.array([d[0] for d in desc], dtype=np.int64)
        self.sid = np.array([d[1] for d in desc], dtype=np.int64)
        max_ng = max(len(d[2]) for d in desc)
        self.ngrams = np.zeros((len(desc), max_ng), dtype=np.int64)
        for i, d in enumerate(desc):
            self.ngrams[i, :len(d[2])] = d[2]
        self.dense = np.stack([d[3] for d in desc])
        self.sentences = sentences
        self.token_bits = [types.token_binary(ws) for ws, _ in sentences]

    def batch(self, idx: list[int], word_dropout: float, rng: np.random.Generator):
        import torch

        n = max(len(self.sentences[i][0]) for i in idx)
        b = len(idx)
        tix = np.zeros((b, n), dtype=np.int64)
        tags = np.zeros((b, n), dtype=np.int64)
        mask = np.zeros((b, n, 1), dtype=np.float32)
        bits = np.zeros((b, n, self.token_bits[0].shape[1]), dtype=np.float32)
        for r, i in enumerate(idx):
            ws, ts = self.sentences[i]
            tix[r, :len(ws)] = [self.type_index[w] for w in ws]
            tags[r, :len(ws)] = [TAG_INDEX[t] for t in ts]
            mask[r, :len(ws)] = 1
            bits[r, :len(ws)] = self.token_bits[i]
        wid, sid = self.wid[tix], self.sid[tix]
        if word_dropout:
            wid = np.where(rng.random(wid.shape) < word_dropout, 1, wid)
            sid = np.where(rng.random(sid.shape) < word_dropout, 1, sid)
        dense = self.dense[tix]
        dense[:, :, -bits.shape[2]:] = bits
        return (torch.from_numpy(wid), torch.from_numpy(sid), torch.from_numpy(self.ngrams[tix]),
                torch.from_numpy(dense), torch.from_numpy(mask), torch.from_numpy(tags))


def export(net, cfg: dict, words: list[str], stems: list[str], piece_ids, piece_vecs) -> dict:
    arrays = {k: v.detach().numpy().astype(np.float16) for k, v in net.state_dict().items()}
    arrays["words"] = np.array("\n".join(words))
    arrays["stems"] = np.array("\n".join(stems))
    arrays["piece_ids"] = piece_ids
    arrays["piece_vecs"] = piece_vecs
    arrays["buckets"] = np.array(cfg["buckets"], dtype=np.int32)
    arrays["dilations"] = np.array(cfg["dilations"], dtype=np.int32)
    return arrays


def tagger_from_arrays(arrays: dict, featurizer: Featurizer) -> NeuralTagger:
    arrays = dict(arrays)
    words = str(arrays.pop("words")).split("\n")
    stems = str(arrays.pop("stems")).split("\n")
    types = WordTypes(featurizer, {w: i + 2 for i, w in enumerate(words) if w},
                      {s: i + 2 for i, s in enumerate(stems) if s},
                      arrays.pop("piece_ids"), arrays.pop("piece_vecs"), int(arrays.pop("buckets")))
    return NeuralTagger(arrays, types)


def train_neural(sentences: list[Sentence], features: str | Path, out: str | Path | None = None,
                 dev: list[Sentence] | None = None, verbose: bool = True,
                 pieces: tuple[np.ndarray, np.ndarray] | None = None, **overrides) -> dict:
    """Train on `sentences`; returns the exported arrays (and writes them to `out`)."""
    import torch

    from marsad.evaluate.ner import iob_spans, score_spans

    cfg = {**DEFAULTS, **overrides}
    torch.manual_seed(cfg["seed"])
    rng = np.random.default_rng(cfg["seed"])
    random.seed(cfg["seed"])
    torch.set_num_threads(2)
    featurizer = Featurizer(FeatureResources.load(Path(features)))
    piece_ids, piece_vecs = pieces if pieces is not None else piece_table(cfg["pca"], cfg["seed"])
    words, stems = _vocab(sentences, featurizer, cfg["min_count"])
    types = WordTypes(featurizer, {w: i + 2 for i, w in enumerate(words)},
                      {s: i + 2 for i, s in enumerate(stems)}, piece_ids, piece_vecs, cfg["buckets"])
    data = _Data(sentences, types)
    net = _build_net(len(words) + 2, len(stems) + 2, types.dense_dim, cfg)
    allowed, allowed_start = (torch.from_numpy(a) for a in allowed_transitions())
    opt = torch.optim.Adam(net.parameters(), lr=cfg["lr"], weight_decay=cfg["weight_decay"])
    order = sorted(range(len(sentences)), key=lambda i: len(sentences[i][0]))
    batches = [order[k:k + cfg["batch"]] for k in range(0, len(order), cfg["batch"])]
    total = cfg["epochs"] * len(batches)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=cfg["lr"], total_steps=total,
                                                pct_start=0.1)
    t0 = time.time()
    history = []
    for epoch in range(cfg["epochs"]):
        net.train()
        random.shuffle(batches)
        loss_sum = 0.0
        for idx in batches:
            wid, sid, ng, dense, mask, tags = data.batch(idx, cfg["word_dropout"], rng)
            em = net(wid, sid, ng, dense, mask)
            loss = _crf_nll(em, tags, mask, net, allowed, allowed_start)
            opt.zero_grad()
            (loss / mask.sum()).backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 5.0)
            opt.step()
            sched.step()
            loss_sum += float(loss.detach())
        msg = f"epoch {epoch + 1} loss {loss_sum / sum(len(s[0]) for s in sentences):.4f} {time.time() - t0:.0f}s"
        if dev is not None and (epoch + 1) % 5 == 0 or dev is not None and epoch + 1 == cfg["epochs"]:
            net.eval()
            tagger = tagger_from_arrays(export(net, cfg, words, stems, piece_ids, piece_vecs),
                                        featurizer)
            pred = [t for t, _ in tagger.tag([w for w, _ in dev])]
            res = score_spans([iob_spans(t) for _, t in dev], [iob_spans(p) for p in pred])
            history.append((epoch + 1, res["micro_f1"]))
            msg += f" dev {res['micro_f1']:.4f} {res['per_type']}"
        if verbose:
            print(msg, flush=True)
    net.eval()
    arrays = export(net, cfg, words, stems, piece_ids, piece_vecs)
    arrays["_history"] = history  # type: ignore[assignment]
    if out is not None:
        np.savez_compressed(out, **{k: v for k, v in arrays.items() if not k.startswith("_")})
    return arrays
