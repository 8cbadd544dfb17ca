"""A tiny graph whose analytics are worked out by hand (tests/analysis/test_*.py), built with the
real loader from DeepInnovationAI-format CSVs into the real embedded database.

Patents (country from the PN prefix; IPC subclass = first 4 characters):
  1 US 2014 G06N3/08  [neural network, image processing]   novelty 0.8
  2 US 2019 G06N3/04  [neural network]                     0.6
  3 CN 2019 G06N3/08  [neural network, speech recognition] 0.5
  4 CN 2020 G06F17/16 [speech recognition]                 0.4
  5 JP 2020 G06F17/16 [robot]                              0.7
Papers:
  11 US 2015 [deep learning, neural network]      0.9
  12 CN 2017 [deep learning, speech recognition]  0.5
  13 JP+CN 2018 [robot, deep learning]            0.7
Pairs (load tau 0.6): 11-1 0.90, 11-3 0.80, 12-4 0.70, 13-5 0.65, 12-2 0.55 (below tau, not loaded).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

PATENTS = [
    (1, "US10000001B2", "G06N3/08", 2014, ["neural network", "image processing"], 0.8),
    (2, "US10000002B2", "G06N3/04", 2019, ["neural network"], 0.6),
    (3, "CN110000003A", "G06N3/08", 2019, ["neural network", "speech recognition"], 0.5),
    (4, "CN110000004A", "G06F17/16", 2020, ["speech recognition"], 0.4),
    (5, "JP2020000005A", "G06F17/16", 2020, ["robot"], 0.7),
]
PAPERS = [
    (11, 2015, ["deep learning", "neural network"], "Stanford University, Stanford, United States", 0.9),
    (12, 2017, ["deep learning", "speech recognition"], "Tsinghua University, Beijing, China", 0.5),
    (13, 2018, ["robot", "deep learning"], "University of Tokyo, Tokyo, Japan; Tsinghua University, Beijing, China", 0.7),
]
PAIRS = [(11, 1, 0.90), (11, 3, 0.80), (12, 4, 0.70), (13, 5, 0.65), (12, 2, 0.55)]


def write_csvs(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files = {k: folder / f for k, f in (("patents", "DeepPatentAI.csv"), ("papers", "DeepDiveAI.csv"),
                                        ("pairs", "DeepCosineAI.csv"))}
    with open(files["patents"], "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["ID", "PN", "IPC", "Title", "Abstract", "Year", "Keywords", "Novelty"])
        for i, pn, ipc, year, kw, nov in PATENTS:
            w.writerow([i, pn, ipc, f"Patent {i}", f"Abstract of patent {i}.", year, json.dumps(kw), nov])
    with open(files["papers"], "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["ID", "Title", "Source", "Abstract", "Name", "Year", "Cited", "Keywords", "Doi", "Language",
                    "Type", "Affiliations", "Novelty"])
        for i, year, kw, aff, nov in PAPERS:
            w.writerow([i, f"Paper {i}", "Venue", f"Abstract of paper {i}.", "A. Author", year, 1, json.dumps(kw),
                        f"10.1000/p.{i}", "English", "Journal", aff, nov])
    with open(files["pairs"], "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["paper_id", "patent_id", "similarity"])
        w.writerows(PAIRS)
    return files
