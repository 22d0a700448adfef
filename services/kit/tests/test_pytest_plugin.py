"""The kit's pytest plugin: a test runs on the main database backend alone, one marked `both_backends` on each;
the collected run is frozen out of the garbage collector's reach."""

from __future__ import annotations

import gc

import pytest

from rectify_kit.testing import BACKENDS_ENV, PG_ENV

pytest_plugins = ["pytester"]
# In this process (pytester's in-process run): the plugin reads the configured backends when a module is collected,
# so each run sees the environment its test set. (A process of its own per run cost 1.3 s of CPU, importing it all.)

MODULE = """
import pytest

@pytest.mark.both_backends
def test_marked(backend):
    pass

def test_plain(backend):
    pass

def test_without_a_database():
    pass
"""


def collected(result: pytest.RunResult) -> set[str]:
    return {line.split("::")[-1] for line in result.outlines if "::" in line}


def collect(pytester: pytest.Pytester) -> set[str]:
    pytester.makepyfile(MODULE)
    # the project's pytest settings (pyproject.toml) that matter here: the plugins left out, pytest-asyncio's scope
    settings = ["-p", "no:cacheprovider", "-p", "no:schemathesis", "-p", "no:hypothesispytest"]
    settings += ["-o", "asyncio_default_fixture_loop_scope=function"]
    return collected(pytester.runpytest_inprocess("--collect-only", "-q", *settings))


@pytest.fixture
def with_pg(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PG_ENV, "postgresql://postgres@127.0.0.1:5432/postgres")  # collected only, never reached
    monkeypatch.delenv(BACKENDS_ENV, raising=False)


@pytest.mark.usefixtures("with_pg")
class TestBothBackendsMarker:
    def test_a_marked_test_runs_on_both_and_the_others_on_postgresql_alone(self, pytester: pytest.Pytester) -> None:
        assert collect(pytester) == {
            "test_marked[sqlite]",
            "test_marked[postgresql]",
            "test_plain[postgresql]",
            "test_without_a_database",
        }

    def test_a_run_limited_to_sqlite_keeps_only_the_marked_tests(
        self, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setenv(BACKENDS_ENV, "sqlite")
        assert collect(pytester) == {"test_marked[sqlite]", "test_without_a_database"}


def test_without_postgresql_every_test_runs_on_sqlite(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(PG_ENV, raising=False)
    monkeypatch.delenv(BACKENDS_ENV, raising=False)
    assert collect(pytester) == {"test_marked[sqlite]", "test_plain[sqlite]", "test_without_a_database"}


def test_what_the_run_collected_is_frozen_out_of_the_garbage_collectors_reach() -> None:
    # This run's own modules and items, frozen by the plugin once collected (pytest_collection_finish).
    assert gc.get_freeze_count() > 0
