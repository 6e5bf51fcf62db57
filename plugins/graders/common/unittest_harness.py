# Runs an instructor's unittest or pytest-style test files against a student's module, inside
# the sandbox, in one container start-up. Each test runs in a forked child that imports the
# student's code afresh, so one test cannot spoil another. Results go back through a pipe to
# this process, which prints them between two copies of a nonce no student code sees. Tests
# are listed from the test file's source before any student code runs, their code is
# fingerprinted, and unittest's machinery is checked after each test: a student module that
# patches the tests or the assertions fails instead of passing.
import ast
import ctypes
import hashlib
import json
import os
import resource
import select
import signal
import sys
import time
import traceback
import types
import unittest

job = json.loads(sys.stdin.buffer.read().decode("utf-8"))
nonce = job.pop("nonce")
sys.stdin.close()
try:
    ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE 0: no /proc access to us
except Exception:
    pass
sys.path.insert(0, os.getcwd())
sys.dont_write_bytecode = True

TC = unittest.TestCase
TR = unittest.TestResult
PROTECTED = {name: getattr(TC, name) for name in dir(TC)
             if name.startswith(("assert", "fail", "_base", "run", "__call__", "_call", "debug", "_callTest"))}
PROTECTED_RESULT = {name: getattr(TR, name) for name in dir(TR)
                    if not name.startswith("__")}


def fingerprint(code):
    parts = [code.co_code, repr(code.co_names), repr(code.co_varnames)]
    for c in code.co_consts:
        parts.append(fingerprint(c) if isinstance(c, types.CodeType) else repr(c))
    return hashlib.sha256("\x00".join(p if isinstance(p, str) else p.hex() for p in parts).encode()).hexdigest()


def list_tests(source):
    """(class or None, name) of every test, from the source alone."""
    tree = ast.parse(source)
    tests = []
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name.startswith("test"):
                    tests.append((node.name, item.name))
        elif isinstance(node, ast.FunctionDef) and node.name.startswith("test"):
            tests.append((None, node.name))
    return tests


def code_prints(code, prefix=""):
    out = {}
    for c in code.co_consts:
        if isinstance(c, types.CodeType):
            out[c.co_qualname if hasattr(c, "co_qualname") else prefix + c.co_name] = fingerprint(c)
            out.update(code_prints(c, prefix + c.co_name + "."))
    return out


def short_traceback(exc):
    lines = traceback.format_exception(type(exc), exc, exc.__traceback__)
    keep = [l for l in lines if "_assay_unittest_harness.py" not in l]
    return "".join(keep)[-4000:]


