"""Test kernels forked from one warm process (tests/pytest_early.py starts it before the first notebook runs).

Each notebook runs in a kernel of its own, and every kernel imports the same libraries before its first cell. The
*forker* imports the kernel's own (IPython's kernel, with zmq and tornado) and the heavy libraries the notebooks
use (numpy, pyarrow, plotly) once, then forks a child per kernel. The child is a new process that starts a new
kernel with an empty namespace and imports pandas and nkdigital itself, as any kernel does: nothing of ours is
imported in advance and nothing runs before the kernel starts, so a notebook prints what a fresh kernel prints
(nbval compares every output). pandas is left out on purpose: it picks its display defaults at import by asking
whether it runs in a Jupyter kernel, which the forker is not (nbval caught the difference).

A library that reads an environment variable as it is imported keeps the forker's value, so a kernel is forked
only when its environment is the forker's, apart from the variables set for each kernel or test (`PER_KERNEL`;
ipykernel reads JPY_PARENT_PID at import, so the child is given it as an option). Any other kernel starts fresh.

The launcher (launch.py) connects to the forker's socket and passes its command line, folder, environment and
standard streams; the forker forks, tells the launcher the child's process id, and sends the exit status once the
child is gone. The launcher is the process Jupyter watches: it forwards the signals it gets (an interrupt) to the
child and exits with the child's status; the child is killed if the launcher dies. The forker is a child of the
test process, which waits for it, so every kernel's CPU time is counted in the test run's (benchmarks/RESULTS.md).
Without the forker (a kernel started outside a notebook run, or the forker gone) the launcher runs the kernel
itself, as before.
"""

from __future__ import annotations

import array
import contextlib
import gc
import json
import os
import selectors
import signal
import socket
import sys
import threading

ADDRESS_VARIABLE = "NKDIGITAL_TEST_FORKER"  # environment variable: the forker's socket, set by tests/pytest_early.py
PER_KERNEL = ("JPY_PARENT_PID", "PYTEST_CURRENT_TEST", ADDRESS_VARIABLE)
PRELOAD = ("ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell", "IPython.display", "numpy", "pyarrow",
           "pyarrow.compute", "plotly.graph_objects")
FORWARDED = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT)
MAX_REQUEST = 1 << 20


def run_forked(argv: list[str]) -> int | None:
    """Run the kernel as a child of the forker; its exit code, or None when the forker cannot fork it."""
    address = os.environ.get(ADDRESS_VARIABLE)
    if not address:
        return None
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(address)
    except OSError:
        sock.close()
        return None
    request = {"argv": argv, "cwd": os.getcwd(), "env": dict(os.environ), "executable": sys.executable}
    socket.send_fds(sock, [json.dumps(request).encode() + b"\n"], [0, 1, 2])
    try:
        pid = json.loads(_receive_line(sock))["pid"]
    except (ConnectionError, ValueError, KeyError):
        return None

    def forward(number: int, _frame) -> None:
        with contextlib.suppress(ProcessLookupError):  # the kernel has just exited
            os.kill(pid, number)

    for signum in FORWARDED:
        signal.signal(signum, forward)
    try:
        return json.loads(_receive_line(sock))["exitcode"]
    except (ConnectionError, ValueError, KeyError):
        return 1  # the forker went away: its kernels went with it


def _receive_line(sock: socket.socket) -> bytes:
    """One newline-terminated message from the other end."""
    data = b""
    while not data.endswith(b"\n"):
        chunk = sock.recv(4096)
        if not chunk:
            raise ConnectionError("the forker closed the connection")
        data += chunk
    return data


def _shared(env: dict) -> dict:
    return {name: value for name, value in env.items() if name not in PER_KERNEL}


