"""Random-input fallback for the fuzz targets when atheris is not installed (hypothesis)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st


def _runs(argv: list[str], default: int = 2000) -> int:
    for a in argv:
        if a.startswith("-runs="):
            return int(a.split("=", 1)[1])
    return default


def run_hypothesis(check, argv: list[str]) -> None:
    @settings(max_examples=_runs(argv), deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(st.binary(max_size=8192))
    def run(data: bytes) -> None:
        check(data)

    run()


def run_hypothesis_text(check, argv: list[str]) -> None:
    @settings(max_examples=_runs(argv), deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(st.text(max_size=600))
    def run(text: str) -> None:
        check(text)

    run()
