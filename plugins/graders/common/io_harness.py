# Runs a student's program once per io test, inside the sandbox, in one container start-up.
# Reads its job as JSON on standard input; prints the outcomes between two copies of a nonce
# the student's program never sees. Student programs run as children with their own pipes.
import base64
import ctypes
import json
import os
import resource
import selectors
import signal
import subprocess
import sys
import threading
import time

job = json.loads(sys.stdin.buffer.read().decode("utf-8"))
nonce = job.pop("nonce")
sys.stdin.close()
try:  # others of our uid may not read our memory or fds through /proc
    ctypes.CDLL(None).prctl(4, 0, 0, 0, 0)
except Exception:
    pass

cap = int(job["output_limit"])
memory = int(job.get("memory", 0))


def run_one(test):
    cpu = max(1, int(test["cpu"] + 0.999))

    def limits():
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
        if memory:
            resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    proc = subprocess.Popen([sys.executable, job["entry"]], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, preexec_fn=limits, start_new_session=True, close_fds=True)
    data = test["stdin"].encode("utf-8")

    def feed():
        try:
            proc.stdin.write(data)
        except Exception:
            pass
        try:
            proc.stdin.close()
        except Exception:
            pass

    threading.Thread(target=feed, daemon=True).start()
    out, err = bytearray(), bytearray()
    exceeded = False
    timeout = None
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ, out)
    sel.register(proc.stderr, selectors.EVENT_READ, err)
    deadline = started + float(test["wall"])
    open_streams = 2
    while open_streams:
        left = deadline - time.monotonic()
        if left <= 0:
            timeout = "wall"
            break
        for key, _ in sel.select(timeout=min(left, 0.5)):
            chunk = os.read(key.fileobj.fileno(), 65536)
            if not chunk:
                sel.unregister(key.fileobj)
                open_streams -= 1
                continue
            key.data.extend(chunk)
            if len(key.data) > cap:
                exceeded = True
        if exceeded:
            break
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except Exception:
        pass
    try:
        code = proc.wait(timeout=5)
    except Exception:
        code = None
    wall_ms = int((time.monotonic() - started) * 1000)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_ms = int(((after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)) * 1000)
    sig = -code if code is not None and code < 0 else 0
    if timeout is None and not exceeded and (sig == signal.SIGXCPU or (sig == signal.SIGKILL and cpu_ms >= cpu * 900)):
        timeout = "cpu"
    return {
        "exit": code if code is not None and code >= 0 else -1,
        "signal": sig,
        "stdout": base64.b64encode(bytes(out[:cap])).decode("ascii"),
        "stderr": base64.b64encode(bytes(err[-8192:])).decode("ascii"),
        "output_exceeded": exceeded,
        "timeout": timeout,
        "memory": b"MemoryError" in err,
        "cpu_ms": cpu_ms,
        "wall_ms": wall_ms,
    }


results = [run_one(t) for t in job["tests"]]
sys.stdout.write(nonce + "\n" + json.dumps(results) + "\n" + nonce + "\n")
sys.stdout.flush()