class Forker:
    """The warm process: forks a kernel for each launcher that connects."""

    def __init__(self, address: str) -> None:
        os.close(os.pidfd_open(os.getpid()))  # OSError where the system has no pidfds: no forker, fresh kernels
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(address)
        self.listener.listen(64)  # launchers that connect while PRELOAD is imported wait in the backlog
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.listener, selectors.EVENT_READ, ("accept", 0))
        self.children: dict[int, tuple[socket.socket, int]] = {}  # pid -> (its launcher, its pidfd)
        self.parent = os.getppid()  # the test process: the forker does not outlive it
        self.stopping = False

    def serve(self) -> list[str] | None:
        """Import PRELOAD and fork kernels until SIGTERM or the test process is gone, then kill and reap the
        kernels still running; None.
        In each forked child this returns instead, with the arguments its kernel is to be started with."""
        for name in PRELOAD:
            __import__(name)
        signal.signal(signal.SIGTERM, self._stop)
        gc.freeze()  # the forked kernels share these pages instead of copying them
        while not self.stopping and os.getppid() == self.parent:
            for key, _ in self.selector.select(timeout=1):
                kind, pid = key.data
                if kind == "accept":
                    argv = self._fork(self.listener.accept()[0])
                    if argv is not None:
                        return argv
                elif kind == "launcher":  # the launcher hung up (it was killed): its kernel goes too
                    self.selector.unregister(key.fileobj)
                    _kill(pid)
                else:
                    self._reap(pid)
        for pid in list(self.children):
            _kill(pid)
            self._reap(pid)
        return None

    def _stop(self, *_) -> None:
        self.stopping = True

    def _reap(self, pid: int) -> None:
        """Send the exit code of a child that exited to its launcher."""
        conn, pidfd = self.children.pop(pid)
        self.selector.unregister(pidfd)
        os.close(pidfd)
        _, status = os.waitpid(pid, 0)
        with contextlib.suppress(OSError):  # unless the launcher is gone
            conn.sendall(json.dumps({"exitcode": os.waitstatus_to_exitcode(status)}).encode() + b"\n")
        with contextlib.suppress(KeyError):  # unless unregistered when the launcher hung up
            self.selector.unregister(conn)
        conn.close()

    def _fork(self, conn: socket.socket) -> list[str] | None:
        """Fork a kernel for the launcher on `conn`: in the child, its arguments; in the forker, None."""
        request, fds = _receive_request(conn)
        forkable = (len(fds) == 3 and request.get("executable") == sys.executable
                    and _shared(request.get("env", {})) == _shared(os.environ) and threading.active_count() == 1)
        if not forkable:
            for fd in fds:
                os.close(fd)
            conn.sendall(b"{}\n")  # the launcher starts the kernel itself
            conn.close()
            return None
        pid = os.fork()
        if pid == 0:
            self._leave()
            conn.close()
            return _become(request, fds)
        for fd in fds:
            os.close(fd)
        pidfd = os.pidfd_open(pid)
        self.children[pid] = (conn, pidfd)
        self.selector.register(pidfd, selectors.EVENT_READ, ("child", pid))
        self.selector.register(conn, selectors.EVENT_READ, ("launcher", pid))
        conn.sendall(json.dumps({"pid": pid}).encode() + b"\n")
        return None

    def _leave(self) -> None:
        """In a forked child: close what belongs to the forker."""
        self.selector.close()
        self.listener.close()
        for launcher, pidfd in self.children.values():
            launcher.close()
            os.close(pidfd)


def _become(request: dict, fds: list[int]) -> list[str]:
    """Give the forked child its launcher's streams, signals, folder and environment; its kernel's arguments."""
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    for signum in FORWARDED:
        signal.signal(signum, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    sys.argv[1:] = request["argv"]
    return [*request["argv"], f"--IPKernelApp.parent_handle={int(os.environ.get('JPY_PARENT_PID') or 0)}"]


def _receive_request(conn: socket.socket) -> tuple[dict, list[int]]:
    """The launcher's request (one JSON line) and the three standard streams it passed."""
    fds = array.array("i")
    data = b""
    while not data.endswith(b"\n") and len(data) < MAX_REQUEST:
        chunk, ancillary, _, _ = conn.recvmsg(MAX_REQUEST, socket.CMSG_LEN(3 * fds.itemsize))
        for level, kind, payload in ancillary:
            if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
                fds.frombytes(payload[: len(payload) - (len(payload) % fds.itemsize)])
        if not chunk:
            break
        data += chunk
    try:
        return json.loads(data), list(fds)
    except ValueError:
        return {}, list(fds)


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
