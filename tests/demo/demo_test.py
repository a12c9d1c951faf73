#!/usr/bin/env python3
"""scripts/demo under a pseudo-terminal, as a user runs it.

Each case starts the real demo (three MariaDB servers, a master, two slaves)
with its own run directory (over 150 characters deep) and ports (DDB_DEMO_RUN_DIR, DDB_DEMO_PORT_OFFSET)
and the daemons of the build directory under test (DDB_DEMO_BIN_DIR), waits
for the master console's prompt, then:

  hangup  sends SIGHUP to the demo's process group and closes the terminal,
          as a terminal emulator does when its window closes: every process
          the demo started must be gone;
  ctrl-c  types Ctrl-C at the console (a half-typed statement, then a
          running read): the line is dropped, the read cancelled, and the
          cluster keeps serving; \\q then stops every process;
  check   runs each daemon's own command line with --check (the shipped
          config/*.ini and the demo's flags) while it runs: all well.

Every wait has a deadline; whatever is left at the end is killed by the pid
the demo recorded (run/pids), never by name.

Usage: demo_test.py SOURCE_DIR BUILD_DIR hangup|ctrl-c|check
"""
import os
import pty
import re
import select
import subprocess
import shutil
import signal
import socket
import sys
import tempfile
import time

# The ports of config/*.ini; the demo adds DDB_DEMO_PORT_OFFSET to each.
DEMO_PORTS = [33071, 33072, 33073, 4406, 4407, 4416, 4426, 8080, 8081, 8082]
PROMPT = b"ddb-master [(none)]> "


def port_free(port):
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def free_offset():
    # Negative offsets move every port below the kernel's ephemeral range
    # (32768 and up), where the other tests' servers and clients get theirs:
    # 4406 - 3000 .. 33073 - 400.
    for attempt in range(200):
        offset = -(400 + (os.getpid() * 7 + attempt * 97) % 2600)
        if all(port_free(p + offset) for p in DEMO_PORTS):
            return offset
    raise RuntimeError("no free set of demo ports")


