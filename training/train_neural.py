"""Training the fast tagger's neural half with PyTorch (training only; inference is numpy).

    from training.train_neural import train_neural
    train_neural(sentences, "ner_features.npz", "ner_neural.npz")

Needs `torch` (CPU is enough: about 3 minutes on two cores for the shipped data); the
exported `.npz` holds float16 weights and the word, stem and affix vocabularies.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from pathlib import Path

import numpy as np

from marsad.knowledge.ner.features import FeatureResources, Featurizer
from marsad.knowledge.ner.neural import (
    CLUSTER_SETS,
    TAG_INDEX,
    TAGS,
    UNK,
    WORD_BITS,
    WordTypes,
    affix_keys,
    allowed_transitions,
    tagger_from_arrays,
)

Sentence = tuple[list[str], list[str]]

DEFAULTS = {"wdim": 64, "udim": 32, "adim": 32, "hidden": 128, "dilations": (1, 2),
            "dropout": 0.3, "word_dropout": 0.3, "epochs": 15, "lr": 2e-3, "batch": 32,
            "min_count": 2, "seed": 0, "weight_decay": 0.0, "word_vectors": True}


def _vocab(sentences: list[Sentence], featurizer: Featurizer, min_count: int) -> dict[str, list[str]]:
    words: Counter[str] = Counter()
    stems: Counter[str] = Counter()
    affixes: Counter[str] = Counter()
    for ws, _ in sentences:
        for w in ws:
            attrs = featurizer.word_info(w)[1]
            words[attrs["w"]] += 1
            stems[attrs.get("s", "")] += 1
    for w in {w for ws, _ in sentences for w in ws}:  # affixes count word types
        affixes.update(affix_keys(featurizer.word_info(w)[0]))

    def frequent(counts: Counter[str]) -> list[str]:
        return sorted(k for k, c in counts.items() if c >= min_count and k)

    return {"words": frequent(words), "stems": frequent(stems), "affixes": frequent(affixes)}


def _build_net(sizes: dict[str, int], cluster_rows: list[int], n_marks: int, cfg: dict):
    import torch
    from torch import nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.wemb = nn.Embedding(sizes["words"] + 2, cfg["wdim"])
            self.semb = nn.Embedding(sizes["stems"] + 2, cfg["wdim"])
            self.cemb = nn.ModuleList(nn.Embedding(rows, cfg["udim"]) for rows in cluster_rows)
            self.aemb = nn.Embedding(sizes["affixes"] + 1, cfg["adim"], padding_idx=0)
            width = 2 * cfg["wdim"] + CLUSTER_SETS * cfg["udim"] + cfg["adim"]
            self.inp = nn.Linear(width + len(WORD_BITS) + cfg["vector_dims"] + n_marks,
                                 cfg["hidden"])
            self.convs = nn.ModuleList(
                nn.Conv1d(cfg["hidden"], cfg["hidden"], 3, padding=d, dilation=d)
                for d in cfg["dilations"])
            self.out = nn.Linear(cfg["hidden"], len(TAGS))
            self.trans = nn.Parameter(torch.zeros(len(TAGS), len(TAGS)))
            self.start = nn.Parameter(torch.zeros(len(TAGS)))
            self.end = nn.Parameter(torch.zeros(len(TAGS)))
            self.drop = nn.Dropout(cfg["dropout"])

        def forward(self, ids, affixes, bits, mask):
            parts = [self.wemb(ids[..., 0]), self.semb(ids[..., 1])]
            parts += [table(ids[..., 2 + k]) for k, table in enumerate(self.cemb)]
            parts += [self.aemb(affixes).sum(2), bits]
            h = torch.relu(self.inp(self.drop(torch.cat(parts, -1)))) * mask
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
        self.ids, self.affixes, self.bits = types.describe(uniq)
        self.sentences = sentences
        self.marks = [types.marks(ws) for ws, _ in sentences]

    def batch(self, idx: list[int], word_dropout: float, rng: np.random.Generator):
        import torch

        n = max(len(self.sentences[i][0]) for i in idx)
        b = len(idx)
        tix = np.zeros((b, n), dtype=np.int64)
        tags = np.zeros((b, n), dtype=np.int64)
        mask = np.zeros((b, n, 1), dtype=np.float32)
        marks = np.zeros((b, n, self.marks[0].shape[1]), dtype=np.float32)
        for r, i in enumerate(idx):
            ws, ts = self.sentences[i]
            tix[r, :len(ws)] = [self.type_index[w] for w in ws]
            tags[r, :len(ws)] = [TAG_INDEX[t] for t in ts]
            mask[r, :len(ws)] = 1
            marks[r, :len(ws)] = self.marks[i]
        ids = self.ids[tix]
        if word_dropout:  # forget the word and stem, so the rest of the input must carry it
            for col in (0, 1):
                ids[..., col] = np.where(rng.random(ids.shape[:2]) < word_dropout, UNK, ids[..., col])
        bits = np.concatenate([self.bits[tix], marks], axis=2)
        return (torch.from_numpy(ids), torch.from_numpy(self.affixes[tix]), torch.from_numpy(bits),
                torch.from_numpy(mask), torch.from_numpy(tags))


def export(net, cfg: dict, vocab: dict[str, list[str]]) -> dict:
    arrays = {k: v.detach().numpy().astype(np.float16) for k, v in net.state_dict().items()}
    for key, values in vocab.items():
        arrays[key] = np.array("\n".join(values))
    arrays["dilations"] = np.array(cfg["dilations"], dtype=np.int32)
    arrays["vector_dims"] = np.array(cfg["vector_dims"], dtype=np.int32)
    return arrays


def train_neural(sentences: list[Sentence], features: str | Path, out: str | Path | None = None,
                 dev: list[Sentence] | None = None, verbose: bool = True, **overrides) -> dict:
    """Train on `sentences`; returns the exported arrays (and writes them to `out`)."""
    import torch

    from marsad.evaluate.ner import iob_spans, score_spans

    cfg = {**DEFAULTS, **overrides}
    torch.manual_seed(cfg["seed"])
    rng = np.random.default_rng(cfg["seed"])
    random.seed(cfg["seed"])
    torch.set_num_threads(2)
    featurizer = Featurizer(FeatureResources.load(Path(features)))
    featurizer.add_clusters([w for ws, _ in sentences for w in ws])
    vocab = _vocab(sentences, featurizer, cfg["min_count"])
    # the reduced encoder vectors, when the feature resource has them
    cfg["vector_dims"] = featurizer.res.vector_dims if cfg["word_vectors"] else 0
    types = WordTypes(featurizer, {w: i + 2 for i, w in enumerate(vocab["words"])},
                      {s: i + 2 for i, s in enumerate(vocab["stems"])},
                      {a: i + 1 for i, a in enumerate(vocab["affixes"])}, cfg["vector_dims"])
    data = _Data(sentences, types)
    # a cluster id k is row k + 1; row 0 is for words without clusters (digits, Latin)
    cluster_rows = [len(c) + 1 for c in featurizer.res.word_centroids]
    net = _build_net({k: len(v) for k, v in vocab.items()}, cluster_rows, len(types.mark_names), cfg)
    allowed, allowed_start = (torch.from_numpy(a) for a in allowed_transitions())
    opt = torch.optim.Adam(net.parameters(), lr=cfg["lr"], weight_decay=cfg["weight_decay"])
    order = sorted(range(len(sentences)), key=lambda i: len(sentences[i][0]))
    batches = [order[k:k + cfg["batch"]] for k in range(0, len(order), cfg["batch"])]
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=cfg["lr"],
                                                total_steps=cfg["epochs"] * len(batches),
                                                pct_start=0.1)
    t0 = time.time()
    n_tokens = sum(len(s[0]) for s in sentences)
    for epoch in range(cfg["epochs"]):
        net.train()
        random.shuffle(batches)
        loss_sum = 0.0
        for idx in batches:
            ids, affixes, bits, mask, tags = data.batch(idx, cfg["word_dropout"], rng)
            loss = _crf_nll(net(ids, affixes, bits, mask), tags, mask, net, allowed, allowed_start)
            opt.zero_grad()
            (loss / mask.sum()).backward()
            torch.nn.utils.clip_grad_norm_(net.parameters(), 5.0)
            opt.step()
            sched.step()
            loss_sum += float(loss.detach())
        msg = f"epoch {epoch + 1} loss {loss_sum / n_tokens:.4f} {time.time() - t0:.0f}s"
        if dev is not None and ((epoch + 1) % 5 == 0 or epoch + 1 == cfg["epochs"]):
            net.eval()
            tagger = tagger_from_arrays(export(net, cfg, vocab), featurizer)
            pred = [t for t, _ in tagger.tag([w for w, _ in dev])]
            res = score_spans([iob_spans(t) for _, t in dev], [iob_spans(p) for p in pred])
            msg += f" dev {res['micro_f1']:.4f} {res['per_type']}"
        if verbose:
            print(msg, flush=True)
    net.eval()
    arrays = export(net, cfg, vocab)
    if out is not None:
        np.savez_compressed(out, **arrays)
    return arrays
