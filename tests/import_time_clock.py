"""Finds test code that reads the clock when a module is imported (collected), not when a test runs.

A value computed at collection (`NOW = int(time.time())`, a `parametrize` argument, a default argument) is
stale by the time its test runs: a slow suite runs some tests many minutes after collecting them.

What runs at import time: module and class bodies, decorators, default arguments, and the bodies of
functions that those call. The check follows calls to functions defined in the test modules themselves
(across modules, through `from tests... import name`), so `claims(exp=...)` in a decorator is caught when
`claims` reads the clock. It does not follow calls into `src/` or third-party code.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

CLOCK_READS = frozenset(
    {
        "time.time",
        "time.time_ns",
        "time.monotonic",
        "time.monotonic_ns",
        "time.perf_counter",
        "time.localtime",
        "time.gmtime",
        "time.ctime",
        "time.asctime",
        "time.strftime",
        "datetime.datetime.now",
        "datetime.datetime.utcnow",
        "datetime.datetime.today",
        "datetime.date.today",
    }
)


@dataclass(frozen=True)
class ClockAtImport:
    """One place where a module reads the clock while it is imported."""

    path: str
    line: int
    call: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.call}() runs at import time"


@dataclass
class _Module:
    name: str
    path: str
    tree: ast.Module
    aliases: dict[str, str]  # local name -> dotted name (modules, their members, test functions)
    functions: dict[str, ast.FunctionDef | ast.AsyncFunctionDef]  # top-level functions by name


def _aliases(tree: ast.Module, module: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.asname:
                    out[alias.asname] = alias.name
                else:
                    top = alias.name.split(".")[0]
                    out[top] = top
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                out[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            out[node.name] = f"{module}.{node.name}"
    return out


def _dotted(node: ast.expr, aliases: dict[str, str]) -> str | None:
    """`dt.datetime.now` -> `datetime.datetime.now` when `import datetime as dt`."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    head = aliases.get(node.id)
    if head is None:
        return None
    return ".".join([head, *reversed(parts)])


def _calls(nodes: list[ast.AST]) -> Iterator[ast.Call]:
    """Calls evaluated when these nodes run, not those inside the functions and lambdas they define."""
    stack = list(nodes)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            # Decorators, defaults and annotations run when the def does; the body does not.
            args = node.args
            stack.extend(node.decorator_list)
            stack.extend(d for d in [*args.defaults, *args.kw_defaults] if d is not None)
            continue
        if isinstance(node, ast.Lambda):
            stack.extend(d for d in [*node.args.defaults, *node.args.kw_defaults] if d is not None)
            continue
        if isinstance(node, ast.If) and _is_main_guard(node.test):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Call):
            yield node
        stack.extend(ast.iter_child_nodes(node))


def _is_main_guard(test: ast.expr) -> bool:
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
        and any(isinstance(c, ast.Constant) and c.value == "__main__" for c in test.comparators)
    )


def _module_name(path: Path, root: Path) -> str:
    relative = path.relative_to(root.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _load(paths: list[Path], root: Path) -> list[_Module]:
    modules = []
    for path in paths:
        name = _module_name(path, root)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        functions = {
            node.name: node for node in tree.body if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        }
        modules.append(
            _Module(name, str(path.relative_to(root.parent)), tree, _aliases(tree, name), functions)
        )
    return modules


def _clock_readers(modules: list[_Module]) -> dict[str, str]:
    """Test functions (dotted name) whose bodies read the clock, directly or through other test
    functions, each with the clock call it ends in."""
    bodies = {f"{m.name}.{name}": (m, fn) for m in modules for name, fn in m.functions.items()}
    readers: dict[str, str] = {}
    changed = True
    while changed:
        changed = False
        for qualified, (module, fn) in bodies.items():
            if qualified in readers:
                continue
            for call in _calls(list(fn.body)):  # what runs when it is called, not what it defines
                callee = _dotted(call.func, module.aliases)
                if callee in CLOCK_READS:
                    readers[qualified] = callee
                elif callee in readers:
                    readers[qualified] = readers[callee]
                else:
                    continue
                changed = True
                break
    return readers


def find_clock_at_import(paths: list[Path], root: Path) -> list[ClockAtImport]:
    """Every clock read that importing these modules would run; `root` is the `tests` package folder."""
    modules = _load(paths, root)
    readers = _clock_readers(modules)
    found = []
    for module in modules:
        for call in _calls(list(module.tree.body)):
            callee = _dotted(call.func, module.aliases)
            if callee in CLOCK_READS:
                found.append(ClockAtImport(module.path, call.lineno, callee))
            elif callee in readers:
                found.append(ClockAtImport(module.path, call.lineno, f"{callee} -> {readers[callee]}"))
    return sorted(found, key=lambda f: (f.path, f.line))
