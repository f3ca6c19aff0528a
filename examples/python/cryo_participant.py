#!/usr/bin/env python3
"""A process that takes part in Cryo checkpoints, in plain Python: the checkpoint protocol of
docs/protocol.md in about a hundred lines, with no library beyond the standard one.

It keeps a counter that a thread advances ten times a second. When cryo says a checkpoint is
pending, it pauses the counter (its "work"), flushes what it prints, and answers ready; when cryo
says how the checkpoint ended, it resumes. Run it detached, then `cryo checkpoint PID`:

    setsid python3 cryo_participant.py >>participant.log 2>&1 </dev/null &
"""
import json
import os
import socket
import struct
import sys
import threading
import time

SUFFIX = ".cryo.sock"


def control_directory():
    """Where the control socket goes; cryo finds it through /proc, so any private place will do."""
    configured = os.environ.get("CRYO_CONTROL_DIR")
    if configured:
        return configured
    if os.getuid() == 0:
        return "/run/cryo"
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    return os.path.join(runtime, "cryo") if runtime else "/tmp/cryo-%d" % os.getuid()


class Counter:
    """The participant's work: stops advancing while a checkpoint is pending."""

    def __init__(self):
        self.value = 0
        self.running = threading.Event()
        self.running.set()

    def run(self):
        while True:
            self.running.wait()
            self.value += 1
            time.sleep(0.1)


def say(text):
    print(text, flush=True)


def peer_allowed(connection):
    """Only our own user and root may control this process (SO_PEERCRED: pid, uid, gid)."""
    creds = connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    _, uid, _ = struct.unpack("3i", creds)
    return uid in (0, os.getuid()), uid


def watch_checkpointer(pid, checkpoint, counter):
    """Resume on our own if the cryo that sent pending vanishes without saying how it ended."""
    absent = 0
    while not counter.running.is_set():
        time.sleep(1)
        absent = 0 if os.path.exists("/proc/%d" % pid) else absent + 1
        if absent >= 3 and not counter.running.is_set():
            say("cryo (PID %d) went away during checkpoint %s; resuming" % (pid, checkpoint))
            counter.running.set()


def answer(message, counter):
    if not isinstance(message, dict):
        return {"phase": "error", "reason": "a message is a JSON object"}
    phase, checkpoint = message.get("phase"), message.get("id")
    if not isinstance(checkpoint, str):
        return {"phase": "error", "reason": "every message needs a string 'id'"}
    if phase == "pending":
        counter.running.clear()
        say("pending %s at counter %d" % (checkpoint, counter.value))
        checkpointer = message.get("coordinator_pid")
        if isinstance(checkpointer, int) and checkpointer > 0:
            threading.Thread(target=watch_checkpointer, args=(checkpointer, checkpoint, counter), daemon=True).start()
        return {"phase": "ready", "id": checkpoint, "warnings": [], "runtime": "cryo_participant.py"}
    if phase in ("resumed", "restored", "aborted"):
        say("%s %s at counter %d" % (phase, checkpoint, counter.value))
        counter.running.set()
        return {"phase": "done", "id": checkpoint, "errors": []}
    return {"phase": "error", "reason": "unknown phase %r" % phase}


def serve(server, counter):
    while True:
        connection, _ = server.accept()
        move_to = None
        with connection:
            try:
                allowed, uid = peer_allowed(connection)
                if not allowed:
                    reply = {"phase": "error", "reason": "uid %d may not control this process" % uid}
                else:
                    connection.settimeout(10)
                    line = connection.makefile("r", encoding="utf-8").readline()
                    if not line:
                        continue
                    try:
                        message = json.loads(line)
                        reply = answer(message, counter)
                        if isinstance(message, dict) and message.get("phase") == "restored":
                            move_to = message.get("control_dir")
                    except ValueError as e:
                        reply = {"phase": "error", "reason": "not a protocol message: %s" % e}
                connection.sendall((json.dumps(reply) + "\n").encode("utf-8"))
            except OSError as e:
                # A client that went silent or away must not end the server.
                say("control connection ended: %s" % e)
        # Leaving the with-block closes the connection: none may stay open into the dump.
        if isinstance(move_to, str) and move_to and os.path.abspath(move_to) != os.path.dirname(server.getsockname()):
            # A restored copy: its own socket, in its own directory; the old path is the original's.
            try:
                moved = open_socket(move_to)
                server.close()
                server = moved
                say("control socket moved to %s" % server.getsockname())
            except (OSError, SystemExit) as e:
                say("could not move the control socket to %s: %s" % (move_to, e))


def open_socket(directory):
    os.makedirs(directory, mode=0o700, exist_ok=True)
    info = os.lstat(directory)
    if info.st_uid != os.getuid() or info.st_mode & 0o077:
        sys.exit("cryo_participant: %s must be a directory of this user's alone (mode 0700)" % directory)
    path = os.path.join(directory, "%d%s" % (os.getpid(), SUFFIX))
    if os.path.exists(path):
        os.unlink(path)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    os.chmod(path, 0o600)
    server.listen(4)
    return server


def main():
    server = open_socket(control_directory())
    path = server.getsockname()
    counter = Counter()
    threading.Thread(target=counter.run, daemon=True).start()
    say("listening on %s" % path)
    try:
        serve(server, counter)
    finally:
        os.unlink(path)


if __name__ == "__main__":
    sys.exit(main())
