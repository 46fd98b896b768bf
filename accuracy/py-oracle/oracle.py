#!/usr/bin/env python3
"""The Python oracle of graphhub's accuracy harness.

Python has no compiler-grade type checker that names call targets, so this
is the best that can be had here: jedi (Debian's python3-jedi), which
infers types statically and resolves names through imports, asked for the
definition of every call's callee. It is weaker than go/types or the
TypeScript checker, and the report says so.

For every call in the project's .py files it prints one JSON line in the
harness's oracle format (src/accuracy/oracle-records.ts):

- a function, method or class defined in the project: "static", with every
  definition jedi names (several when inference finds several), a class
  also accepting its __init__;
- a definition outside the project (standard library, other packages):
  "static" with "external";
- a parameter, attribute or value jedi cannot tie to a definition: "dynamic".

Sites are where graphhub records them (the attribute name of `x.f()`, else
the start of the callee), with columns in UTF-16 code units plus one.

    python3 oracle.py ROOT
"""
import ast
import json
import os
import sys

import jedi


def utf16_column(line_text, byte_offset):
    prefix = line_text.encode("utf-8")[:byte_offset].decode("utf-8", errors="replace")
    return len(prefix.encode("utf-16-le")) // 2 + 1


def site_of(func):
    """(line, byte column) of the called name, as graphhub's extractor places it."""
    if isinstance(func, ast.Attribute):
        return func.end_lineno, func.end_col_offset - len(func.attr.encode("utf-8"))
    return func.lineno, func.col_offset


