"""CLI commands of the AI classification stack (issue 6): `screen` and `annotate` (the coarse
screen and LLM labels); `train`, `classify` and `evaluate` (the BERT classifiers) join them here.

Each command reads a documents table (`innograph ingest` -> WORK/documents.parquet) and writes one
Parquet table atomically (temp file, then `os.replace`).
"""

from __future__ import annotations

from pathlib import Path

import click

from innograph.errors import InputFormatError
from innograph.models.parts import open_documents, write_parquet_atomic, write_text_atomic


def read_documents(path: str, columns: list[str] | None = None):
    """The documents table at `path` as a DataFrame (only `columns` that exist, when given)."""
    pf = open_documents(path)
    names = pf.schema_arrow.names
    return pf.read(columns=[c for c in columns if c in names] if columns else None).to_pandas()


# ---------------------------------------------------------------------------------------------
@click.command("screen")
@click.option("--documents", type=click.Path(dir_okay=False), required=True,
              help="Documents table (WORK/documents.parquet).")
@click.option("--out", type=click.Path(dir_okay=False), required=True, help="Output Parquet (WORK/screen.parquet).")
@click.option("--ipc-table", type=click.Path(dir_okay=False), default=None,
              help="IPC table CSV (code, level, action, subfield, note); default: the shipped ai_screen_ipc.csv.")
@click.option("--keyword-table", type=click.Path(dir_okay=False), default=None,
              help="Keyword table CSV (term, subfield, strength, case_sensitive, note); default: ai_screen_keywords.csv.")
@click.option("--min-weak", type=int, default=2, show_default=True,
              help="Distinct weak terms that together mark a document AI.")
@click.option("--jobs", type=int, default=1, show_default=True, help="Processes (the screen is CPU-bound).")
@click.option("--batch-rows", type=int, default=50_000, show_default=True,
              help="Documents read at a time (memory stays flat at any input size).")
@click.option("--no-progress", is_flag=True, help="Hide the progress bar.")
def screen_cmd(documents: str, out: str, ipc_table, keyword_table, min_weak: int, jobs: int, batch_rows: int,
               no_progress: bool) -> None:
    """Coarse IPC + keyword AI screen: one row per document with screen_ai and the reason."""
    from innograph.models.screen import screen_file

    s = screen_file(documents, out, ipc_table, keyword_table, min_weak=min_weak, n_jobs=jobs,
                    batch_rows=batch_rows, progress=not no_progress)
    n = s.documents
    click.echo(f"screen {out}: {n:,} documents, {s.ai:,} AI ({s.ai / max(n, 1):.1%}), {n - s.ai:,} non-AI; "
               f"{s.with_ipc_hit:,} with an AI code, {s.with_term_hit:,} with an AI term; "
               f"{s.docs_per_s:,.0f} docs/s")
    for kind, c in sorted(s.by_kind.items()):
        click.echo(f"  {kind}: {c['documents']:,} documents, {c['ai']:,} AI")
    if s.subfields:
        click.echo("  subfields: " + ", ".join(f"{k} {v:,}" for k, v in sorted(s.subfields.items(), key=lambda kv: -kv[1])))


# ---------------------------------------------------------------------------------------------
@click.command("annotate")
@click.option("--documents", type=click.Path(dir_okay=False), required=True,
              help="Documents table (WORK/documents.parquet).")
@click.option("--out", type=click.Path(dir_okay=False), required=True, help="Output Parquet (WORK/llm.parquet).")
@click.option("--base-url", default=None, help="OpenAI-compatible endpoint, e.g. http://localhost:8000/v1 "
              "(default: OPENAI_BASE_URL or api.openai.com). The key comes from OPENAI_API_KEY.")
@click.option("--model", required=True, help="Model name at the endpoint.")
@click.option("--sample", type=int, default=None, help="Annotate N documents drawn at random (with text).")
@click.option("--screen", "screen_file", type=click.Path(dir_okay=False), default=None,
              help="Screen table: --sample draws half from its AI and half from its non-AI documents.")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of --sample and of the back-off jitter.")