def gone(pid):
    """True once pid has exited (a zombie counts: it runs nothing)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


class Demo:
    def __init__(self, source_dir, build_dir):
        # The run directory is deep on purpose: the data lives there, the unix
        # sockets must not (a socket path fits in 108 bytes), as in a checkout
        # deep in a CI workspace.
        self.top = tempfile.mkdtemp(prefix="ddb-demo-test-")
        self.run = os.path.join(self.top, "deep-" + "d" * 150)
        os.mkdir(self.run)
        env = dict(os.environ, DDB_DEMO_RUN_DIR=self.run, DDB_DEMO_PORT_OFFSET=str(free_offset()),
                   DDB_DEMO_BIN_DIR=build_dir, TERM="xterm")
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            try:
                os.execve(os.path.join(source_dir, "scripts/demo"), ["scripts/demo", "--fresh"], env)
            finally:
                os._exit(127)
        self.output = b""
        self.status = None
        self.keep = False  # a failed case keeps its run directory to look at

    def read_until(self, pattern, seconds, start=0):
        """Reads until `pattern` (bytes regex) matches the output after
        `start`; returns the match or None at the deadline or end of output."""
        deadline = time.monotonic() + seconds
        while True:
            found = re.search(pattern, self.output[start:])
            if found:
                return found
            left = deadline - time.monotonic()
            if left <= 0 or self.fd is None:
                return None
            ready, _, _ = select.select([self.fd], [], [], min(left, 0.5))
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:  # EIO: the demo's side of the terminal is closed
                    chunk = b""
                if not chunk:
                    return re.search(pattern, self.output[start:])
                self.output += chunk

    def type(self, text):
        mark = len(self.output)
        os.write(self.fd, text)
        return mark

    def pids(self):
        try:
            with open(os.path.join(self.run, "pids")) as f:
                return {name: int(pid) for name, pid in (line.split() for line in f if line.strip())}
        except FileNotFoundError:
            return {}

    def exited_within(self, seconds):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid == self.pid:
                self.status = status
                return True
            time.sleep(0.1)
        return False

    def all_gone_within(self, pids, seconds):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if all(gone(pid) for pid in pids):
                return True
            time.sleep(0.2)
        return all(gone(pid) for pid in pids)

    def close_terminal(self):
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None

    def cleanup(self):
        for pid in self.pids().values():
            if not gone(pid):
                os.kill(pid, signal.SIGKILL)
        if self.status is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(self.pid, 0)
        self.close_terminal()
        if not self.keep:
            shutil.rmtree(self.top, ignore_errors=True)


def fail(demo, message):
    sys.stderr.write(f"FAIL: {message}\n--- what the terminal showed:\n")
    sys.stderr.write(demo.output.decode(errors="replace")[-6000:] + "\n")
    for log in ["master.log", "slave1.log", "slave2.log"] + [
            f"{node}-db/{name}" for node in ("master", "slave1", "slave2") for name in ("install.log", "error.log")]:
        path = os.path.join(demo.run, log)
        if os.path.exists(path):
            with open(path, errors="replace") as f:
                sys.stderr.write(f"--- {log} (tail):\n" + "".join(f.readlines()[-20:]))
    sys.stderr.write(f"--- the run directory is kept: {demo.run}\n")
    demo.keep = True
    sys.exit(1)


def read_log(demo, name):
    try:
        with open(os.path.join(demo.run, name), errors="replace") as f:
            return f.read()
    except FileNotFoundError:
        return ""


def started(demo):
    if not demo.read_until(re.escape(PROMPT), 240):
        fail(demo, "no master prompt within 240 s")
    pids = demo.pids()
    expected = {"master-db", "slave1-db", "slave2-db", "slave1", "slave2", "master"}
    if set(pids) != expected:
        fail(demo, f"the demo recorded {sorted(pids)}, expected {sorted(expected)}")
    # TLS on: the demo made its CA and certificates, the master requires the
    # slaves' certificates, and both slaves linked over TLS.
    for name in ("ca.pem", "master.pem", "master.key", "slave1.pem", "slave2.pem"):
        if not os.path.exists(os.path.join(demo.run, "tls", name)):
            fail(demo, f"the demo made no tls/{name}")
    if "(TLS, client certificates required)" not in read_log(demo, "master.log"):
        fail(demo, "the master did not start with TLS and client certificates")
    deadline = time.monotonic() + 60
    while not all("(TLS)" in read_log(demo, f"{n}.log") and "connected to master" in read_log(demo, f"{n}.log")
                  for n in ("slave1", "slave2")):
        if time.monotonic() > deadline:
            fail(demo, "the slaves did not link to the master over TLS within 60 s")
        time.sleep(0.2)
    return pids


def hangup(demo):
    pids = started(demo)
    # The demo leads its session: its group is the terminal's. A closing
    # terminal hangs up more than once (the user's shell forwards SIGHUP, the
    # kernel sends its own): the second must not cut the cleanup short.
    os.killpg(demo.pid, signal.SIGHUP)
    time.sleep(0.5)
    os.killpg(demo.pid, signal.SIGHUP)
    demo.close_terminal()
    if not demo.exited_within(120):
        fail(demo, "the demo did not exit within 120 s of the hang-up")
    if not demo.all_gone_within(pids.values(), 30):
        left = {name: pid for name, pid in pids.items() if not gone(pid)}
        fail(demo, f"still running after the hang-up: {left}")
    print(f"ok: hang-up stopped {sorted(pids)}")


def ctrl_c(demo):
    pids = started(demo)
    # A statement typed over two lines, dropped by Ctrl-C: no '->' prompt
    # after it, and it never runs.
    mark = demo.type(b"SELECT 'never-run-' ,\n")
    if not demo.read_until(rb"    -> ", 30, mark):
        fail(demo, "no continuation prompt")
    mark = demo.type(b"\x03")
    if not demo.read_until(rb"\^C\r?\n" + re.escape(PROMPT), 30, mark):
        fail(demo, "Ctrl-C did not drop the pending statement and show a fresh prompt")
    mark = demo.type(b"SELECT CONCAT('ali', 've');\n")
    if not demo.read_until(rb"\| alive", 60, mark):
        fail(demo, "the console did not run the next statement after Ctrl-C")
    if b"never-run-" in demo.output[mark:]:
        fail(demo, "the dropped statement ran")
    # A long read on the master's own MariaDB, cancelled.
    mark = demo.type(b"\\read_from master\n")
    if not demo.read_until(re.escape(PROMPT), 30, mark):
        fail(demo, "\\read_from master did not return")
    mark = demo.type(b"SELECT SLEEP(60);\n")
    time.sleep(2)  # the statement is on its way to MariaDB
    started_at = time.monotonic()
    demo.type(b"\x03")
    if not demo.read_until(rb"KILL QUERY", 20, mark):
        fail(demo, "Ctrl-C during a read did not send KILL QUERY")
    if not demo.read_until(re.escape(PROMPT), 20, mark):
        fail(demo, "the read did not end after Ctrl-C")
    if time.monotonic() - started_at > 30:
        fail(demo, "the read ran to its end instead of being cancelled")
    left = [name for name, pid in pids.items() if gone(pid)]
    if left:
        fail(demo, f"Ctrl-C stopped {left}")
    mark = demo.type(b"SELECT 6 * 7 AS answer;\n")
    if not demo.read_until(rb"\|\s+42 \|", 60, mark):
        fail(demo, "the cluster does not answer after Ctrl-C")
    demo.type(b"\\q\n")
    if not demo.exited_within(120):
        fail(demo, "the demo did not exit within 120 s of \\q")
    if not demo.all_gone_within(pids.values(), 30):
        fail(demo, f"still running after \\q: {[n for n, p in pids.items() if not gone(p)]}")
    print("ok: Ctrl-C dropped the line and cancelled the read; \\q stopped everything")


def check(demo, source_dir):
    """--check with the shipped config/*.ini and exactly the flags each running
    daemon of the demo was started with: all well, every port held by that
    node's own daemon (found over HTTPS), its certificate accepted."""
    pids = started(demo)
    for name in ("master", "slave1", "slave2"):
        with open(f"/proc/{pids[name]}/cmdline", "rb") as f:
            argv = [arg.decode() for arg in f.read().split(b"\0") if arg]
        ran = subprocess.run(argv + ["--check"], cwd=source_dir, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, timeout=60)
        out = ran.stdout.decode(errors="replace")
        if ran.returncode != 0 or "--check: all well" not in out:
            fail(demo, f"--check of the running {name} (exit {ran.returncode}):\n{out}")
        for needle in ("held by this node's running daemon", "and tls_key_file match, valid until",
                       "signed by tls_ca_file's CA", "privileges sufficient"):
            if needle not in out:
                fail(demo, f"--check of the running {name} does not say '{needle}':\n{out}")
    demo.type(b"\\q\n")
    if not demo.exited_within(120):
        fail(demo, "the demo did not exit within 120 s of \\q")
    if not demo.all_gone_within(pids.values(), 30):
        fail(demo, f"still running after \\q: {[n for n, p in pids.items() if not gone(p)]}")
    print("ok: --check passes on the shipped configs of the running demo")


def piped(source_dir, build_dir):
    """Statements piped into the demo run at the master console, and the demo
    stops at their end (no terminal: the console would otherwise not read)."""
    top = tempfile.mkdtemp(prefix="ddb-demo-test-")
    run = os.path.join(top, "deep-" + "d" * 150)
    os.mkdir(run)
    env = dict(os.environ, DDB_DEMO_RUN_DIR=run, DDB_DEMO_PORT_OFFSET=str(free_offset()),
               DDB_DEMO_BIN_DIR=build_dir)
    statements = (b"CREATE DATABASE piped;\nCREATE TABLE piped.t (id INT PRIMARY KEY, v TEXT);\n"
                  b"INSERT INTO piped.t VALUES (1, 'from a pipe');\nSELECT v FROM piped.t;\n")
    demo = subprocess.Popen([os.path.join(source_dir, "scripts/demo"), "--fresh"], cwd=source_dir, env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    def started_pids():
        try:
            with open(os.path.join(run, "pids")) as f:
                return {name: int(pid) for name, pid in (line.split() for line in f if line.strip())}
        except FileNotFoundError:
            return {}

    try:
        out, _ = demo.communicate(statements, timeout=300)
    except subprocess.TimeoutExpired:
        # The master holds the output pipe too: it goes first, or the read never ends.
        demo.kill()
        for pid in started_pids().values():
            if not gone(pid):
                os.kill(pid, signal.SIGKILL)
        out, _ = demo.communicate(timeout=60)
    text = out.decode(errors="replace")
    pids = started_pids()
    left = [name for name, pid in pids.items() if not gone(pid)]
    for pid in pids.values():
        if not gone(pid):
            os.kill(pid, signal.SIGKILL)
    if demo.returncode != 0 or "| from a pipe |" not in text or left:
        print(f"FAIL: exit {demo.returncode}, still running {left}, run directory kept in {top}; output:\n{text}")
        sys.exit(1)
    shutil.rmtree(top, ignore_errors=True)
    print("ok: piped statements ran at the master console and the demo stopped at their end")


def main():
    source_dir, build_dir, case = sys.argv[1:4]
    if case == "piped":
        piped(os.path.abspath(source_dir), os.path.abspath(build_dir))
        return
    demo = Demo(os.path.abspath(source_dir), os.path.abspath(build_dir))
    try:
        {"hangup": hangup, "ctrl-c": ctrl_c, "check": lambda d: check(d, os.path.abspath(source_dir))}[case](demo)
    finally:
        demo.cleanup()


if __name__ == "__main__":
    main()
