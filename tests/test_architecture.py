"""Imports run one way and the model class is wiring: the package's shape, checked."""

import ast
from pathlib import Path

import pytest

SIM = Path(__file__).resolve().parents[1] / "sim"
#: Package prefixes, lowest first: a module may import its own layer or a lower one.
LAYERS = (
    ("sim.kernels", "sim.streams", "sim.measures.definitions"),
    ("sim.config", "sim.work"),
    ("sim.validate", "sim.county", "sim.agents", "sim.demand", "sim.records", "sim.staffing"),
    ("sim.policies",),
    ("sim.model",),
    ("sim.api",),
    ("sim.measures",),
    ("sim.runners",),
    ("sim.analysis", "sim.dashboard", "sim.compare", "sim.province", "sim.sensitivity",
     "sim.bench", "sim.calibrate", "sim.explore", "sim.__main__"),
)


def _module(path: Path) -> str:
    parts = path.relative_to(SIM.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _layer(module: str) -> int:
    best = None
    for index, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if module == prefix or module.startswith(prefix + "."):
                if best is None or len(prefix) > best[1]:
                    best = (index, len(prefix))
    return best[0] if best else -1


def _top_level_imports(path: Path) -> set[str]:
    """Modules of ``sim`` imported when ``path`` is imported (not inside functions)."""
    found = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("sim"):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("sim"))
    return found


GRAPH = {_module(path): _top_level_imports(path) for path in SIM.rglob("*.py")}


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_imports_run_one_way(module):
    if module == "sim":  # the package registers the config schema
        return
    mine = _layer(module)
    assert mine >= 0, f"{module} is in no layer"
    for imported in GRAPH[module]:
        assert _layer(imported) <= mine, f"{module} (layer {mine}) imports {imported}"


def test_no_import_cycle():
    seen, stack = set(), []

    def visit(module):
        if module in stack:
            raise AssertionError(" -> ".join([*stack[stack.index(module):], module]))
        if module in seen or module not in GRAPH:
            return
        stack.append(module)
        for imported in GRAPH[module]:
            visit(imported)
        stack.pop()
        seen.add(module)

    for module in GRAPH:
        visit(module)


def test_the_model_class_is_wiring():
    source = (SIM / "model.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    model = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == "CountyWorkload")
    assert model.end_lineno - model.lineno + 1 < 250
    step = next(n for n in model.body if isinstance(n, ast.FunctionDef) and n.name == "step")
    assert step.end_lineno - step.lineno + 1 <= 25  # the day's schedule, one line per stage


def test_no_kernel_takes_more_than_eight_parameters():
    checked = set()
    for path in (SIM / "kernels").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and any(
                    "njit" in ast.unparse(d) or ast.unparse(d) == "kernel"
                    for d in node.decorator_list):
                assert len(node.args.args) <= 8, (path.name, node.name, len(node.args.args))
                checked.add(node.name)
    assert {"serve_day", "serve_county", "run_answers", "push"} <= checked  # both decorators
