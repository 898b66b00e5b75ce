"""Both stages on real messages: time per message, memory with the model, and a cold start.

Targets from the design: a whole message through the lexicon and the semantic stage in
p50 ≤ 2 ms and p99 ≤ 40 ms on one core, the process with the model loaded ≤ 250 MB RSS, and
``wegweiser chat`` answering its first message within 3 s of being started. Printed and kept in
``extra_info``; nothing here asserts a time or a size.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from bot.core.router import Router
from bot.core.semantic import corpus
from bot.core.semantic.stage import shared_stage

ROOT = Path(__file__).resolve().parents[1]
WEGWEISER = Path(sys.executable).with_name("wegweiser")


@pytest.fixture(scope="module")
def understanding() -> Router:
    router = Router.from_locales(semantic=shared_stage())
    router.route("warm up: the model loads once")
    return router


def _time_each(router: Router, texts: list[str]) -> dict[str, float]:
    times = []
    for text in texts:
        started = time.perf_counter()
        router.route(text)
        times.append(time.perf_counter() - started)
    ms = np.array(times) * 1000
    return {
        "messages": len(texts),
        "p50_ms": round(float(np.percentile(ms, 50)), 2),
        "p90_ms": round(float(np.percentile(ms, 90)), 2),
        "p99_ms": round(float(np.percentile(ms, 99)), 2),
        "max_ms": round(float(ms.max()), 2),
    }


@pytest.mark.parametrize("mix", ["held_out_corpus", "lexicon_tests"])
def test_both_stages_per_message(
    benchmark: Any, capsys: pytest.CaptureFixture[str], understanding: Router, mix: str
) -> None:
    """Held-out corpus messages are the hard mix (a third danger or small talk); the lexicon's
    own test messages are closer to everyday requests."""
    examples = corpus.load()
    if mix == "held_out_corpus":
        texts = [example.text for example in corpus.evaluation(examples)]
    else:
        texts = [example.text for example in examples if example.source == "router"]
    figures = benchmark.pedantic(_time_each, args=(understanding, texts), rounds=1)
    benchmark.extra_info.update(figures)
    with capsys.disabled():
        print(f"\nlexicon + semantic, {mix}: {figures}")


_RSS_SCRIPT = """
from bot.core.router import Router
from bot.core.semantic.stage import shared_stage
router = Router.from_locales(semantic=shared_stage())
router.route("mein Mann bedroht mich und ich weiss nicht wohin")
for line in open("/proc/self/status"):
    if line.startswith(("VmRSS", "VmHWM")):
        print(line.split()[1])
"""


def _rss() -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "OMP_NUM_THREADS": "1"}
    out = subprocess.run(
        [sys.executable, "-c", _RSS_SCRIPT], capture_output=True, text=True, env=env, check=True
    ).stdout.split()
    return {"rss_mb": round(int(out[1]) / 1024, 1), "peak_rss_mb": round(int(out[0]) / 1024, 1)}


def test_memory_with_the_model(benchmark: Any, capsys: pytest.CaptureFixture[str]) -> None:
    figures = benchmark.pedantic(_rss, rounds=1)
    benchmark.extra_info.update(figures)
    with capsys.disabled():
        print(f"\nprocess with router and model: {figures}")


def _cold_start(tmp: Path) -> dict[str, float]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "WEGWEISER_DATABASE_URL": f"sqlite:///{tmp / 'bench.db'}",
        "WEGWEISER_DATA_DIR": str(tmp),
    }
    for command in (["db", "upgrade"], ["catalogue", "import", "services_catalog/demo"]):
        subprocess.run([WEGWEISER, *command], env=env, cwd=ROOT, check=True, capture_output=True)
    started = time.perf_counter()
    chat = subprocess.Popen(
        [WEGWEISER, "chat", "--lang", "en", "--region", "rostock"],
        env=env,
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert chat.stdin is not None and chat.stdout is not None
    chat.stdin.write("i need house\n")
    chat.stdin.flush()
    first = chat.stdout.readline()
    elapsed = time.perf_counter() - started
    chat.stdin.close()
    chat.wait(timeout=60)
    assert first.strip()
    return {"first_answer_s": round(elapsed, 2)}


def test_cold_start_of_chat(
    benchmark: Any, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    figures = benchmark.pedantic(_cold_start, args=(tmp_path,), rounds=1)
    benchmark.extra_info.update(figures)
    with capsys.disabled():
        print(f"\nwegweiser chat, start to first answer: {figures}")
