"""`innograph pipeline`: raw records -> graph, stage by stage, resumable.

    ingest -> screen -> classify -> keywords -> novelty -> similarity -> load

Work directory (`WORK`, default `DB/../<db name>-work`):

    WORK/ingest/documents.parquet       innograph ingest (its own per-file resume)
    WORK/screen.parquet                 IPC + keyword coarse screen (innograph.models.screen)
    WORK/classify.parquet               id, kind, is_ai, ai_score, ai_source ("bert" | "screen")
    WORK/ai_documents.parquet           the documents that go on (is_ai; all with keep_all)
    WORK/keywords.parquet (+ .parts/)   KeyBERT keywords (innograph.models.keywords)
    WORK/novelty.parquet                hypergraph novelty (innograph.models.novelty)
    WORK/pairs/                         paper-patent pairs (innograph.models.similarity_stage)
    WORK/deepinnovation/                DeepPatentAI.csv, DeepDiveAI.csv, DeepCosineAI.csv,
                                        paper_ids.csv (numeric paper ID -> canonical id)
    WORK/stages/<stage>.json            done marker: fingerprint of the stage's inputs and
                                        settings, its counts and seconds

A stage is skipped when its marker exists, its fingerprint (the inputs' paths, sizes and
modification times plus the stage settings) is unchanged, and its outputs exist; otherwise it
runs (and the stages inside resume their own chunks). So an interrupted pipeline, run again with
the same command, continues with the first unfinished stage.

Classification: with `model` (a trained BERT folder from `innograph train`) the classify stage
runs the BERT classifier; without one, is_ai is the coarse screen's decision and ai_score is
empty: the summary says so.

Load: the mined tables are written as DeepInnovationAI-format CSVs and loaded with
`innograph.graph.load.load_graph` (the loader users run on the published files); the counts are
then reconciled: every CSV row is loaded or accounted for (rejected, below tau), and on a graph
that was empty before, node and SIMILAR_TO counts equal the tables' counts.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from innograph.errors import InnographError
from innograph.models.parts import input_fingerprint, write_parquet_atomic, write_text_atomic

STAGES = ("ingest", "screen", "classify", "keywords", "novelty", "similarity", "load")
PIPELINE_VERSION = "1"


@dataclass
class PipelineConfig:
    """Settings of one pipeline run (each stage's fingerprint includes the ones it uses)."""

    patents: tuple[str, ...] = ()
    papers: tuple[str, ...] = ()
    db: str = ""
    work: str | None = None
    backend: str = "embedded"
    model: str | None = None  # trained BERT folder; None: is_ai from the screen
    keep_all: bool = False  # mine every document, not only the AI ones
    device: str = "cpu"  # keywords, classify, similarity
    embed_model: str | None = None  # sentence-transformers model of keywords and similarity
    keywords_top_k: int = 10
    keywords_chunk_rows: int = 2048
    novelty_dim: int = 32
    novelty_epochs: int = 200
    novelty_min_degree: int = 2
    similarity_method: str = "sbert-keywords"
    k: int = 10
    tau: float = 0.6
    require_later: bool = False
    threshold: float = 0.5
    progress: bool = True

    @property
    def work_dir(self) -> Path:
        if self.work:
            return Path(self.work)
        db = Path(self.db)
        return db.parent / f"{db.name}-work"


@dataclass
class StageResult:
    stage: str
    status: str  # ran | skipped | missing
    seconds: float = 0.0
    counts: dict = field(default_factory=dict)
    note: str = ""


@dataclass
class PipelineSummary:
    work: str
    db: str
    stages: list[StageResult] = field(default_factory=list)
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, default=str)

    def stage(self, name: str) -> StageResult:
        return next(s for s in self.stages if s.stage == name)


class StopPipeline(Exception):
    """Raised by `on_stage` to stop between stages (tests, --stop-after)."""


