"""Imports between the top-level packages go one way (README, "Code layout").

From the bottom: the Lambda runtime and the phone-number definition; then the flow language, the
configuration and the fake backend; then the CDK app (`infra`) and the command line (`ivr`), which
never import each other; tests and benchmarks share helpers through `testkit`, not each other.
Every import counts, also one inside a function.
"""
from __future__ import annotations

import ast

import pytest

from tests.conftest import REPO_ROOT

ALLOWED: dict[str, set[str]] = {
    "lambdas": set(),
    "phone_numbers": set(),
    "flow_language": set(),
    "configuration": {"lambdas", "phone_numbers"},
    "fake_backend": {"phone_numbers"},
    "loadtest": {"fake_backend", "phone_numbers"},
    "infra": {"configuration", "flow_language", "lambdas"},
    "ivr": {"configuration", "flow_language", "lambdas", "fake_backend", "loadtest", "phone_numbers"},
    "app": {"configuration", "infra"},
    "testkit": {"configuration", "flow_language", "lambdas", "fake_backend", "ivr", "phone_numbers"},
}
ALLOWED["benchmarks"] = set(ALLOWED) | {"testkit"}
ALLOWED["tests"] = set(ALLOWED) - {"benchmarks"} | {"testkit"}
PACKAGES = set(ALLOWED)


def imported_packages(package: str) -> dict[str, set[str]]:
    """{other top-level package: the files of `package` that import it}."""
    files = [REPO_ROOT / "app.py"] if package == "app" else sorted((REPO_ROOT / package).rglob("*.py"))
    found: dict[str, set[str]] = {}
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in PACKAGES and top != package:
                    found.setdefault(top, set()).add(str(path.relative_to(REPO_ROOT)))
    return found


@pytest.mark.parametrize("package", sorted(PACKAGES))
def test_a_package_imports_only_the_layers_below_it(package):
    wrong = {other: sorted(files) for other, files in imported_packages(package).items() if other not in ALLOWED[package]}
    assert not wrong, f"{package} must not import {wrong}"


def test_the_allowed_imports_have_no_cycle():
    state: dict[str, str] = {}

    def visit(package: str, chain: tuple[str, ...]) -> None:
        assert state.get(package) != "visiting", f"import cycle: {' -> '.join((*chain, package))}"
        if state.get(package) == "done":
            return
        state[package] = "visiting"
        for other in sorted(ALLOWED[package]):
            visit(other, (*chain, package))
        state[package] = "done"

    for package in sorted(PACKAGES):
        visit(package, ())
