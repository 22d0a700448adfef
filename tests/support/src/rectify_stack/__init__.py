"""The whole system (issues-api, notify-api, report-api and the gateway) as real processes on loopback.

`running_stack(var_dir)` migrates, loads the demo campaign and starts the four processes (or `replicas=2` of
each, the services behind the gateway as they are in production), each forked from one process that imported the
services once (`processes.forks()`); the pytest plugin
(`rectify_stack.plugin`, registered as an entry point) shares one such stack per backend across a test run.
"""

from rectify_stack.clients import PASSWORD, eventually, login
from rectify_stack.processes import ROOT, Replica, Stack, running_stack

__all__ = ["PASSWORD", "ROOT", "Replica", "Stack", "eventually", "login", "running_stack"]
