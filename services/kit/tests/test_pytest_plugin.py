"""The kit's pytest plugin: a test marked `main_backend` runs on the main database backend only."""

from __future__ import annotations

import pytest

from rectify_kit.testing import BACKENDS_ENV, PG_ENV

pytest_plugins = ["pytester"]
# In a process of its own: the plugin reads the configured backends when it is imported.

MODULE = """
import pytest

@pytest.mark.main_backend
def test_marked(backend):
    pass

def test_plain(backend):
    pass
"""


def collected(result: pytest.RunResult) -> set[str]:
    return {line.split("::")[-1] for line in result.outlines if "::" in line}


@pytest.fixture
def with_pg(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PG_ENV, "postgresql://postgres@127.0.0.1:5432/postgres")  # collected only, never reached
    monkeypatch.delenv(BACKENDS_ENV, raising=False)


@pytest.mark.usefixtures("with_pg")
class TestMainBackendMarker:
    def test_a_marked_test_runs_on_postgresql_alone_and_the_others_on_both(self, pytester: pytest.Pytester) -> None:
        pytester.makepyfile(MODULE)
        result = pytester.runpytest_subprocess("--collect-only", "-q", "-p", "no:cacheprovider")
        assert collected(result) == {"test_marked[postgresql]", "test_plain[sqlite]", "test_plain[postgresql]"}

    def test_a_run_limited_to_another_backend_leaves_it_to_the_main_one(
        self, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv(BACKENDS_ENV, "sqlite")
        pytester.makepyfile(MODULE)
        result = pytester.runpytest_subprocess("--collect-only", "-q", "-p", "no:cacheprovider")
        assert collected(result) == {"test_plain[sqlite]"}
