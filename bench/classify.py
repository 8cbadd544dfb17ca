"""Benchmark the AI classifier: quality on held-out real records, and throughput (CPU and GPU).

    python bench/classify.py prepare                       # CPU: labelled real records + fp16 MiniLM -> build/classify/
    nice python bench/classify.py quality --preset cpu     # CPU: train outer/inner/subfields, score held-out
    python bench/classify.py throughput --device cpu       # CPU: train/inference documents/s
    python bench/classify.py gpu --out $OUT                # on the GPU: quality (preset gpu) + throughput + projection
    python bench/classify.py collect --dir <files_at>      # merge GPU results into bench/results/
    python bench/classify.py summary                       # classify-quality.json: per-source table of both runs

Quality. The labelled records are the real ones of ../shared/data with the weak labels of
innograph.models.labels. A fixed, stratified (dataset x rule x label) 20% is held out before any
training; BERT_outer and BERT_inner (innograph.models.hierarchy) and the subfield head are trained on
the other 80% only, and all three (plus the screen) are scored on the held-out part, per dataset and
per label rule. These are WEAK labels, not independent manual judgments.

Throughput. CPU: the offline all-MiniLM-L6-v2 (real weights). GPU: BERT-base (12 layers, 768 wide,
110M parameters) built from a config with random weights on the device (weights do not travel;
throughput does not depend on weight values), bf16 autocast, texts sorted by length, dynamic
padding. Token lengths are those of the real labelled records (title + abstract, truncated at
`max_length`), resampled to the number of documents measured. Model FLOPs: 2 * params_nonembedding
* tokens (forward) + attention 4 * layers * hidden * sum(len^2); training = 3x forward. MFU against
the dense bf16 peak of the device (H200 SXM and H100 SXM: 989.4 TFLOP/s; H200 is an H100 with more
HBM, same tensor cores).

Results: bench/results/classify-quality-<preset>.json, classify-throughput-<device>.json,
classify-*.png and a line per run in bench/results/classify.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
RESULTS = REPO / "bench" / "results"
BUILD = REPO / "build" / "classify"
SHARED = Path(os.environ.get("INNOGRAPH_SHARED_DATA", REPO.parent / "shared" / "data"))
PEAK_BF16 = {"H100": 989.4e12, "H200": 989.4e12, "A100": 312e12}
PRESETS = {
    # CPU (2 shared cores): bounded steps, short texts, subsampled scoring
    "cpu": dict(max_length=128, batch_size=16, outer_per_class=150, inner_per_class=400, max_epochs=2,
                max_steps=80, eval_every=20, score_limit=1200, heldout_limit=1200, sub_records=300,
                sub_max_steps=40, learning_rate=5e-5, cpu_threads=1),
    # GPU: the whole training pool, the paper's lr, longer texts
    "gpu": dict(max_length=256, batch_size=32, outer_per_class=2000, inner_per_class=6000, max_epochs=4,
                max_steps=None, eval_every=None, score_limit=None, heldout_limit=None, sub_records=None,
                sub_max_steps=None, learning_rate=2e-5, cpu_threads=None),
    # smoke test of this script
    "tiny": dict(max_length=32, batch_size=8, outer_per_class=16, inner_per_class=24, max_epochs=1,
                 max_steps=4, eval_every=2, score_limit=80, heldout_limit=60, sub_records=24,
                 sub_max_steps=3, learning_rate=1e-4, cpu_threads=1),
}


def machine() -> dict:
    info = {"python": platform.python_version(), "platform": platform.platform()}
    try:
        info["lscpu"] = subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines()[:15]
    except OSError:
        pass
    try:
        with open("/proc/meminfo") as fh:
            info["mem_total"] = fh.readline().split(":")[1].strip()
    except OSError:
        pass
    try:
        import torch

        info["torch"] = torch.__version__
        if torch.cuda.is_available():
            info["gpu"] = torch.cuda.get_device_name(0)
            info["gpu_memory_gb"] = round(torch.cuda.get_device_properties(0).total_memory / 2**30, 1)
    except ImportError:
        pass
    info["loadavg"] = os.getloadavg()
    return info


# ---------------------------------------------------------------------------------------------
# prepare (CPU): what the GPU run needs, small enough to travel


def prepare(args) -> None:
    import pandas as pd
    import torch
    from transformers import AutoModel, AutoTokenizer

    from innograph.models.bert import default_model_path
    from innograph.models.hierarchy import document_texts
    from innograph.models.labels import load_real_documents, weak_labels

    BUILD.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    labelled = weak_labels(load_real_documents(SHARED))
    keep = ["id", "kind", "dataset", "label", "label_rule", "screen_ai", "screen_subfields", "ipc", "cpc",
            "arxiv_categories", "search_queries"]
    table = labelled[keep].copy()
    table["text"] = document_texts(labelled)
    tok = AutoTokenizer.from_pretrained(default_model_path())
    table["n_tokens"] = [len(x) for x in tok(table["text"].tolist(), truncation=True, max_length=512)["input_ids"]]
    table.to_parquet(BUILD / "labelled.parquet", index=False)
    print(f"labelled records: {len(table)} ({time.perf_counter() - t0:.1f} s); labels:",
          table["label"].value_counts(dropna=False).to_dict())
    # fp16 copy of the offline MiniLM so it fits the 64 MiB transfer (loaded back as fp32)
    # the encoder only: fit adds a fresh classification head of the size it needs
    model = AutoModel.from_pretrained(default_model_path())
    out = BUILD / "minilm-fp16"
    shutil.rmtree(out, ignore_errors=True)
    model.to(torch.float16).save_pretrained(out)
    tok.save_pretrained(out)
    size = sum(f.stat().st_size for f in out.iterdir())
    print(f"{out}: {size / 2**20:.1f} MiB")


def load_labelled():
    import pandas as pd

    path = BUILD / "labelled.parquet"
    if not path.exists():
        raise SystemExit(f"{path} missing: run `python bench/classify.py prepare` first")
    return pd.read_parquet(path)


# ---------------------------------------------------------------------------------------------
# quality


def _model_source(args) -> str:
    from innograph.models.bert import default_model_path

    local = BUILD / "minilm-fp16"
    if args.model:
        return args.model
    try:
        return default_model_path()
    except RuntimeError:
        return str(local)


def quality(args) -> dict:
    import pandas as pd

    from innograph.models.bert import BertClassifier
    from innograph.models.evaluation import multilabel_report, report_by_group
    from innograph.models.hierarchy import DualBertClassifier, balanced_sample
    from innograph.models.splits import stratified_split
    from innograph.models.subfields import SUBFIELDS, fit_subfields, subfield_classifier, subfield_matrix

    p = dict(PRESETS[args.preset])
    device = args.device
    source = _model_source(args)
    started = time.perf_counter()
    data = load_labelled()
    data = data[data["label"].notna()].reset_index(drop=True)
    data["label"] = data["label"].astype(int)
    strata = data["dataset"] + "|" + data["label_rule"] + "|" + data["label"].astype(str)
    pool_idx, held_idx = stratified_split(strata.to_numpy(), (0.8, 0.2), seed=args.seed)
    pool, held = data.iloc[pool_idx].reset_index(drop=True), data.iloc[held_idx].reset_index(drop=True)
    if p["heldout_limit"] and len(held) > p["heldout_limit"]:  # CPU budget: even over dataset x label
        take = balanced_sample(held["label"], held["dataset"], p["heldout_limit"] // 2, seed=args.seed)
        held = held.iloc[take].reset_index(drop=True)

    def bert(**extra):
        return BertClassifier(source, max_length=p["max_length"], batch_size=p["batch_size"],
                              eval_batch_size=256 if device != "cpu" else 32, learning_rate=p["learning_rate"],
                              max_epochs=p["max_epochs"], max_steps=p["max_steps"], eval_every=p["eval_every"],
                              patience=3, device=device, seed=args.seed, progress=not args.quiet,
                              cpu_threads=p["cpu_threads"], **extra)

    dual = DualBertClassifier(bert(), bert(), outer_per_class=p["outer_per_class"],
                              inner_per_class=p["inner_per_class"], score_limit=p["score_limit"], seed=args.seed)
    t = time.perf_counter()
    dual.fit(pool["text"].tolist(), pool["label"].to_numpy(), pool["screen_ai"].to_numpy(), pool["dataset"].to_numpy())
    train_s = time.perf_counter() - t

    t = time.perf_counter()
    inner_score = dual.predict_proba(held["text"].tolist())
    infer_s = time.perf_counter() - t
    outer_score = dual._ai_proba(dual.outer_, held["text"].tolist())
    y = held["label"].to_numpy()
    screen = held["screen_ai"].to_numpy().astype(float)

    # subfields: AI records of the pool / held-out part with weak subfield labels
    sub_pool, Y_pool = subfield_matrix(pool)
    sub_held, Y_held = subfield_matrix(held)
    if p["sub_records"] and len(sub_pool) > p["sub_records"]:
        keep = np.sort(np.random.default_rng(args.seed).choice(len(sub_pool), p["sub_records"], replace=False))
        sub_pool, Y_pool = sub_pool.iloc[keep].reset_index(drop=True), Y_pool[keep]
    sub_model = subfield_classifier(model_name=source, max_length=p["max_length"], batch_size=p["batch_size"],
                                    eval_batch_size=256 if device != "cpu" else 32,
                                    learning_rate=max(p["learning_rate"], 5e-5), max_epochs=p["max_epochs"] + 2,
                                    max_steps=p["sub_max_steps"], eval_every=p["eval_every"], device=device,
                                    seed=args.seed, progress=not args.quiet, cpu_threads=p["cpu_threads"])
    t = time.perf_counter()
    fit_subfields(sub_model, sub_pool["text"], Y_pool)
    sub_train_s = time.perf_counter() - t
    sub_scores = sub_model.predict_proba(sub_held["text"].tolist()) if len(sub_held) else np.zeros((0, 7))
    sub_frame = sub_held[["id", "dataset"]].copy()
    for j, name in enumerate(SUBFIELDS):
        sub_frame[f"weak_{name}"] = Y_held[:, j]
        sub_frame[f"score_{name}"] = sub_scores[:, j]
    prior = np.tile(Y_pool.mean(axis=0), (len(sub_held), 1))  # baseline: label frequencies

    groups = held["dataset"].to_numpy()
    rules = held["label_rule"].to_numpy()
    result = {
        "what": "weak labels on held-out real records (not manual judgments)",
        "preset": args.preset, "params": p, "model": str(args.model or "all-MiniLM-L6-v2 (offline)"),
        "device": device, "seed": args.seed, "machine": machine(),
        "records": {"labelled": int(len(data)), "pool": int(len(pool)), "held_out": int(len(held)),
                    "held_out_by_dataset_label": {f"{d}|{lab}": int(c) for (d, lab), c in
                                                  held.groupby(["dataset", "label"]).size().items()}},
        "selection": dual.selection_,
        "training": {"outer": {"steps": dual.outer_.n_steps_, "best_step": dual.outer_.best_step_,
                               "stopped_early": dual.outer_.stopped_early_, "history": dual.outer_.history_,
                               "seconds": round(dual.outer_.train_seconds_, 1)},
                     "inner": {"steps": dual.inner_.n_steps_, "best_step": dual.inner_.best_step_,
                               "stopped_early": dual.inner_.stopped_early_, "history": dual.inner_.history_,
                               "seconds": round(dual.inner_.train_seconds_, 1)},
                     "total_seconds": round(train_s, 1), "n_parameters": dual.inner_.n_parameters_},
        "inner_test_split": dual.test_report_,
        "outer_on_unseen_pool": dual.outer_report_,
        "held_out": {
            "inner_by_dataset": report_by_group(y, inner_score, groups),
            "inner_by_rule": report_by_group(y, inner_score, rules),
            "outer_by_dataset": report_by_group(y, outer_score, groups),
            "screen_by_dataset": report_by_group(y, screen, groups),
        },
        "held_out_inference": {"documents": int(len(held)), "seconds": round(infer_s, 2),
                               "documents_per_s": round(len(held) / infer_s, 1)},
        "subfields": {"train_records": int(len(sub_pool)), "held_out_records": int(len(sub_held)),
                      "train_seconds": round(sub_train_s, 1), "steps": sub_model.n_steps_,
                      "best_step": sub_model.best_step_, "stopped_early": sub_model.stopped_early_,
                      "history": sub_model.history_, "pos_weight": sub_model.pos_weight,
                      "train_label_counts": dict(zip(SUBFIELDS, Y_pool.sum(axis=0).tolist())),
                      "model": multilabel_report(Y_held, sub_scores, SUBFIELDS) if len(sub_held) else None,
                      "prior_baseline": multilabel_report(Y_held, prior, SUBFIELDS) if len(sub_held) else None},
        "bar": {"paper_manual_set": {"accuracy": 0.908, "ai_precision": 0.807, "ai_recall": 0.992, "ai_f1": 0.900},
                "patentsberta_paper": {"precision": 0.97, "recall": 0.91}},
        "seconds": round(time.perf_counter() - started, 1),
    }
    out = Path(args.out) if args.out else RESULTS
    out.mkdir(parents=True, exist_ok=True)
    tag = f"classify-quality-{args.preset}"
    scores = held[["id", "dataset", "label_rule", "label"]].assign(inner=inner_score, outer=outer_score, screen=screen)
    scores.to_csv(out / f"{tag}-scores.csv", index=False)
    sub_frame.to_csv(out / f"{tag}-subfield-scores.csv", index=False)
    (out / f"{tag}.json").write_text(json.dumps(result, indent=2, default=_jsonable))
    try:
        figures(out / f"{tag}-scores.csv", out / f"{tag}.json", out)
    except ImportError as exc:  # matplotlib is not on the GPU machine: `collect` draws them
        print("figures skipped:", exc)
    print(summary_line(result))
    if args.save_model:
        dual.save(args.save_model)
        sub_model.save(Path(args.save_model) / "subfields")
    return result


def figures(scores_csv, result_json, out) -> None:
    """PR curves, confusion counts and per-class F1 of a quality run, from its saved scores."""
    import pandas as pd

    from innograph.models.evaluation import plot_confusion, plot_per_class, plot_pr_curves

    scores = pd.read_csv(scores_csv)
    result = json.loads(Path(result_json).read_text())
    tag = Path(result_json).stem
    y, groups = scores["label"].to_numpy(), scores["dataset"].to_numpy()
    curves = {g: (y[groups == g], scores["inner"].to_numpy()[groups == g]) for g in sorted(set(groups))}
    curves["all (BERT_inner)"] = (y, scores["inner"].to_numpy())
    curves["all (BERT_outer)"] = (y, scores["outer"].to_numpy())
    preset = result["preset"]
    plot_pr_curves(curves, Path(out) / f"{tag}-pr.png", title=f"PR curves, held-out weak labels ({preset})")
    plot_confusion(result["held_out"]["inner_by_dataset"]["all"], Path(out) / f"{tag}-confusion.png",
                   title=f"BERT_inner on held-out ({preset})")
    plot_per_class(result["held_out"]["inner_by_dataset"], Path(out) / f"{tag}-f1.png",
                   title=f"Per-class F1 by dataset, held-out ({preset})")


def _jsonable(o):
    if isinstance(o, (np.integer,)):
        return int(o)
    if isinstance(o, (np.floating,)):
        return float(o)
    if isinstance(o, np.ndarray):
        return o.tolist()
    return str(o)


def summary_line(r: dict) -> str:
    a = r["held_out"]["inner_by_dataset"]["all"]
    ai = a["classes"]["AI"]
    return (f"quality[{r['preset']}/{r['device']}]: held-out n={a['n']} acc={a['accuracy']:.3f} "
            f"AI P={ai['precision']:.3f} R={ai['recall']:.3f} F1={ai['f1']:.3f} AUPRC={a['auprc']:.3f}; "
            f"train {r['training']['total_seconds']} s")


# ---------------------------------------------------------------------------------------------
# throughput


def model_flops(config, lengths: np.ndarray, n_params_nonembed: int) -> float:
    """Forward FLOPs of an encoder over texts of `lengths` tokens (no padding counted)."""
    tokens = float(lengths.sum())
    attn = 4.0 * config.num_hidden_layers * config.hidden_size * float((lengths.astype(np.float64) ** 2).sum())
    return 2.0 * n_params_nonembed * tokens + attn


def _nonembedding(model) -> int:
    return sum(p.numel() for n, p in model.named_parameters() if "embeddings" not in n)


def throughput(args) -> dict:
    import torch
    from transformers import AutoConfig, BertConfig

    from innograph.models.bert import BertClassifier

    device = args.device
    data = load_labelled()
    real_lengths = data["n_tokens"].to_numpy()
    rng = np.random.default_rng(0)
    gpu = device.startswith("cuda")
    runs = []
    if gpu or args.gpu_cases:
        base = BertConfig()  # bert-base-uncased architecture: 12 x 768, 110M parameters
        cases = [("bert-base (random weights)", base, L) for L in (128, 256, 512)]
        cases += [("bert-base (random weights), training batch 128", base, 256)]
        cases += [("all-MiniLM-L6-v2 (fp16 copy)", str(BUILD / "minilm-fp16"), 256)]
        n_infer, n_train_steps, train_batch, infer_batch = args.n_docs, args.train_steps or 100, 32, 512
        if args.gpu_cases and not gpu:  # dry run of the GPU command on CPU, tiny sizes
            cases = [(lab, src, 32) for lab, src, _ in cases[:2]]
            train_batch, infer_batch = 4, 16
    else:
        mini = _model_source(args)
        cases = [("all-MiniLM-L6-v2", mini, 128), ("all-MiniLM-L6-v2", mini, 256)]
        if args.with_bert_base:
            cases.append(("bert-base (random weights)", BertConfig(), 128))
        n_infer, n_train_steps, train_batch, infer_batch = args.n_docs, args.train_steps or 6, 16, 32
    peak = None
    if gpu:
        name = torch.cuda.get_device_name(0)
        peak = next((v for k, v in PEAK_BF16.items() if k in name), None)
    for label, source, max_len in cases:
        batch = 128 if "batch 128" in label and gpu else train_batch
        steps = max(n_train_steps * train_batch // batch, 2)
        try:
            runs.append(_one_case(args, data, real_lengths, rng, gpu, peak, label, source, max_len,
                                  n_infer if "batch 128" not in label else min(n_infer, 20000), steps, batch,
                                  infer_batch))
        except Exception as exc:  # one failing case must not lose the others
            runs.append({"model": label, "max_length": max_len, "error": repr(exc)})
            print("FAILED", label, max_len, repr(exc), flush=True)
        if gpu:
            torch.cuda.empty_cache()
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(BUILD / "minilm-fp16"))
    texts = data["text"].tolist()
    texts = (texts * (1 + args.n_docs // len(texts)))[: max(args.n_docs // 5, 1000)]
    t = time.perf_counter()
    for b in range(0, len(texts), 4096):
        tok(texts[b:b + 4096], truncation=True, max_length=256, padding=False)
    tok_s = time.perf_counter() - t
    tokenize = {"documents": len(texts), "seconds": round(tok_s, 2), "documents_per_s": round(len(texts) / tok_s, 1),
                "note": "HF fast tokenizer, batches of 4096, all CPU cores of the machine, max_length 256"}
    print("tokenize", tokenize, flush=True)
    result = {"device": device, "machine": machine(), "runs": runs, "tokenize": tokenize,
              "flops_formula": "forward = 2 * non-embedding params * tokens + 4 * layers * hidden * sum(len^2); "
                               "training = 3 x forward; tokens = real (unpadded) lengths",
              "peak_note": "dense bf16 peak of H100/H200 SXM: 989.4 TFLOP/s (H200 = H100 compute, more HBM)",
              "lengths_note": "token lengths of the real labelled records (title + abstract), resampled"}
    out = Path(args.out) if args.out else RESULTS
    out.mkdir(parents=True, exist_ok=True)
    tag = "gpu" if gpu else "cpu"
    (out / f"classify-throughput-{tag}.json").write_text(json.dumps(result, indent=2, default=_jsonable))
    return result


def _one_case(args, data, real_lengths, rng, gpu, peak, label, source, max_len, n_infer, n_train_steps,
              train_batch, infer_batch) -> dict:
    """Training and inference throughput of one model at one max_length."""
    import torch

    from innograph.models.bert import BertClassifier

    tokenizer = None if isinstance(source, str) else str(BUILD / "minilm-fp16")  # bert-base-uncased vocabulary
    clf = BertClassifier(source, tokenizer=tokenizer,
                         max_length=max_len, batch_size=train_batch, eval_batch_size=infer_batch,
                         max_epochs=1, max_steps=n_train_steps, eval_every=10**9, device=args.device,
                         progress=False, cpu_threads=args.cpu_threads)
    # training throughput: real texts, labels from the weak rules (values do not matter for speed)
    sample = data[data["label"].notna()].sample(n_train_steps * train_batch + 8, random_state=0, replace=True)
    X, y = sample["text"].tolist(), sample["label"].astype(int).to_numpy()
    n_tr = n_train_steps * train_batch
    if gpu:
        torch.cuda.synchronize()
    clf.fit(X[:n_tr], y[:n_tr], X[n_tr:], y[n_tr:])
    if gpu:
        torch.cuda.synchronize()
    # includes the first steps' warm-up (kernel selection) and one validation pass over 8 texts
    train_s = clf.train_seconds_
    train_docs_s = n_tr / train_s
    cfg = clf.model_.config
    nonemb = _nonembedding(clf.model_)
    train_lengths = np.minimum(sample["n_tokens"].to_numpy()[:n_tr], max_len)
    train_flops = 3 * model_flops(cfg, train_lengths, nonemb)
    # inference throughput over n_infer documents with the real length distribution
    lengths = np.minimum(rng.choice(real_lengths, n_infer), max_len)
    pool = rng.integers(1000, 30000, size=int(lengths.sum()))  # random token ids, real lengths
    ends = np.cumsum(lengths)
    ids = [pool[e - L:e] for e, L in zip(ends, lengths)]
    clf._forward_scores(ids[: infer_batch * 2], progress=False)  # warm-up
    if gpu:
        torch.cuda.synchronize()
    t = time.perf_counter()
    clf._forward_scores(ids, progress=False)
    if gpu:
        torch.cuda.synchronize()
    infer_s = time.perf_counter() - t
    infer_flops = model_flops(cfg, lengths, nonemb)
    run = {"model": label, "parameters": clf.n_parameters_, "parameters_nonembedding": nonemb,
           "max_length": max_len, "precision": clf.precision_, "device": args.device,
           "train": {"documents": n_tr, "batch": train_batch, "steps": clf.n_steps_, "seconds": round(train_s, 2),
                     "documents_per_s": round(train_docs_s, 1),
                     "mean_tokens": float(train_lengths.mean()), "tokens_padded": clf.train_tokens_},
           "inference": {"documents": n_infer, "batch": infer_batch, "seconds": round(infer_s, 3),
                         "documents_per_s": round(n_infer / infer_s, 1),
                         "mean_tokens": float(lengths.mean()), "tokens_with_padding": clf.infer_tokens_,
                         "padding_overhead": round(clf.infer_tokens_ / float(lengths.sum()) - 1, 4)}}
    if peak:
        run["train"]["tflops"] = round(train_flops / train_s / 1e12, 2)
        run["train"]["mfu"] = round(train_flops / train_s / peak, 4)
        run["inference"]["tflops"] = round(infer_flops / infer_s / 1e12, 2)
        run["inference"]["mfu"] = round(infer_flops / infer_s / peak, 4)
        run["peak_bf16_flops"] = peak
    run["projection_5_9M_documents_minutes"] = round(5.9e6 / (n_infer / infer_s) / 60, 1)
    print(json.dumps({k: run[k] for k in ("model", "max_length", "train", "inference",
                                          "projection_5_9M_documents_minutes")}), flush=True)
    del clf
    return run


def gpu(args) -> None:
    """Everything for one device call: throughput first (the number that matters most), then quality."""
    args.device = "cuda"
    throughput(args)
    args.preset = "gpu"
    try:
        quality(args)
    except Exception as exc:
        import traceback

        traceback.print_exc()
        Path(args.out or RESULTS, "classify-quality-gpu-error.txt").write_text(repr(exc))


def collect(args) -> None:
    src = Path(args.dir)
    for f in sorted(src.rglob("classify-*")):
        shutil.copy(f, RESULTS / f.name)
        print("copied", f.name)
    for f in sorted(RESULTS.glob("classify-quality-*-scores.csv")):
        if "subfield" in f.name:
            continue
        figures(f, f.with_name(f.name.replace("-scores.csv", ".json")), RESULTS)


HAND_READ = {  # samples read by the author of this benchmark (title + abstract start), see classify.md
    "gp_ai_query": {"read": 30, "doubtful_or_not_ai": 5},
    "pv_query_neural_network": {"read": 20, "not_ai": 1},
    "gp_broad_query_screen": {"read": 25, "ai_missed_by_screen": "1-2"},
}


def summary(args) -> None:
    """bench/results/classify-quality.json: per-source held-out scores of both runs, label noise, the bar."""
    from innograph.models.labels import agreement

    def per_source(path):
        r = json.loads(Path(path).read_text())
        rows = {}
        for name, a in r["held_out"]["inner_by_dataset"].items():
            rows[name] = {"n": a["n"], "n_ai": a["n_positive"], "accuracy": a["accuracy"],
                          "ai_precision": a["classes"]["AI"]["precision"], "ai_recall": a["classes"]["AI"]["recall"],
                          "ai_f1": a["classes"]["AI"]["f1"], "non_ai_precision": a["classes"]["non-AI"]["precision"],
                          "non_ai_recall": a["classes"]["non-AI"]["recall"], "auprc": a["auprc"]}
        return {"run": Path(path).name, "device": r["device"], "params": r["params"], "per_source": rows,
                "outer_all": r["held_out"]["outer_by_dataset"]["all"]["accuracy"],
                "screen_all": r["held_out"]["screen_by_dataset"]["all"]["accuracy"],
                "inner_own_test_split_accuracy": r["inner_test_split"]["accuracy"],
                "subfields_macro_f1": (r["subfields"]["model"] or {}).get("macro_f1"),
                "subfields_baseline_macro_f1": (r["subfields"]["prior_baseline"] or {}).get("macro_f1")}

    labelled = load_labelled()
    noise = agreement(labelled).drop(columns=["with_abstract"]).to_dict("records")
    out = {"what": "BERT_inner on held-out real records (20%, stratified), scored against WEAK labels - "
                   "not independent manual judgments",
           "runs": [per_source(RESULTS / f"classify-quality-{p}.json") for p in ("gpu", "cpu")
                    if (RESULTS / f"classify-quality-{p}.json").exists()],
           "label_noise": {"agreement_with_screen_per_rule": noise, "hand_read_samples": HAND_READ},
           "bar": {"paper_manual_set": {"accuracy": 0.908, "ai_precision": 0.807, "ai_recall": 0.992, "ai_f1": 0.900},
                   "patentsberta_paper": {"precision": 0.97, "recall": 0.91}}}
    (RESULTS / "classify-quality.json").write_text(json.dumps(out, indent=2, default=_jsonable))
    print("wrote", RESULTS / "classify-quality.json")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    sub.add_parser("prepare")
    q = sub.add_parser("quality")
    q.add_argument("--preset", choices=list(PRESETS), default="cpu")
    q.add_argument("--device", default="cpu")
    q.add_argument("--save-model", default=None)
    for s in (q, sub.add_parser("throughput"), sub.add_parser("gpu")):
        s.add_argument("--out", default=None)
        s.add_argument("--model", default=None)
        s.add_argument("--seed", type=int, default=0)
        s.add_argument("--quiet", action="store_true")
        s.add_argument("--n-docs", type=int, default=200)
        s.add_argument("--cpu-threads", type=int, default=None)
        s.add_argument("--with-bert-base", action="store_true")
        s.add_argument("--gpu-cases", action="store_true", help="the GPU model list at tiny sizes (dry run on CPU)")
        s.add_argument("--train-steps", type=int, default=None)
        s.add_argument("--device", default="cpu") if s is not q else None
        s.add_argument("--save-model", default=None) if s is not q else None
        s.add_argument("--preset", choices=list(PRESETS), default="gpu") if s is not q else None
    sub.add_parser("summary")
    c = sub.add_parser("collect")
    c.add_argument("--dir", required=True)
    args = ap.parse_args(argv)
    {"prepare": prepare, "quality": quality, "throughput": throughput, "gpu": gpu, "collect": collect,
     "summary": summary}[args.cmd](args)


if __name__ == "__main__":
    main()