@click.option("--concurrency", type=int, default=8, show_default=True, help="Requests in flight at most.")
@click.option("--cache", type=click.Path(dir_okay=False), default=None,
              help="SQLite answer cache (default: OUT with .cache.sqlite); reruns reuse it.")
@click.option("--prompt-file", type=click.Path(dir_okay=False), default=None,
              help="Prompt template with a {text} field (default: the paper's).")
@click.option("--timeout", type=float, default=60.0, show_default=True, help="Seconds per request.")
@click.option("--max-retries", type=int, default=6, show_default=True,
              help="Retries per request after 429/5xx/time-outs.")
@click.option("--max-malformed", type=int, default=2, show_default=True,
              help="Extra requests after an answer that is not a strict yes/no.")
@click.option("--price-prompt", type=float, default=0.0, show_default=True, help="USD per million prompt tokens.")
@click.option("--price-completion", type=float, default=0.0, show_default=True,
              help="USD per million completion tokens.")
@click.option("--retry-malformed", is_flag=True, help="Ask again documents cached with a malformed answer.")
@click.option("--no-progress", is_flag=True, help="Hide the progress bar.")
def annotate_cmd(documents: str, out: str, base_url, model: str, sample, screen_file, seed: int, concurrency: int,
                 cache, prompt_file, timeout: float, max_retries: int, max_malformed: int, price_prompt: float,
                 price_completion: float, retry_malformed: bool, no_progress: bool) -> None:
    """LLM labels (AI yes/no) for documents through an OpenAI-compatible chat endpoint, cached and
    resumable: an interrupted or repeated run pays only for what is not in the cache."""
    from innograph.models.llm import PAPER_PROMPT, LLMAnnotator, sample_documents

    template = Path(prompt_file).read_text(encoding="utf-8") if prompt_file else PAPER_PROMPT
    ann = LLMAnnotator(model, base_url=base_url, prompt_template=template, concurrency=concurrency,
                       max_retries=max_retries, max_malformed=max_malformed, timeout=timeout,
                       price_prompt=price_prompt, price_completion=price_completion,
                       cache=cache or str(Path(out).with_suffix(".cache.sqlite")), seed=seed)
    docs = read_documents(documents, ["id", "kind", "title", "abstract"])
    if sample is not None:
        screen = read_documents(screen_file, ["id", "screen_ai"]) if screen_file else None
        docs = sample_documents(docs, sample, seed=seed, screen=screen)
    table = ann.annotate(docs, progress=not no_progress, retry_malformed=retry_malformed)
    write_parquet_atomic(table, out)
    st = ann.stats_
    click.echo(f"annotate {out}: {st.documents:,} documents: {st.labelled:,} labelled ({st.ai:,} AI, "
               f"{st.labelled - st.ai:,} non-AI), {st.unlabelled:,} unlabelled ({st.malformed_final:,} malformed, "
               f"{st.failed:,} failed, {st.no_text:,} without text); {st.from_cache:,} from the cache")
    click.echo(f"  requests {st.requests:,} (answered {st.answered:,}, retries {st.retries:,}, 429s "
               f"{st.rate_limited:,}, 5xx {st.server_errors:,}, time-outs {st.timeouts:,}, malformed answers "
               f"{st.malformed_answers:,}); tokens {st.prompt_tokens:,} prompt + {st.completion_tokens:,} "
               f"completion; cost ${st.cost_usd:,.4f}; {st.seconds:,.1f} s")
    if st.failed:
        click.echo("  rerun the same command to retry the failed documents (the cache keeps the rest).")


# ---------------------------------------------------------------------------------------------
# BERT_outer / BERT_inner (part B)


_LABEL_WORDS = {"1": 1.0, "0": 0.0, "true": 1.0, "false": 0.0, "1.0": 1.0, "0.0": 0.0}


def _label_value(v) -> float:
    """1.0 / 0.0 for 1/0/true/false (any case, bool or text), NaN for missing, -1.0 for anything else."""
    import pandas as pd

    if v is None or v is pd.NA or (isinstance(v, float) and v != v):
        return float("nan")
    if isinstance(v, str):
        return _LABEL_WORDS.get(v.strip().lower(), -1.0) if v.strip() else float("nan")
    try:
        f = float(v)
    except (TypeError, ValueError):
        return -1.0
    return f if f in (0.0, 1.0) else -1.0