def list_sources(root):
    found = []
    for directory, subdirectories, files in os.walk(root):
        subdirectories[:] = sorted(d for d in subdirectories if not d.startswith(".") and d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py"):
                found.append(os.path.join(directory, name))
    return found


class Oracle:
    def __init__(self, root):
        self.root = os.path.realpath(root)
        # The corpus comes first: an installed copy of the same package (Debian's
        # own, in dist-packages) must not stand in for the code being measured.
        sys_path = [self.root] + [entry for entry in sys.path if entry and os.path.realpath(entry) != self.root]
        self.project = jedi.Project(self.root, sys_path=sys_path, smart_sys_path=False)
        self.scripts = {}
        self.trees = {}

    def rel(self, path):
        return os.path.relpath(path, self.root).replace(os.sep, "/")

    def own(self, path):
        return path is not None and os.path.realpath(str(path)).startswith(self.root + os.sep)

    def end_of(self, name):
        parent = name.parent()
        owner = parent.name if parent is not None and parent.type == "class" else None
        return {
            "file": self.rel(os.path.realpath(str(name.module_path))),
            "name": f"{owner}.{name.name}" if owner else name.name,
            "line": name.line,
        }

    def implementation_of_stub(self, name):
        """The corpus's definition that a .pyi stub's `name` describes, found in the module's source by name."""
        path = str(name.module_path or "")
        if not path.endswith(".pyi") or not name.module_name:
            return None
        base = os.path.join(self.root, *name.module_name.split("."))
        for candidate in (base + ".py", os.path.join(base, "__init__.py")):
            if os.path.isfile(candidate):
                break
        else:
            return None
        tree = self.module_tree(candidate)
        if tree is None:
            return None
        parent = name.parent()
        body = tree.body
        owner = None
        if parent is not None and parent.type == "class":
            owner = parent.name
            classes = [node for node in body if isinstance(node, ast.ClassDef) and node.name == owner]
            if not classes:
                return None
            body = classes[0].body
        kinds = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
        found = [node for node in body if isinstance(node, kinds) and node.name == name.name]
        if not found:
            return None
        node = found[0]
        if name.type == "class" and isinstance(node, ast.ClassDef):
            # `C()` runs C.__init__ when the class defines one, as initializers() says for the corpus's own classes.
            inits = [item for item in node.body if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name == "__init__"]
            if inits:
                return {"file": self.rel(candidate), "name": f"{node.name}.__init__", "line": inits[0].lineno}
        return {"file": self.rel(candidate), "name": f"{owner}.{node.name}" if owner else node.name, "line": node.lineno}

    def module_tree(self, path):
        if path not in self.trees:
            try:
                with open(path, encoding="utf-8") as handle:
                    self.trees[path] = ast.parse(handle.read(), filename=path)
            except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
                self.trees[path] = None
        return self.trees[path]

    def overloads(self, name):
        """Other definitions of the same name in the same class or module: @overload stubs, property setters."""
        parent = name.parent()
        if parent is None or parent.type not in ("class", "module"):
            return []
        try:
            siblings = parent.defined_names()
        except Exception:
            return []
        return [self.end_of(other) for other in siblings
                if other.name == name.name and other.type == "function" and not Oracle._same_definition(other, name) and self.own(other.module_path)]

    def initializers(self, cls, depth):
        """`C()` runs C.__init__, or the first base class's that defines one (the project's own)."""
        if depth > 5:
            return []
        try:
            members = cls.defined_names()
        except Exception:
            return []
        own_init = [member for member in members if member.name == "__init__" and member.type == "function"]
        if own_init:
            return [self.end_of(member) for member in own_init]
        found = []
        for base in self.bases(cls):
            if self.own(base.module_path):
                found.extend(self.initializers(base, depth + 1))
            if found:
                break
        return found

    def bases(self, cls):
        """The classes a class derives from, as jedi resolves the names in its bases list."""
        try:
            node = cls._name.tree_name.get_definition()
            arglist = node.get_super_arglist()
        except Exception:
            return []
        if arglist is None:
            return []
        children = arglist.children if arglist.type == "arglist" else [arglist]
        script = self.script_for(str(cls.module_path))
        result = []
        for child in children:
            if child.type == "operator" or child.type == "argument":
                continue
            leaf = child.get_last_leaf()
            try:
                names = script.goto(leaf.line, leaf.column, follow_imports=True)
            except Exception:
                continue
            result.extend(name for name in names if name.type == "class")
        return result

    def script_for(self, path):
        script = self.scripts.get(path)
        if script is None:
            with open(path, encoding="utf-8") as handle:
                script = jedi.Script(handle.read(), path=path, project=self.project)
            self.scripts[path] = script
        return script

    def run(self, out):
        files = list_sources(self.root)
        units = {"record": "package", "dir": ".", "importPath": "", "test": False, "files": [], "status": "ok"}
        unparsable = []
        calls = []
        for path in files:
            try:
                with open(path, encoding="utf-8") as handle:
                    text = handle.read()
                tree = ast.parse(text, filename=path)
            except (SyntaxError, UnicodeDecodeError, ValueError):
                unparsable.append(self.rel(path))
                continue
            units["files"].append(self.rel(path))
            calls.extend(self.file_calls(path, text, tree))
        if unparsable:
            units["unparsable"] = unparsable
        out.write(json.dumps(units) + "\n")
        for record in calls:
            out.write(json.dumps(record) + "\n")

    def file_calls(self, path, text, tree):
        lines = text.split("\n")
        script = jedi.Script(text, path=path, project=self.project)
        self.scripts[path] = script
        file = self.rel(path)
        records = []
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            line, byte_col = site_of(node.func)
            col = utf16_column(lines[line - 1], byte_col)
            record = {
                "record": "call",
                "kind": "dynamic",
                "caller": {"file": file, "name": "", "line": 0},
                "site": {"file": file, "line": line, "col": col},
            }
            self.classify(script, line, len(lines[line - 1].encode("utf-8")[:byte_col].decode("utf-8", errors="replace")), record)
            records.append(record)
        return records

    def classify(self, script, line, column, record):
        """`column`: 0-based, in characters, as jedi counts."""
        try:
            names = script.goto(line, column, follow_imports=True)
        except Exception:  # jedi gives up on some code; that call stays dynamic
            return
        definitions = [name for name in names if name.type in ("function", "class")]
        if not definitions:
            return
        own = [name for name in definitions if self.own(name.module_path)]
        if not own:
            # jedi's bundled typeshed has stubs for some of the corpora (jinja2,
            # click…): a stub standing in for the corpus's own module names the
            # corpus's definition.
            implemented = [end for end in (self.implementation_of_stub(name) for name in definitions) if end]
            if implemented:
                record["kind"] = "static"
                record["callee"] = implemented[0]
                if len(implemented) > 1:
                    record["alternatives"] = implemented[1:]
                return
            first = definitions[0]
            record["kind"] = "static"
            record["external"] = f"{first.module_name} {first.name}"
            return
        ends = []
        for name in own:
            ends.append(self.end_of(name))
            if name.type == "class":
                ends.extend(self.initializers(name, 0))
            else:
                ends.extend(self.overloads(name))
        record["kind"] = "static"
        record["callee"] = ends[0]
        if len(ends) > 1:
            record["alternatives"] = ends[1:]


def _same_definition(a, b):
    return a.module_path == b.module_path and a.line == b.line


Oracle._same_definition = staticmethod(_same_definition)


def main():
    if len(sys.argv) != 2:
        sys.stderr.write("usage: oracle.py ROOT\n")
        return 2
    Oracle(sys.argv[1]).run(sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
