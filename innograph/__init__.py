"""innograph: a knowledge graph of AI innovation (patents, papers, keywords, IPC, countries)."""

__version__ = "0.1.0"