def _training_labels(documents: str, labels, label_column, weak: bool):
    """(documents frame with `label` 0/1/NaN and `screen_ai`, description of the labels)."""
    import numpy as np

    cols = None if weak else ["id", "kind", "title", "abstract", "ipc", "cpc", "source", "source_file"]
    docs = read_documents(documents, cols)
    if weak:
        from innograph.models.labels import weak_labels

        out = weak_labels(docs)
        return out, "weak labels (innograph.models.labels rules)"
    if not labels:
        raise click.UsageError("give --labels FILE (id + a 0/1 label column) or --weak-labels")
    import pandas as pd

    lab = pd.read_parquet(labels) if str(labels).endswith(".parquet") else pd.read_csv(labels)
    column = label_column or next((c for c in ("label", "llm_label", "is_ai") if c in lab.columns), None)
    if column is None or "id" not in lab.columns:
        raise InputFormatError(f"{labels}: needs an `id` column and a label column (label, llm_label or is_ai; "
                               f"or name it with --label-column); columns: {', '.join(lab.columns)}")
    values = lab[column].map(_label_value)
    bad = values == -1.0
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputFormatError(f"{labels}: row {row + 2}, field {column}: {lab[column].iloc[row]!r} is not 0/1/true/false")
    mapping = dict(zip(lab["id"].astype(str), values))
    docs["label"] = docs["id"].astype(str).map(mapping)
    from innograph.models.screen import screen_documents

    docs["screen_ai"] = screen_documents(docs)["screen_ai"].to_numpy()
    docs["dataset"] = docs["source"] if "source" in docs else "all"
    return docs, f"{labels}:{column}"


@click.command("train")
@click.option("--documents", type=click.Path(dir_okay=False), required=True, help="Documents table (WORK/documents.parquet).")
@click.option("--out", type=click.Path(file_okay=False), required=True, help="Model folder to write (outer/, inner/, subfields/).")
@click.option("--labels", type=click.Path(dir_okay=False), default=None,
              help="Labels table (Parquet/CSV): id + label column, e.g. the output of `innograph annotate`.")
@click.option("--label-column", default=None, help="Label column of --labels (default: label, llm_label or is_ai).")
@click.option("--weak-labels", is_flag=True, help="Label with the rules of innograph.models.labels instead "
              "(search queries, arXiv categories, fields of study, screen).")
@click.option("--model", default=None, help="HF model name or path (default: offline all-MiniLM-L6-v2).")
@click.option("--max-length", type=int, default=256, show_default=True, help="Tokens per text (<= 512).")
@click.option("--batch-size", type=int, default=16, show_default=True)
@click.option("--epochs", type=int, default=3, show_default=True)
@click.option("--max-steps", type=int, default=None, help="Cap on optimizer steps per model (CPU budgets).")
@click.option("--lr", type=float, default=2e-5, show_default=True, help="AdamW learning rate.")
@click.option("--eval-every", type=int, default=None, help="Steps between validations (default: each epoch).")
@click.option("--patience", type=int, default=3, show_default=True)
@click.option("--outer-per-class", type=int, default=30_000, show_default=True, help="BERT_outer records per class.")
@click.option("--inner-per-class", type=int, default=500_000, show_default=True, help="BERT_inner records per class.")
@click.option("--score-limit", type=int, default=None, help="Score at most N records with BERT_outer.")
@click.option("--subfields/--no-subfields", default=True, show_default=True,
              help="Also train the seven-subfield head on the AI records.")
