"""Safe evaluation of derived-row formulas: arithmetic over row ids written in braces."""

from __future__ import annotations

import ast
import operator
import re

from nkdigital.core.limits import MAX_FORMULA_CHARS, MAX_FORMULA_DEPTH

_REFERENCE = re.compile(r"\{([a-z0-9-]+)\}")
_OPERATORS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}


def references(formula: str) -> list[str]:
    """Row ids a formula uses, in order of first appearance."""
    return list(dict.fromkeys(_REFERENCE.findall(formula)))


def evaluate(formula: str, values: dict[str, float]) -> float:
    """Evaluate `formula` with `values` for its ids; raise ValueError for anything but + - * / and numbers.

    The formula's length and nesting are bounded before it is parsed, so no formula can exhaust memory or stack.
    """
    check_size(formula)
    names = {ref: f"v{i}" for i, ref in enumerate(references(formula))}
    expression = _REFERENCE.sub(lambda m: names[m.group(1)], formula)
    try:
        tree = ast.parse(expression, mode="eval")
    except SyntaxError:
        raise ValueError(f"formula is not arithmetic: {formula}") from None
    bound = {name: values[ref] for ref, name in names.items()}
    return _eval(tree.body, bound, formula)


def check_size(formula: str) -> None:
    """Raise ValueError if `formula` is longer or more deeply nested than the limits allow."""
    if len(formula) > MAX_FORMULA_CHARS:
        raise ValueError(f"formula is longer than {MAX_FORMULA_CHARS} characters")
    depth = deepest = 0
    for char in formula:
        depth += {"(": 1, ")": -1}.get(char, 0)
        deepest = max(deepest, depth)
    if deepest > MAX_FORMULA_DEPTH:
        raise ValueError(f"formula nests parentheses more than {MAX_FORMULA_DEPTH} deep")


def _eval(node: ast.AST, bound: dict[str, float], formula: str) -> float:
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        return _OPERATORS[type(node.op)](_eval(node.left, bound, formula), _eval(node.right, bound, formula))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_eval(node.operand, bound, formula)
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float) and not isinstance(node.value, bool):
        return float(node.value)
    if isinstance(node, ast.Name) and node.id in bound:
        return bound[node.id]
    raise ValueError(f"formula may use only numbers, row ids in braces and + - * /: {formula}")
