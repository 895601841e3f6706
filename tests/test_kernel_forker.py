"""The test kernel's forker (tests/jupyter/kernels/nkdigital-test/forking.py): kernels forked from one warm process
behave as kernels Jupyter started itself — their own folder and environment, interrupts, exit codes, and no
process left behind when a launcher or the forker goes."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import pytest
from jupyter_client.manager import start_new_kernel

from tests import pytest_early

VARIABLE = pytest_early._forking().ADDRESS_VARIABLE


@pytest.fixture
def forker():
    process, folder = pytest_early.start_forker()
    yield process, pytest_early.address(folder)
    pytest_early.stop_forker(process, folder)


def _kernel(address: str, cwd: Path, **env: str):
    environment = {**os.environ, VARIABLE: address, **env}
    return start_new_kernel(kernel_name="nkdigital-test", env=environment, cwd=str(cwd), startup_timeout=60)


def _run(client, code: str) -> tuple[dict, str]:
    printed = []
    reply = client.execute_interactive(code, timeout=60, output_hook=lambda msg: printed.append(
        msg["content"].get("text", "")) if msg["msg_type"] == "stream" else None)
    return reply["content"], "".join(printed)


def _printed(address: str, cwd: Path, code: str, **env: str) -> str:
    """What `code` prints in a kernel started for `address`, then stopped as nbval stops its kernels (`now`: a
    polite shutdown can hang in ipykernel 7.4's close, where the control thread publishes its status on the IOPub
    pipe just closed; 1 in 40 fresh kernels here, a little more often when forked, until Jupyter terminates it)."""
    manager, client = _kernel(address, cwd, **env)
    try:
        return _run(client, code)[1]
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


def _gone(pid: int) -> bool:
    """Whether the process has exited (or is a zombie its new parent has yet to reap), waiting 10 s at most."""
    for _ in range(1000):
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return True
        if state == "Z":
            return True
        time.sleep(0.01)
    return False


def test_a_forked_kernel_has_its_own_folder_and_nothing_of_ours_imported(forker, tmp_path, capfd):
    process, address = forker
    printed = _printed(address, tmp_path, "import os, sys\nprint(os.getppid(), os.getcwd())\n"
                                          "print(*(name in sys.modules for name in ('numpy', 'pandas', 'nkdigital')))")
    assert printed.splitlines() == [f"{process.pid} {tmp_path}", "True False False"]
    assert "NOTE" not in capfd.readouterr().out  # ipykernel knows its parent (JPY_PARENT_PID) as in a fresh kernel


def test_a_kernel_whose_environment_differs_from_the_forkers_starts_fresh(forker, tmp_path):
    """A library imported in the forker keeps what it read from the forker's environment, so a kernel given
    another environment is not forked."""
    printed = _printed(forker[1], tmp_path, "import os, sys\nprint(os.getppid(), 'numpy' in sys.modules, "
                                            "os.environ['NKDIGITAL_PROBE'])", NKDIGITAL_PROBE="only this kernel's")
    assert printed.split(" ", 2) == [str(os.getpid()), "False", "only this kernel's\n"]


def test_an_interrupt_reaches_the_forked_kernel(forker, tmp_path):
    manager, client = _kernel(forker[1], tmp_path)
    try:
        client.execute("import time\ntime.sleep(60)", stop_on_error=False)  # what follows is not aborted
        time.sleep(0.5)
        manager.interrupt_kernel()
        reply = client.get_shell_msg(timeout=30)["content"]
        after, printed = _run(client, "print('still here')")
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    assert (reply["status"], reply["ename"]) == ("error", "KeyboardInterrupt")
    assert (after["status"], printed) == ("ok", "still here\n")


def test_the_launcher_exits_with_its_kernels_exit_code(forker, tmp_path):
    manager, client = _kernel(forker[1], tmp_path)
    launcher = manager.provisioner.process
    client.execute("import os\nos._exit(3)")
    try:
        assert launcher.wait(timeout=30) == 3
    finally:
        client.stop_channels()
        manager.cleanup_resources()


def test_a_killed_launcher_takes_its_kernel_with_it(forker, tmp_path):
    pid = _printed(forker[1], tmp_path, "import os\nprint(os.getpid())")  # `now` kills the launcher alone
    assert _gone(int(pid))


def test_stopping_the_forker_ends_its_kernels_and_removes_its_socket(tmp_path):
    process, folder = pytest_early.start_forker()
    manager, client = _kernel(pytest_early.address(folder), tmp_path)
    try:
        _, pid = _run(client, "import os\nprint(os.getpid())")
        launcher = manager.provisioner.process
        pytest_early.stop_forker(process, folder)
        assert launcher.wait(timeout=30) == 1  # told nothing more: the forker went away
    finally:
        client.stop_channels()
        manager.cleanup_resources()
    assert process.returncode == 0
    assert _gone(int(pid))
    assert not Path(folder).exists()


def test_the_forker_does_not_outlive_the_process_that_started_it(tmp_path):
    import subprocess
    import sys

    starter = ("import sys\nsys.path.insert(0, sys.argv[1])\nfrom tests import pytest_early\n"
               "process, folder = pytest_early.start_forker()\nprint(process.pid, flush=True)\n")
    root = str(Path(pytest_early.__file__).resolve().parents[1])
    run = subprocess.run([sys.executable, "-c", starter, root], capture_output=True, text=True, timeout=60)
    assert _gone(int(run.stdout)), "the forker outlived the process that started it"


def test_a_temporary_folder_too_long_for_a_socket_puts_the_forker_in_tmp(monkeypatch, tmp_path):
    deep = tmp_path / ("d" * pytest_early.SOCKET_ROOM)
    deep.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(deep))
    process, folder = pytest_early.start_forker()
    try:
        assert Path(folder).parent == Path("/tmp")
        assert Path(pytest_early.address(folder)).is_socket()
    finally:
        pytest_early.stop_forker(process, folder)


def test_a_forker_that_cannot_listen_says_so_in_one_line(tmp_path):
    import subprocess
    import sys

    launch = Path(pytest_early.__file__).parent / "jupyter" / "kernels" / "nkdigital-test" / "launch.py"
    run = subprocess.run([sys.executable, str(launch), "--forker", str(tmp_path / "missing" / "socket")],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 1
    assert run.stderr == "the test kernels start fresh: no forker ([Errno 2] No such file or directory)\n"


def test_without_a_forker_the_launcher_runs_the_kernel_itself(tmp_path):
    code = "import os, sys\nprint(os.getppid(), 'numpy' in sys.modules)"
    printed = _printed(str(tmp_path / "no-forker-here"), tmp_path, code)
    assert printed.split() == [str(os.getpid()), "False"]


def test_a_notebook_run_forks_its_kernels_and_leaves_no_forker_behind(tmp_path):
    """`pytest --nbval` with the project's configuration: the notebook's kernel is forked (numpy is already
    imported when its first cell runs, which a fresh kernel would not have done), and the forker's socket folder
    is gone when pytest exits."""
    import subprocess
    import sys

    import nbformat

    root = Path(pytest_early.__file__).resolve().parents[1]
    cell = nbformat.v4.new_code_cell("import sys\nprint('numpy' in sys.modules)", execution_count=1)
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="True\n")]
    notebook = tmp_path / "forked.ipynb"
    nbformat.write(nbformat.v4.new_notebook(cells=[cell]), notebook)
    temporary = Path(tempfile.mkdtemp(prefix="nkdigital-test-"))  # short: a long TMPDIR puts the socket in /tmp
    env = {name: value for name, value in os.environ.items() if name != VARIABLE}
    run = subprocess.run([sys.executable, "-m", "pytest", "--nbval", "-q", "-p", "no:cacheprovider", "-c",
                          str(root / "pyproject.toml"), "--rootdir", str(root), str(notebook)],
                         cwd=root, env={**env, "TMPDIR": str(temporary)}, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 passed" in run.stdout
    assert not list(temporary.glob("nkdigital-forker-*"))
    temporary.rmdir()