@click.option("--device", default="auto", show_default=True, help="cpu, cuda, cuda:N or auto.")
@click.option("--seed", type=int, default=0, show_default=True)
@click.option("--no-progress", is_flag=True)
def train_cmd(documents, out, labels, label_column, weak_labels, model, max_length, batch_size, epochs, max_steps, lr,
              eval_every, patience, outer_per_class, inner_per_class, score_limit, subfields, device, seed,
              no_progress) -> None:
    """Fine-tune BERT_outer and BERT_inner (and the subfield head) on labelled documents."""
    import json

    import numpy as np

    from innograph.models.bert import BertClassifier
    from innograph.models.hierarchy import DualBertClassifier, document_texts

    docs, what = _training_labels(documents, labels, label_column, weak_labels)
    docs = docs[docs["label"].notna()].reset_index(drop=True)
    if docs["label"].nunique() < 2:
        raise InputFormatError(f"{what}: need labelled AI and non-AI documents, got {docs['label'].value_counts().to_dict()}")
    texts = document_texts(docs)

    def bert(**extra):
        return BertClassifier(model, max_length=max_length, batch_size=batch_size, learning_rate=lr, max_epochs=epochs,
                              max_steps=max_steps, eval_every=eval_every, patience=patience, device=device, seed=seed,
                              progress=not no_progress, **extra)

    dual = DualBertClassifier(bert(), bert(), outer_per_class=outer_per_class, inner_per_class=inner_per_class,
                              score_limit=score_limit, seed=seed)
    dual.fit(texts, docs["label"].astype(int).to_numpy(), docs["screen_ai"].to_numpy(), docs["dataset"].to_numpy())
    dual.save(out)
    t = dual.test_report_
    click.echo(f"train {out}: {len(docs):,} labelled documents ({what}); outer on {dual.selection_['outer_records']:,}, "
               f"inner on {dual.selection_['inner_train']:,} (+{dual.selection_['inner_val']:,} val, "
               f"{dual.selection_['inner_test']:,} test)")
    click.echo(f"  inner test split: accuracy {t['accuracy']:.3f}, AI precision {t['classes']['AI']['precision']:.3f} "
               f"recall {t['classes']['AI']['recall']:.3f} F1 {t['classes']['AI']['f1']:.3f}, AUPRC {t['auprc'] or 0:.3f}")
    if subfields:
        from innograph.models.subfields import fit_subfields, subfield_classifier, subfield_matrix

        if "screen_subfields" not in docs:
            from innograph.models.screen import screen_documents

            docs["screen_subfields"] = screen_documents(docs)["subfields"].to_numpy()
        ai, Y = subfield_matrix(docs)
        if len(ai) >= 20 and (Y.sum(axis=0) > 0).sum() >= 2:
            sub = subfield_classifier(model_name=model, max_length=max_length, batch_size=batch_size,
                                      learning_rate=max(lr, 5e-5), max_epochs=epochs, max_steps=max_steps,
                                      eval_every=eval_every, patience=patience, device=device, seed=seed,
                                      progress=not no_progress)
            fit_subfields(sub, document_texts(ai), Y)
            sub.save(Path(out) / "subfields")
            click.echo(f"  subfields: {len(ai):,} AI documents with weak subfields, best val macro-F1 {sub.best_score_:.3f}")
        else:
            click.echo(f"  subfields: skipped ({len(ai)} AI documents with weak subfields; need 20 and two subfields)")
    (Path(out) / "labels.json").write_text(json.dumps({"labels": what, "documents": int(len(docs)),
                                                       "ai": int(np.sum(docs["label"] == 1))}, indent=2))


@click.command("classify")
@click.option("--documents", type=click.Path(dir_okay=False), required=True, help="Documents table (WORK/documents.parquet).")
@click.option("--model", "model_dir", type=click.Path(file_okay=False, exists=True), required=True,
              help="Model folder written by `innograph train`.")
@click.option("--out", type=click.Path(dir_okay=False), required=True, help="Output Parquet (WORK/classified.parquet).")
@click.option("--threshold", type=float, default=0.5, show_default=True, help="is_ai = ai_score >= threshold.")
@click.option("--subfield-threshold", type=float, default=0.5, show_default=True)
@click.option("--batch-size", type=int, default=None, help="Texts per inference batch (default 64).")
@click.option("--chunk-rows", type=int, default=50_000, show_default=True,
              help="Documents per resumable chunk (OUT.parts/part-N.parquet).")
