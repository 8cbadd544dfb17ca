"""docker/: the compose file asks for Neo4j 5 with GDS and APOC, takes its settings from .env.

No Docker engine runs on these machines, so the compose file is checked as text, not started.
"""

from __future__ import annotations

import re
from pathlib import Path

DOCKER = Path(__file__).resolve().parents[2] / "docker"


def test_compose_file():
    text = (DOCKER / "docker-compose.yml").read_text()
    assert re.search(r"image: \$\{NEO4J_IMAGE:-neo4j:5[-\w.]*\}", text)
    assert "NEO4J_PLUGINS: '[\"graph-data-science\", \"apoc\"]'" in text
    assert "NEO4J_AUTH: neo4j/${NEO4J_PASSWORD:?" in text  # no default password: compose refuses to start
    for setting in ("server_memory_heap_max__size", "server_memory_pagecache_size",
                    "dbms_security_procedures_unrestricted"):
        assert f"NEO4J_{setting}:" in text
    for volume in ("data:/data", "./import:/import"):
        assert f"- {volume}" in text
    assert '"${NEO4J_BOLT_PORT:-7687}:7687"' in text and '"${NEO4J_HTTP_PORT:-7474}:7474"' in text
    assert "env_file" not in text  # .env would reach the container, whose entrypoint reads NEO4J_* as settings


def test_env_example_defines_every_variable_the_compose_file_uses():
    used = set(re.findall(r"\$\{(\w+)", (DOCKER / "docker-compose.yml").read_text()))
    defined = {line.split("=", 1)[0] for line in (DOCKER / ".env.example").read_text().splitlines()
               if line and not line.startswith("#")}
    assert used == defined, (used, defined)
