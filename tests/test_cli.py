"""The `backoffice` console script, run as a real process against a scratch database."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


@pytest.fixture
def run(tmp_path):
    env = dict(os.environ)
    env.pop("BACKOFFICE_SECRET_KEY", None)
    env.update(BACKOFFICE_INSTANCE_PATH=str(tmp_path / "instance"),
               BACKOFFICE_DATABASE_URL=f"sqlite:///{tmp_path / 'cli.db'}")
    script = Path(sys.executable).with_name("backoffice")

    def run(*args, input=None, check=True, extra_env=None):
        result = subprocess.run([str(script), *args], env={**env, **(extra_env or {})}, input=input, capture_output=True, text=True,
                                timeout=120)
        if check:
            assert result.returncode == 0, result.stderr
        return result

    return run


def test_set_up_users_backup_and_restore_from_the_command_line(run, tmp_path):
    assert "database schema is up to date" in run("db", "upgrade").stdout
    key = (tmp_path / "instance" / "secret_key")
    assert key.exists() and oct(key.stat().st_mode & 0o777) == "0o600" and len(key.read_text()) == 64

    created = run("users", "create", "wangfang", "--role", "supervisor", "--password-stdin", input="s3cret-pass\n")
    assert "created user wangfang" in created.stdout
    short = run("users", "create", "lina", "--role", "listing", "--password-stdin", input="short\n", check=False)
    assert short.returncode != 0 and "8" in short.stderr
    assert run("users", "list").stdout.split() == ["wangfang", "supervisor", "active"]

    demo = run("demo", "load").stdout
    assert demo.count("demo-") == 5 and "warehouse" in demo
    assert run("demo", "load").stdout == demo

    run("backup", str(tmp_path / "snap.sqlite"))
    run("users", "create", "later", "--role", "service", "--password-stdin", input="another-pass\n")
    run("restore", "--yes", str(tmp_path / "snap.sqlite"))
    assert "later" not in run("users", "list").stdout


def test_the_command_line_refuses_common_passwords_and_honours_the_minimum_length(run, tmp_path):
    run("db", "upgrade")
    common = run("users", "create", "lina", "--role", "listing", "--password-stdin", input="P@ssw0rd1\n",
                 check=False)
    assert common.returncode == 1 and "Traceback" not in common.stderr and "太常见" in common.stderr
    short = run("users", "create", "lina", "--role", "listing", "--password-stdin", input="teal-lantern-82\n",
                check=False, extra_env={"BACKOFFICE_PASSWORD_MIN_LENGTH": "16"})
    assert short.returncode == 1 and "16" in short.stderr
    assert "created user lina" in run("users", "create", "lina", "--role", "listing", "--password-stdin",
                                      input="teal-lantern-82\n").stdout
    assert run("users", "list").stdout.split() == ["lina", "listing", "active"]


def test_the_secret_key_from_the_environment_wins_and_is_not_written(run, tmp_path):
    import backoffice.config as config

    os.environ["BACKOFFICE_SECRET_KEY"] = "from-the-environment"
    try:
        assert config.load_secret_key(tmp_path / "elsewhere") == "from-the-environment"
    finally:
        del os.environ["BACKOFFICE_SECRET_KEY"]
    assert not (tmp_path / "elsewhere").exists()


def test_generated_secret_key_is_stable_and_random(tmp_path):
    import backoffice.config as config

    first = config.load_secret_key(tmp_path / "a")
    assert config.load_secret_key(tmp_path / "a") == first
    assert config.load_secret_key(tmp_path / "b") != first


def test_healthz_from_a_served_process(run, tmp_path):
    """`backoffice serve` answers on the port it was given."""
    import socket
    import time
    import urllib.request

    run("db", "upgrade")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, BACKOFFICE_INSTANCE_PATH=str(tmp_path / "instance"),
               BACKOFFICE_DATABASE_URL=f"sqlite:///{tmp_path / 'cli.db'}")
    proc = subprocess.Popen([str(Path(sys.executable).with_name("backoffice")), "serve", "--port", str(port)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                    assert json.load(response) == {"status": "ok", "database": "ok"}
                    break
            except OSError:
                assert time.monotonic() < deadline, "serve did not answer within 30 s"
                time.sleep(0.3)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_command_line_errors_are_one_clear_line(run, tmp_path):
    run("db", "upgrade")
    run("users", "create", "wangfang", "--role", "supervisor", "--password-stdin", input="s3cret-pass\n")
    dup = run("users", "create", "wangfang", "--role", "service", "--password-stdin", input="s3cret-pass\n",
              check=False)
    assert dup.returncode == 1 and "Traceback" not in dup.stderr and "wangfang" in dup.stderr
    junk = tmp_path / "junk.bak"
    junk.write_bytes(b"not a database" * 100)
    bad = run("restore", "--yes", str(junk), check=False)
    assert bad.returncode == 1 and "Traceback" not in bad.stderr and "not a back-office SQLite snapshot" in bad.stderr
    run("backup", str(tmp_path / "b.sqlite"))
    assert oct((tmp_path / "b.sqlite").stat().st_mode & 0o777) == "0o600"
    help_text = run("--help").stdout
    assert "routes" not in help_text and "shell" not in help_text and "backup" in help_text
def test_simulate_serves_a_platform_that_an_adapter_pulls_from(tmp_path):
    """`backoffice simulate douyin --port N` is a real server; faults are set over HTTP."""
    import datetime as dt
    import socket
    import time
    import urllib.request

    from integrations.base import Credentials, RateLimited, adapter_for
    from integrations.timeutil import now_utc
    from integrations.transport import RetryPolicy

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ, BACKOFFICE_INSTANCE_PATH=str(tmp_path / "instance"))
    proc = subprocess.Popen([str(Path(sys.executable).with_name("backoffice")), "simulate", "douyin", "--port",
                             str(port), "--orders", "250", "--hours", "3"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_sim/state", timeout=2) as response:
                    assert json.load(response)["orders"] == 250
                    break
            except OSError:
                assert time.monotonic() < deadline, "the simulator did not answer within 30 s"
                time.sleep(0.3)
        adapter = adapter_for("douyin", Credentials("sim-app-key", "sim-app-secret", "sim-access-token", url),
                              retry=RetryPolicy(attempts=2, base_delay=0.01))
        end = now_utc()
        pulled = {o.platform_order_id for page in adapter.order_pages(end - dt.timedelta(hours=4), end) for o in page}
        assert len(pulled) == 250
        request = urllib.request.Request(f"{url}/_sim/faults", data=b'{"rate_limit": 5}', method="POST")
        urllib.request.urlopen(request, timeout=2).close()
        with pytest.raises(RateLimited):
            list(adapter.order_pages(end - dt.timedelta(hours=1), end))
    finally:
        proc.terminate()
        proc.wait(timeout=10)
