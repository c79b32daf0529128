"""Runs one page's blocks in order, in this fresh interpreter, as a reader would.

Started by scripts/page_runs.py as ``python -I page_driver.py`` in an empty
folder: ``-I`` keeps the project's folders off ``sys.path``, so a block that
imports from ``snippets`` fails here as it would for a reader. It reads the
blocks as JSON on stdin and writes one result per block as JSON to the file named by its argument
(the blocks' own prints go to a buffer per block).

This file imports only the standard library: it must run wherever the page's
code runs, and it is the one part of the runner a reader never sees.
"""

import ast
import contextlib
import importlib.util
import io
import json
import os
import sys
import traceback

# Block n's line k is compiled as line n * SPAN + k of one file, so that any
# traceback line, even from a method that an excerpt merged into a class,
# names its block and line.
SPAN = 100_000
FILENAME = "<page>"
WORKERS = max(1, min(2, os.cpu_count() or 1))


def _page_frames(error: BaseException) -> list[list[int]]:
    frames = traceback.extract_tb(error.__traceback__)
    return [list(divmod(frame.lineno, SPAN)) for frame in frames if frame.filename == FILENAME]


def _located(error: BaseException) -> tuple[int, int] | None:
    frames = [frame for frame in traceback.extract_tb(error.__traceback__) if frame.filename == FILENAME]
    if not frames:
        return None
    return divmod(frames[-1].lineno, SPAN)


def _module(block: dict, classes: dict) -> ast.Module:
    tree = ast.parse(block["code"], FILENAME)
    ast.increment_lineno(tree, block["number"] * SPAN)
    for index, node in enumerate(tree.body):
        if not isinstance(node, ast.ClassDef):
            continue
        members = node.body
        if index == 0 and block["excerpt_of"] == node.name:
            # `class X(...): ...` then members: the members join X as the page has shown it.
            known = classes.get(node.name, [])
            added = {member_name(member) for member in members[1:]}
            members = [m for m in known if member_name(m) not in added or member_name(m) is None] + members[1:]
            node.body = members
        classes[node.name] = list(members)
    return tree


def member_name(node: ast.stmt) -> str | None:
    """The name a class member binds (a method, a nested class, `x = ...`), else None."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return node.name
    if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
        return node.targets[0].id
    return None


def run_blocks(blocks: list[dict]) -> list[dict]:
    namespace = {"__name__": "__main__", "__builtins__": __builtins__}
    classes: dict[str, list] = {}
    results = []
    for block in blocks:
        printed = io.StringIO()
        raised = None
        try:
            code = compile(_module(block, classes), FILENAME, "exec")
            with contextlib.redirect_stdout(printed):
                exec(code, namespace)
        except Exception as error:
            where = _located(error)
            raised = {
                "type": type(error).__name__,
                "module": type(error).__module__,
                "message": str(error),
                "block": where[0] if where else block["number"],
                "line": where[1] if where else None,
                # Every page line the exception went through, outermost first: a failure
                # declared in block 2 may be raised by a method that block 1 defined.
                "through": _page_frames(error),
                "traceback": "".join(traceback.format_exception(error)).split(f'File "{FILENAME}"', 1)[-1][-4000:],
            }
        results.append({"number": block["number"], "stdout": printed.getvalue(), "raised": raised})
        if raised and raised["type"] != (block.get("raises") or [None])[0]:
            break  # what follows would only repeat this failure
    return results


def main() -> None:
    leaked = [name for name in ("snippets", "scripts") if importlib.util.find_spec(name) is not None]
    if leaked:
        raise SystemExit(f"the project's packages are importable here ({', '.join(leaked)}): run with python -I")
    jobs = json.load(sys.stdin)
    # The page's heavy imports, once: each job then runs in a process of its
    # own, forked from this one, where `import tensorflow` costs nothing but
    # no page's code has run yet.
    for name in sys.argv[1:]:
        importlib.import_module(name)
    running = []
    for job in jobs:
        while len(running) >= WORKERS:
            running.remove(os.wait()[0])
        pid = os.fork()
        if pid == 0:
            status = 1
            try:
                os.chdir(job["cwd"])
                results = run_blocks(job["blocks"])
                with open(job["result"], "w", encoding="utf-8") as out:
                    json.dump(results, out)
                status = 0
            finally:
                sys.stdout.flush()
                os._exit(status)
        running.append(pid)
    for pid in running:
        os.waitpid(pid, 0)


if __name__ == "__main__":
    main()