@click.option("--device", default="auto", show_default=True, help="cpu, cuda, cuda:N or auto.")
@click.option("--no-progress", is_flag=True)
def classify_cmd(documents, model_dir, out, threshold, subfield_threshold, batch_size, chunk_rows, device,
                 no_progress) -> None:
    """AI score, is_ai and subfields of every document (resumable: a rerun skips finished chunks)."""
    from innograph.models.hierarchy import classify_file

    read_documents(documents, ["id"]).head(0)  # a clear error for a missing or non-Parquet input
    s = classify_file(documents, model_dir, out, threshold, subfield_threshold, device, batch_size, chunk_rows,
                      progress=not no_progress)
    click.echo(f"classify {out}: {s['documents']:,} documents, {s['ai']:,} AI ({s['ai'] / max(s['documents'], 1):.1%}); "
               f"{s['chunks']} chunks ({s['chunks_reused']} reused); {s['documents_per_s'] or 0:,.1f} docs/s")


@click.command("evaluate")
@click.option("--predictions", type=click.Path(dir_okay=False), required=True,
              help="Output of `innograph classify` (id, ai_score).")
@click.option("--documents", type=click.Path(dir_okay=False), required=True, help="Documents table the labels refer to.")
@click.option("--labels", type=click.Path(dir_okay=False), default=None, help="Labels table: id + label column.")
@click.option("--label-column", default=None)
@click.option("--weak-labels", is_flag=True, help="Score against the weak-label rules instead.")
@click.option("--by", "group_by", default="dataset", show_default=True,
              help="Column to break the metrics down by (dataset, source, kind, label_rule).")
@click.option("--threshold", type=float, default=0.5, show_default=True)
@click.option("--out", type=click.Path(file_okay=False), required=True, help="Folder for metrics.json and PNG figures.")
def evaluate_cmd(predictions, documents, labels, label_column, weak_labels, group_by, threshold, out) -> None:
    """Accuracy, per-class precision/recall/F1, PR curves and AUPRC of predictions against labels."""
    import json

    from innograph.models.evaluation import plot_confusion, plot_per_class, plot_pr_curves, report_by_group

    pred = read_documents(predictions, ["id", "ai_score"])
    docs, what = _training_labels(documents, labels, label_column, weak_labels)
    docs = docs[docs["label"].notna()]
    if group_by not in docs:
        raise click.UsageError(f"--by {group_by}: no such column (have: {', '.join(map(str, docs.columns))})")
    joined = docs[["id", "label", group_by]].astype({"id": str}).merge(pred.astype({"id": str}), on="id", how="inner")
    if joined.empty:
        raise InputFormatError(f"{predictions}: no id in common with the labelled documents of {documents}")
    y, score, groups = joined["label"].astype(int).to_numpy(), joined["ai_score"].to_numpy(), joined[group_by].astype(str).to_numpy()
    report = report_by_group(y, score, groups, threshold)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    write_text_atomic(folder / "metrics.json", json.dumps({"labels": what, "by": group_by, "matched": int(len(joined)),
                                                          "labelled": int(len(docs)), "report": report}, indent=2))
    curves = {g: (y[groups == g], score[groups == g]) for g in sorted(set(groups))}
    curves["all"] = (y, score)
    plot_pr_curves(curves, folder / "pr.png")
    plot_confusion(report["all"], folder / "confusion.png")
    plot_per_class(report, folder / "f1.png", title=f"Per-class F1 by {group_by}")
    a = report["all"]
    click.echo(f"evaluate: {len(joined):,} labelled documents ({what}): accuracy {a['accuracy']:.3f}, AI precision "
               f"{a['classes']['AI']['precision']:.3f} recall {a['classes']['AI']['recall']:.3f} F1 "
               f"{a['classes']['AI']['f1']:.3f}, AUPRC {a['auprc'] or 0:.3f}; {folder / 'metrics.json'}")
    for g in sorted(set(groups)):
        r = report[g]
        click.echo(f"  {g}: n={r['n']:,} accuracy {r['accuracy']:.3f} AI F1 {r['classes']['AI']['f1']:.3f}")


COMMANDS = [screen_cmd, annotate_cmd, train_cmd, classify_cmd, evaluate_cmd]