def run_in_child(modname, path, code, cls_name, test_name, prints, report_fd, cpu, memory):
    os.setsid()
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    if memory:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    out = os.open("/tmp/_assay_out_%d" % os.getpid(), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(out, 1)
    os.dup2(out, 2)
    devnull = os.open("/dev/null", os.O_RDONLY)
    os.dup2(devnull, 0)
    report = os.fdopen(report_fd, "w")
    outcome = {"status": "failed", "message": "", "traceback": ""}
    try:
        module = types.ModuleType(modname)
        module.__file__ = path
        sys.modules[modname] = module
        try:
            exec(code, module.__dict__)
        except BaseException as exc:  # the student's module (or the test file) did not import
            outcome["message"] = "Your code could not be loaded: %s: %s" % (type(exc).__name__, exc)
            outcome["traceback"] = short_traceback(exc)
            raise SystemExit
        if cls_name:
            cls = module.__dict__.get(cls_name)
            method = getattr(cls, test_name, None) if cls else None
            func = getattr(method, "__code__", None)
            qual = cls_name + "." + test_name
        else:
            method = module.__dict__.get(test_name)
            func = getattr(method, "__code__", None)
            qual = test_name
        if func is None or fingerprint(func) != prints.get(qual):
            outcome["message"] = "The test was changed while it ran; tests must not be modified."
            raise SystemExit
        if cls_name:
            # The test class may only inherit from classes of its own file and TestCase itself:
            # a student module cannot slip a doctored TestCase under it.
            if not (isinstance(cls, type) and issubclass(cls, TC)) or any(
                    base not in (TC, object) and base.__module__ != modname and not base.__module__.startswith("unittest")
                    for base in cls.__mro__):
                outcome["message"] = "The test class was replaced; tests must not be tampered with."
                raise SystemExit
            result = TR()
            TC.run(cls(test_name), result)
            problems = result.failures + result.errors
            if result.testsRun == 1 and not problems and not result.skipped and not result.unexpectedSuccesses:
                outcome["status"] = "passed"
            elif result.skipped:
                outcome["message"] = "skipped: " + str(result.skipped[0][1])
            elif problems:
                tb = problems[0][1]
                outcome["traceback"] = tb[-4000:]
                outcome["message"] = tb.strip().splitlines()[-1][:500]
        else:
            try:
                method()
                outcome["status"] = "passed"
            except AssertionError as exc:
                outcome["message"] = ("AssertionError: %s" % exc)[:500]
                outcome["traceback"] = short_traceback(exc)
            except BaseException as exc:
                outcome["message"] = ("%s: %s" % (type(exc).__name__, exc))[:500]
                outcome["traceback"] = short_traceback(exc)
        # Nothing unittest relies on may have been replaced.
        for name, original in PROTECTED.items():
            if getattr(TC, name, None) is not original or (cls_name and name.startswith("assert") and
                                                              getattr(cls, name, None) is not original and
                                                              name not in cls.__dict__):
                outcome = {"status": "failed", "message": "unittest.TestCase.%s was replaced; tests must not be "
                                                          "tampered with." % name, "traceback": ""}
        for name, original in PROTECTED_RESULT.items():
            if getattr(TR, name, None) is not original:
                outcome = {"status": "failed", "message": "unittest.TestResult was tampered with.", "traceback": ""}
    except SystemExit:
        pass
    except BaseException as exc:
        outcome["message"] = "%s: %s" % (type(exc).__name__, exc)
    finally:
        try:
            report.write(json.dumps(outcome))
            report.flush()
        except Exception:
            pass
        os._exit(0)


def run_file(spec):
    path = spec["file"]
    modname = os.path.splitext(os.path.basename(path))[0]
    with open(path, "r", encoding="utf-8") as f:
        source = f.read()
    code = compile(source, path, "exec")
    prints = code_prints(code)
    cases = []
    for cls_name, test_name in list_tests(source):
        case_id = (cls_name + "." if cls_name else "") + test_name
        r, w = os.pipe()
        started = time.monotonic()
        pid = os.fork()
        if pid == 0:
            os.close(r)
            run_in_child(modname, path, code, cls_name, test_name, prints, w, spec["cpu"], spec["memory"])
        os.close(w)
        data = b""
        deadline = started + spec["wall"]
        timed_out = False
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            ready, _, _ = select.select([r], [], [], min(left, 0.5))
            if ready:
                chunk = os.read(r, 65536)
                if not chunk:
                    break
                data += chunk
                if len(data) > 1 << 20:
                    break
        os.close(r)
        try:
            os.killpg(pid, signal.SIGKILL)
        except Exception:
            pass
        try:
            _, status = os.waitpid(pid, 0)
        except Exception:
            status = 0
        out_path = "/tmp/_assay_out_%d" % pid
        printed = ""
        try:
            with open(out_path, "rb") as f:
                printed = f.read(4096).decode("utf-8", "replace")
            os.unlink(out_path)
        except Exception:
            pass
        case = {"id": case_id, "stdout": printed, "wall_ms": int((time.monotonic() - started) * 1000)}
        try:
            case.update(json.loads(data.decode("utf-8")) if data else {})
        except Exception:
            pass
        if "status" not in case:
            case["status"] = "failed"
            if timed_out:
                case["message"] = "This test took longer than %g s and was stopped (an endless loop?)." % spec["wall"]
            elif os.WIFSIGNALED(status) and os.WTERMSIG(status) in (signal.SIGXCPU, signal.SIGKILL):
                case["message"] = "This test used more than %d s of processor time and was stopped." % spec["cpu"]
            else:
                case["message"] = "Your code ended the test before it finished (did it exit or crash?)."
        cases.append(case)
    return {"file": path, "cases": cases}


files = []
for spec in job["files"]:
    try:
        files.append(run_file(spec))
    except Exception as exc:
        files.append({"file": spec["file"], "error": "%s: %s" % (type(exc).__name__, exc), "cases": []})
sys.stdout.write(nonce + "\n" + json.dumps(files) + "\n" + nonce + "\n")
sys.stdout.flush()
