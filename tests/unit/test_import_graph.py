"""The import graph of src/: no cycle anywhere, and a domain on the standard library alone.

import-linter (`make test` runs `lint-imports`, contracts in pyproject.toml) checks the layers and
cycles between sibling packages; this proves the stricter module-level facts with grimp.
"""

from __future__ import annotations

import sys

import grimp

PACKAGES = ("domain", "application", "adapters", "entrypoints", "fms_simulator")


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    internal = {m for m in graph.modules if m.split(".")[0] in PACKAGES}
    for root in sorted(internal):
        if root in index:
            continue
        work = [(root, iter(sorted(graph.find_modules_directly_imported_by(root) & internal)))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append(
                        (child, iter(sorted(graph.find_modules_directly_imported_by(child) & internal)))
                    )
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_module_of_src_is_part_of_an_import_cycle() -> None:
    graph = grimp.build_graph(*PACKAGES)
    assert _cycles(graph) == []


def test_the_domain_imports_the_standard_library_and_itself_only() -> None:
    graph = grimp.build_graph(*PACKAGES, include_external_packages=True)
    domain = {m for m in graph.modules if m == "domain" or m.startswith("domain.")}
    imported = set().union(*(graph.find_modules_directly_imported_by(m) for m in domain))
    outside = {m.split(".")[0] for m in imported - domain}
    assert outside <= set(sys.stdlib_module_names), outside - set(sys.stdlib_module_names)
