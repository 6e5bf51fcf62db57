"""Validates the analyzers' SARIF logs against the SARIF 2.1.0 JSON schema.

usage: validate_sarif.py SARIF_DUMP SCHEMA EXAMPLES_DIR
Runs SARIF_DUMP over the examples (every analyzer, an OOP rubric, a syntax error, a
budget too small to finish) and fails if any log is invalid, if a log that should have
findings has none, or if a deliberately broken log is accepted.
"""
import json
import pathlib
import subprocess
import sys
import tempfile

import jsonschema

RUBRIC = json.dumps({"rubric": [
    {"id": "c", "check": "class_exists", "class": "Shape"},
    {"id": "i", "check": "inherits", "class": "Circle", "base": "Shape"},
    {"id": "a", "check": "abstract", "class": "Shape"},
    {"id": "o", "check": "overrides", "class": "Circle", "method": "area"},
    {"id": "p", "check": "polymorphic", "base": "Shape", "method": "area"},
    {"id": "e", "check": "encapsulation", "class": "Circle"},
    {"id": "s", "check": "no_module_state"},
    {"id": "x", "check": "no_such_check"}]})


def main():
    dump, schema_path, examples = sys.argv[1], sys.argv[2], pathlib.Path(sys.argv[3])
    schema = json.loads(pathlib.Path(schema_path).read_text())
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    syntax_error = examples / "syntax_error.py"
    cases = {
        "bad": ([str(examples / "bad.py")], 20),
        "good+rubric": (["--options", RUBRIC, str(examples / "good.py"), str(examples / "bad.py")], 8),
        "syntax": ([str(syntax_error)], 1),
    }
    # A file far too large to analyze in 1 ms: the log must say so and still be valid.
    big = tempfile.NamedTemporaryFile("w", suffix=".py", delete=False)
    big.write("".join(f"def f{i}(a, b=[]):\n    return eval(a) if a==b else b\n\n\n" for i in range(3000)))
    big.close()
    cases["budget"] = (["--budget-ms", "1", big.name], 0)
    failures = 0
    for name, (args, minimum) in cases.items():
        out = subprocess.run([dump] + args, check=True, capture_output=True, text=True).stdout
        log = json.loads(out)
        errors = sorted(validator.iter_errors(log), key=lambda e: list(e.path))
        for e in errors[:5]:
            print(f"{name}: {'/'.join(map(str, e.path))}: {e.message}")
        results = log["runs"][0]["results"]
        if len(results) < minimum:
            print(f"{name}: expected at least {minimum} results, got {len(results)}")
            failures += 1
        failures += bool(errors)
        print(f"{name}: {len(results)} results, {'valid' if not errors else 'INVALID'}")
        if name == "budget" and log["runs"][0]["properties"]["complete"]:
            print("budget: a 1 ms budget was reported as complete")
            failures += 1
    # The validator must be able to fail: a wrong level and a missing message are rejected.
    broken = json.loads(out)
    broken["runs"][0]["results"] = [{"ruleId": "x", "level": "fatal"}]
    if validator.is_valid(broken):
        print("a broken log was accepted")
        failures += 1
    pathlib.Path(big.name).unlink()
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