# ---------------------------------------------------------------------------------------------
def _fingerprint_paths(paths) -> list:
    out = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            out.append([str(p.resolve()), [input_fingerprint(f) for f in sorted(p.rglob("*")) if f.is_file()]])
        elif p.exists():
            out.append(input_fingerprint(p))
        else:
            raise InnographError(f"{p}: no such file or directory.")
    return out


class _Runner:
    def __init__(self, cfg: PipelineConfig, summary: PipelineSummary, bar, on_stage):
        self.cfg, self.summary, self.bar, self.on_stage = cfg, summary, bar, on_stage
        self.marks = cfg.work_dir / "stages"
        self.marks.mkdir(parents=True, exist_ok=True)

    def run(self, name: str, inputs: list, settings: dict, outputs: list[Path], fn: Callable[[], dict]) -> dict:
        key = hashlib.sha1(json.dumps([PIPELINE_VERSION, _fingerprint_paths(inputs), settings],
                                      sort_keys=True, default=str).encode()).hexdigest()[:16]
        mark = self.marks / f"{name}.json"
        if self.bar is not None:
            self.bar.set_description(f"pipeline: {name}")
        if mark.exists() and all(Path(o).exists() for o in outputs):
            done = json.loads(mark.read_text())
            if done.get("fingerprint") == key:
                self.summary.stages.append(StageResult(name, "skipped", done.get("seconds", 0.0),
                                                       done.get("counts", {}), done.get("note", "")))
                self._advance(name)
                return done.get("counts", {})
        t0 = time.perf_counter()
        counts = fn()
        note = counts.pop("_note", "")
        seconds = round(time.perf_counter() - t0, 3)
        write_text_atomic(mark, json.dumps({"stage": name, "fingerprint": key, "settings": settings, "counts": counts,
                                            "seconds": seconds, "note": note,
                                            "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())},
                                           indent=2, default=str))
        self.summary.stages.append(StageResult(name, "ran", seconds, counts, note))
        self._advance(name)
        return counts

    def _advance(self, name: str) -> None:
        if self.bar is not None:
            self.bar.update(1)
        if self.on_stage is not None:
            self.on_stage(name)


def run_pipeline(cfg: PipelineConfig, on_stage: Callable[[str], None] | None = None) -> PipelineSummary:
    """Run every stage (skipping the finished ones); `on_stage(name)` is called after each one."""
    if not cfg.patents and not cfg.papers:
        raise InnographError("Give raw records with --patents and/or --papers.")
    if not cfg.db:
        raise InnographError("Give the graph folder with --db.")
    work = cfg.work_dir
    work.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    summary = PipelineSummary(str(work), cfg.db)
    bar = None
    if cfg.progress:
        from tqdm.auto import tqdm
        bar = tqdm(total=len(STAGES), unit="stage", desc="pipeline", position=0)
    runner = _Runner(cfg, summary, bar, on_stage)
    try:
        _stages(cfg, work, runner, summary)
    except StopPipeline:
        pass
    finally:
        if bar is not None:
            bar.close()
    summary.seconds = round(time.perf_counter() - started, 3)
    (work / "pipeline-summary.json").write_text(summary.to_json())
    return summary


def _stages(cfg: PipelineConfig, work: Path, runner: _Runner, summary: PipelineSummary) -> None:
    docs_file = work / "ingest" / "documents.parquet"
    raw = list(cfg.patents) + list(cfg.papers)

    # 1. ingest ------------------------------------------------------------------------------
    def ingest() -> dict:
        from innograph.ingest.pipeline import ingest as run_ingest
        s = run_ingest(raw, work / "ingest", progress=cfg.progress)
        m = s.merge
        counts = {"records": m.records, "documents": m.documents, "patents": m.patents, "papers": m.papers,
                  "merged": m.merged, "rejected": s.rejected}
        _check_kinds(cfg, work, counts)
        return counts
    runner.run("ingest", raw, {}, [docs_file], ingest)

    # 2. screen ------------------------------------------------------------------------------
    screen_file_ = work / "screen.parquet"

    def screen() -> dict:
        from innograph.models.screen import screen_file
        s = screen_file(docs_file, screen_file_, progress=cfg.progress)
        return {"documents": s.documents, "ai": s.ai, "with_ipc_hit": s.with_ipc_hit, "with_term_hit": s.with_term_hit}
    runner.run("screen", [docs_file], {}, [screen_file_], screen)

    # 3. classify (+ selection of the documents that go on) ----------------------------------
    cls_file, ai_docs = work / "classify.parquet", work / "ai_documents.parquet"

    def classify() -> dict:
        scr = pd.read_parquet(screen_file_, columns=["id", "kind", "screen_ai"])
        if cfg.model:
            from innograph.models.hierarchy import classify_file
            bert_out = work / "classify-bert.parquet"
            classify_file(docs_file, cfg.model, bert_out, threshold=cfg.threshold, device=cfg.device,
                          progress=cfg.progress)
            b = pd.read_parquet(bert_out, columns=["id", "kind", "ai_score", "is_ai"])
            table = b.assign(ai_source="bert")
            note = f"is_ai from the BERT model {cfg.model} (threshold {cfg.threshold})"
        else:
            table = pd.DataFrame({"id": scr["id"], "kind": scr["kind"], "ai_score": np.nan,
                                  "is_ai": scr["screen_ai"].astype(bool), "ai_source": "screen"})
            note = "no --model given: is_ai is the coarse IPC/keyword screen's decision (ai_score empty)"
        write_parquet_atomic(table, cls_file)
        docs = pd.read_parquet(docs_file)
        merged = docs.merge(table[["id", "kind", "is_ai", "ai_score"]], on=["id", "kind"], how="left",
                            validate="one_to_one")
        if merged["is_ai"].isna().any():
            raise InnographError(f"{cls_file}: {int(merged['is_ai'].isna().sum())} documents have no AI decision.")
        chosen = merged if cfg.keep_all else merged[merged["is_ai"].astype(bool)]
        write_parquet_atomic(chosen.reset_index(drop=True), ai_docs)
        return {"documents": len(docs), "ai": int(table["is_ai"].sum()),
                "ai_patents": int((table["is_ai"] & (table["kind"] == "patent")).sum()),
                "ai_papers": int((table["is_ai"] & (table["kind"] == "paper")).sum()),
                "selected": len(chosen), "source": table["ai_source"].iat[0] if len(table) else None, "_note": note}
    runner.run("classify", [screen_file_, docs_file] + ([cfg.model] if cfg.model else []),
               {"model": cfg.model, "threshold": cfg.threshold, "keep_all": cfg.keep_all}, [cls_file, ai_docs], classify)

    # 4. keywords ----------------------------------------------------------------------------
    kw_file = work / "keywords.parquet"

    def keywords() -> dict:
        from innograph.models.keywords import KeywordExtractor, keywords_file
        ext = KeywordExtractor(model=cfg.embed_model, top_k=cfg.keywords_top_k, device=cfg.device)
        s = keywords_file(ai_docs, kw_file, ext, chunk_rows=cfg.keywords_chunk_rows, progress=cfg.progress)
        return {"documents": s.documents, "keywords": s.keywords, "chunks": s.chunks,
                "chunks_reused": s.chunks_reused}
    runner.run("keywords", [ai_docs], {"model": cfg.embed_model, "top_k": cfg.keywords_top_k,
                                       "chunk_rows": cfg.keywords_chunk_rows}, [kw_file], keywords)

    # 5. novelty -----------------------------------------------------------------------------
    nov_file = work / "novelty.parquet"

    def novelty() -> dict:
        from innograph.models.novelty import HypergraphNovelty, novelty_scores
        kw = pd.read_parquet(kw_file)
        model = HypergraphNovelty(dim=cfg.novelty_dim, epochs=cfg.novelty_epochs, min_degree=cfg.novelty_min_degree,
                                  device=cfg.device)
        scores = novelty_scores(kw, model)
        write_parquet_atomic(scores, nov_file)
        finite = np.isfinite(scores["novelty"].to_numpy(dtype=float)) if len(scores) else np.zeros(0, bool)
        return {"documents": int(kw[["id", "kind"]].drop_duplicates().shape[0]), "scored": len(scores),
                "finite": int(finite.sum())}
    runner.run("novelty", [kw_file], {"dim": cfg.novelty_dim, "epochs": cfg.novelty_epochs,
                                      "min_degree": cfg.novelty_min_degree}, [nov_file], novelty)

    # 6. similarity --------------------------------------------------------------------------
    pairs_dir = work / "pairs"

    def similarity() -> dict:
        from innograph.models.similarity_stage import SimilarityConfig, similarity_file
        sc = SimilarityConfig(method=cfg.similarity_method, k=cfg.k, tau=cfg.tau, require_later=cfg.require_later,
                              device=cfg.device, model=cfg.embed_model)
        s = similarity_file(ai_docs, pairs_dir, kw_file, sc, progress=cfg.progress)
        return {"papers": s.papers, "patents": s.patents, "pairs": s.pairs, "pairs_top_k": s.pairs_top_k,
                "pairs_ge_tau": s.pairs_ge_tau, "blocks": s.blocks, "blocks_skipped": s.blocks_skipped}
    runner.run("similarity", [ai_docs, kw_file], {"method": cfg.similarity_method, "k": cfg.k, "tau": cfg.tau,
                                                  "require_later": cfg.require_later, "model": cfg.embed_model},
               [pairs_dir / "summary.json"], similarity)

    # 7. load --------------------------------------------------------------------------------
    csv_dir = work / "deepinnovation"

    def load() -> dict:
        files = write_deepinnovation_csvs(ai_docs, kw_file, nov_file, pairs_dir, csv_dir)
        return load_and_reconcile(cfg, files)
    runner.run("load", [ai_docs, kw_file, nov_file, pairs_dir / "summary.json"],
               {"db": str(Path(cfg.db).resolve()), "backend": cfg.backend, "tau": cfg.tau}, [Path(cfg.db)], load)
    summary.notes += [n for n in (summary.stage("classify").note, summary.stage("load").note) if n]


def _check_kinds(cfg: PipelineConfig, work: Path, counts: dict) -> None:
    """--patents files must give patents and --papers files papers (a swapped flag is a clear error)."""
    if cfg.patents and counts["patents"] == 0:
        raise InnographError("The --patents inputs gave no patents (see "
                             f"{work / 'ingest' / 'summary.json'}); are they paper files?")
    if cfg.papers and counts["papers"] == 0:
        raise InnographError("The --papers inputs gave no papers (see "
                             f"{work / 'ingest' / 'summary.json'}); are they patent files?")


# ---------------------------------------------------------------------------------------------
def write_deepinnovation_csvs(ai_docs: Path, kw_file: Path, nov_file: Path, pairs_dir: Path, out: Path) -> dict:
    """The mined tables as DeepPatentAI.csv, DeepDiveAI.csv and DeepCosineAI.csv (long variant).

    Patents keep their publication number as PN and get ID = row number; papers get a numeric ID
    (row number; DeepDiveAI IDs are numbers) with the canonical id in paper_ids.csv and the DOI,
    where known, in Doi. Pairs name the paper by that ID and the patent by its PN. Returns the
    paths and row counts.
    """
    from innograph.models.similarity import read_pairs

    out.mkdir(parents=True, exist_ok=True)
    docs = pd.read_parquet(ai_docs)
    kw = pd.read_parquet(kw_file)
    nov = pd.read_parquet(nov_file)
    kw_lists = (kw.sort_values(["kind", "id", "rank"], kind="stable").groupby(["id", "kind"], sort=False)["keyword"]
                .agg(list))
    key = pd.MultiIndex.from_arrays([docs["id"], docs["kind"]])
    docs["keywords_json"] = [json.dumps(v if isinstance(v, list) else [], ensure_ascii=False)
                             for v in kw_lists.reindex(key).to_numpy(dtype=object)]
    docs["novelty_value"] = nov.set_index(["id", "kind"])["novelty"].reindex(key).to_numpy(dtype=float) \
        if len(nov) else np.nan

    pat = docs[docs["kind"] == "patent"].reset_index(drop=True)
    pap = docs[docs["kind"] == "paper"].reset_index(drop=True)
    pat_rows = pd.DataFrame({
        "ID": np.arange(1, len(pat) + 1), "PN": pat["id"],
        "IPC": [";".join(v) if v is not None else "" for v in pat["ipc"]],
        "Title": pat["title"], "Abstract": pat["abstract"], "Year": pat["year"].astype("Int64"),
        "Keywords": pat["keywords_json"], "Novelty": pat["novelty_value"],
    })
    paper_num = pd.Series(np.arange(1, len(pap) + 1), index=pap["id"].to_numpy())
    pap_rows = pd.DataFrame({
        "ID": paper_num.to_numpy(), "Title": pap["title"], "Source": pap["venue"], "Abstract": pap["abstract"],
        "Name": ["; ".join(v) if v is not None else "" for v in pap["authors"]],
        "Year": pap["year"].astype("Int64"), "Cited": pd.array([None] * len(pap), dtype="Int64"),
        "Keywords": pap["keywords_json"], "Doi": pap["doi"], "Language": pap["language"], "Type": None,
        "Affiliations": ["; ".join(v) if v is not None else "" for v in pap["affiliations"]],
        "Novelty": pap["novelty_value"],
    })
    pairs = read_pairs(pairs_dir) if pairs_dir.exists() else pd.DataFrame(columns=["paper_id", "patent_id", "score"])
    years = docs.set_index(["id", "kind"])["year"]
    pair_rows = pd.DataFrame({
        "Paper_ID": paper_num.reindex(pairs["paper_id"].to_numpy()).to_numpy(),
        "Patent_ID": pairs["patent_id"].to_numpy(),
        "Similarity": pairs["score"].astype(np.float64).to_numpy(),  # float32 values, "%.9g" round-trips
        "Paper_Year": years.reindex(pd.MultiIndex.from_arrays([pairs["paper_id"], ["paper"] * len(pairs)]))
                           .astype("Int64").to_numpy(),
        "Patent_Year": years.reindex(pd.MultiIndex.from_arrays([pairs["patent_id"], ["patent"] * len(pairs)]))
                            .astype("Int64").to_numpy(),
    })
    if pair_rows["Paper_ID"].isna().any():
        raise InnographError(f"{pairs_dir}: pairs name papers that are not in {ai_docs}.")
    files = {"patents": out / "DeepPatentAI.csv", "papers": out / "DeepDiveAI.csv", "pairs": out / "DeepCosineAI.csv",
             "paper_ids": out / "paper_ids.csv"}
    for frame, name in ((pat_rows, "patents"), (pap_rows, "papers"), (pair_rows, "pairs"),
                        (pd.DataFrame({"ID": paper_num.to_numpy(), "id": paper_num.index}), "paper_ids")):
        tmp = files[name].with_name(files[name].name + ".tmp")
        frame.to_csv(tmp, index=False, quoting=csv.QUOTE_MINIMAL, float_format="%.9g")
        os.replace(tmp, files[name])
    return {"files": {k: str(v) for k, v in files.items()},
            "rows": {"patents": len(pat_rows), "papers": len(pap_rows), "pairs": len(pair_rows),
                     "pairs_ge_tau": None}}


def load_and_reconcile(cfg: PipelineConfig, files: dict) -> dict:
    """load_graph on the CSVs; checks that every row is accounted for and the graph counts add up."""
    from innograph.graph.load import LoadConfig, load_graph

    f, rows = files["files"], files["rows"]
    if not rows["patents"] and not rows["papers"]:
        return {"patents_csv": 0, "papers_csv": 0, "pairs_csv": 0, "pairs_ge_tau": 0, "reconciled": True,
                "_note": "nothing loaded: no document was selected (no AI document found)"}
    pairs = pd.read_csv(f["pairs"], usecols=["Similarity"])
    n_ge_tau = int((pairs["Similarity"].astype(np.float64) >= cfg.tau).sum())
    before = _graph_counts(cfg)
    store_cm = _open_store(cfg)
    with store_cm as store:
        s = load_graph(cfg.db, patents=f["patents"] if rows["patents"] else (),
                       papers=f["papers"] if rows["papers"] else (), pairs=f["pairs"] if rows["pairs"] else (),
                       tau=cfg.tau, config=LoadConfig(tau=cfg.tau, progress=cfg.progress), store=store)
    by_kind = {x.kind: x for x in s.files}
    problems = []
    for kind in ("patents", "papers", "pairs"):
        x = by_kind.get(kind)
        if x is None:
            continue
        if x.read != rows[kind]:
            problems.append(f"{kind}: the loader read {x.read} rows of {rows[kind]} written")
        if not x.reconciles:
            problems.append(f"{kind}: read {x.read} != loaded {x.loaded} + rejected {x.rejected} + below tau {x.below_tau}")
        if x.rejected:
            problems.append(f"{kind}: {x.rejected} rows rejected (see {x.rejects_file})")
    if "pairs" in by_kind and by_kind["pairs"].loaded != n_ge_tau:
        problems.append(f"pairs: {by_kind['pairs'].loaded} loaded, {n_ge_tau} have score >= tau {cfg.tau}")
    counts = {"patents_csv": rows["patents"], "papers_csv": rows["papers"], "pairs_csv": rows["pairs"],
              "pairs_ge_tau": n_ge_tau, "nodes": s.nodes, "relationships": s.relationships,
              "steps_skipped": s.steps_skipped, "graph_was_empty": before is not None and not any(before.values())}
    if counts["graph_was_empty"] and not s.steps_skipped:
        expect = {"Patent": rows["patents"] - by_kind.get("patents", _Zero()).rejected,
                  "Paper": rows["papers"] - by_kind.get("papers", _Zero()).rejected}
        for label, n in expect.items():
            if s.nodes.get(label, 0) != n:
                problems.append(f"graph has {s.nodes.get(label, 0)} {label} nodes, the tables {n}")
        if s.relationships.get("SIMILAR_TO", 0) != n_ge_tau:
            problems.append(f"graph has {s.relationships.get('SIMILAR_TO', 0)} SIMILAR_TO, the pairs table {n_ge_tau} >= tau")
    if problems:
        raise InnographError("Counts do not reconcile after the load: " + "; ".join(problems) + ".")
    counts["reconciled"] = True
    return counts


class _Zero:
    rejected = 0


def _graph_counts(cfg: PipelineConfig) -> dict | None:
    """Node counts of the embedded graph before the load (None for other backends)."""
    if cfg.backend != "embedded":
        return None
    if not Path(cfg.db).exists() or not any(Path(cfg.db).iterdir()):
        return {}
    from innograph.graph.embedded import EmbeddedStore
    try:
        with EmbeddedStore(cfg.db, read_only=True) as store:
            return {k: v for k, v in store.node_counts().items() if k != "LoadLog"}
    except Exception:  # noqa: BLE001 - a folder that is no graph yet: load_graph will say why
        return None


def _open_store(cfg: PipelineConfig):
    import contextlib
    if cfg.backend == "embedded":
        return contextlib.nullcontext(None)
    from innograph.cli_neo4j import open_backend
    return open_backend({"backend": cfg.backend}, cfg.db, read_only=False, progress=cfg.progress)
