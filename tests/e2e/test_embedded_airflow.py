"""The embedded Airflow behaves: a taken port is refused up front, SIGTERM and SIGHUP stop every
component as Ctrl-C does, and nothing listens beyond 127.0.0.1."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.parametrize("module", ["ctm.demo", "ctm.embedded_airflow"])
def test_a_taken_port_is_refused_before_anything_starts(tmp_path, module):
    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        port = squatter.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", module, "--home", str(tmp_path / "home"), "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode == 2
    assert f"port {port} on 127.0.0.1 is already in use" in result.stderr and "--port" in result.stderr
    assert not (tmp_path / "home" / "airflow" / "components.pid.json").exists()


def _listening(pids: set[int]) -> list[str]:
    """The local addresses of every TCP socket in LISTEN state that these processes hold."""
    inodes = set()
    for pid in pids:
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
                if target.startswith("socket:["):
                    inodes.add(target[8:-1])
        except OSError:
            continue
    addresses = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and fields[9] in inodes:  # 0A: LISTEN
                addresses.append(fields[1])
    return addresses


def _group_pids(pgids: set[int]) -> set[int]:
    """Live processes of these process groups (a zombie has exited: only its parent's wait is left)."""
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                state = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[0]
                if state != "Z" and os.getpgid(int(entry)) in pgids:
                    found.add(int(entry))
            except (ProcessLookupError, FileNotFoundError, IndexError):
                continue
    return found


@pytest.mark.scheduler
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP], ids=["SIGTERM", "SIGHUP"])
def test_a_signal_stops_every_component_and_nothing_listened_beyond_loopback(tmp_path, sig):
    home, port = tmp_path / "home", _free_port()
    runner = subprocess.Popen(
        [sys.executable, "-m", "ctm.embedded_airflow", "--home", str(home), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    pid_file = home / "airflow" / "components.pid.json"
    try:
        deadline = time.monotonic() + 240
        while not (pid_file.exists() and "Airflow UI" in (runner.stdout.readline() or "")):
            assert runner.poll() is None and time.monotonic() < deadline, (
                "the embedded Airflow did not come up"
            )
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v2/monitor/health", timeout=10) as response:
            assert response.status == 200
        groups = set(json.loads(pid_file.read_text()).values())
        members = _group_pids(groups)
        listening = _listening(members)
        assert listening, "the api-server listens"
        assert all(
            address.split(":")[0] in ("0100007F", "0000000000000000FFFF00000100007F") for address in listening
        ), listening
        runner.send_signal(sig)
        runner.wait(timeout=90)
        deadline = time.monotonic() + 15
        while _group_pids(groups) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert _group_pids(groups) == set(), "a component outlived the signal"
        assert not pid_file.exists()
    finally:
        if runner.poll() is None:
            runner.kill()
