"""The entry point: parse settings, run the gate, write reports, and decide the exit status.

Only this module prints, writes files and picks the exit status (see `ExitStatus`).
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TextIO

from connect_gate.errors import InputError, LearnedError, ServiceError
from connect_gate.exit_status import ExitStatus
from connect_gate.guard import known_secrets, register_secret, scrub
from connect_gate.settings import OnError, Runner, Settings, load_settings, secret_values


def main(argv: Sequence[str] | None = None, env: Mapping[str, str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    env = os.environ if env is None else env
    from connect_gate import guard

    with guard.guarded():
        try:
            return _main(argv, env)
        except guard.InterruptedRunError as exc:
            print(f"connect-gate: interrupted by {exc}; nothing was decided", file=sys.stderr)
            return exc.status
        except KeyboardInterrupt:
            print("connect-gate: interrupted by SIGINT; nothing was decided", file=sys.stderr)
            return 130


def _main(argv: list[str], env: Mapping[str, str]) -> int:
    if argv[:1] == ["seed"]:
        from connect_gate.seed_cli import seed_main

        return seed_main(argv[1:])
    if argv[:1] == ["explain"]:
        from connect_gate.explain import explain_main

        return explain_main(argv[1:])
    runner = Runner.from_env(env)
    settings: Settings | None = None
    try:
        settings = load_settings(argv, env)
        secrets = secret_values(settings)
        if runner.actions:  # before anything else is printed
            _mask(secrets, sys.stdout)
        for secret in secrets:
            register_secret(secret)
        return _gate(settings, sys.stdout)
    except InputError as exc:
        return _fail(runner, ExitStatus.INPUT_ERROR, "error", str(exc))
    except ServiceError as exc:
        if settings is not None and settings.on_error is OnError.WARN and not isinstance(exc, LearnedError):
            if settings.runner.output_file:  # later steps can still tell that nothing was checked
                from connect_gate.reporters.outputs import render_outputs

                _append(Path(settings.runner.output_file), render_outputs({"verdict": "error"}))
            return _fail(
                runner,
                ExitStatus.PASSED,
                "could not reach or read the service (on-error: warn)",
                str(exc),
                level="warning",
            )
        return _fail(runner, ExitStatus.SERVICE_ERROR, "could not reach or read the service", str(exc))


def _gate(settings: Settings, out: TextIO) -> int:
    from connect_gate.gate import run
    from connect_gate.reporters.outputs import render_outputs
    from connect_gate.workflow import Progress, inert, quarantine, stop_commands_token

    progress = Progress(write=lambda line: print(line, file=out, flush=True), folding=settings.runner.actions)
    result = run(settings, progress)
    header = "".join(f"connect-gate: {line}\n" for line in [f"policy: {result.policy.origin}", *result.notes])
    console = header + result.console
    # Text from Heroku or from files must never run as a workflow command in the log.
    out.write(quarantine(console, stop_commands_token()) if settings.runner.actions else console)
    # set-up warnings first: the runner keeps the first 10 warnings of a step, and
    # render_annotations left them their slots
    for warning in result.warnings:
        _warn(settings.runner, warning, "connect-gate set-up", out)
    if settings.runner.actions:  # annotations are workflow commands: noise on any other CI
        out.write(result.annotations)
    out.flush()
    secrets = known_secrets()  # the inputs' and those learned on the way (a URL read from Heroku)
    for path, content in result.files.items():
        _write(Path(path), scrub(content, secrets))
    out.write(f"connect-gate: reports: {', '.join(result.files)}\n")
    if settings.runner.output_file:
        _append(Path(settings.runner.output_file), scrub(render_outputs(result.outputs), secrets))
    if settings.runner.summary_file and settings.job_summary:
        _append(Path(settings.runner.summary_file), scrub(result.summary, secrets) + "\n")
    if settings.github_token or settings.pr_comment != "never":
        from connect_gate.github.publish import Report, publish

        def say(line: str) -> None:
            out.write(f"connect-gate: {inert(line)}\n")

        for warning in publish(
            settings, Report(result.decisions, result.verdict, scrub(result.summary, secrets)), say=say
        ):
            _warn(settings.runner, warning, "connect-gate: GitHub", out)
    return ExitStatus.BLOCKED if result.verdict.blocked else ExitStatus.PASSED


def _warn(runner: Runner, warning: str, title: str, out: TextIO) -> None:
    """A `::warning` in Actions (escaped: it may quote a service), a plain line elsewhere."""
    from connect_gate.workflow import command, inert

    if runner.actions:
        out.write(command("warning", warning, {"title": title}) + "\n")
    else:
        out.write(f"connect-gate: warning: {inert(warning)}\n")


def _mask(secrets: Sequence[str], out: TextIO) -> None:
    from connect_gate.workflow import command

    for secret in secrets:
        out.write(command("add-mask", secret) + "\n")
    out.flush()


def _fail(runner: Runner, status: ExitStatus, label: str, message: str, level: str = "error") -> int:
    from connect_gate.workflow import command, inert

    # The runner reads stderr for commands too, and messages may quote Heroku or the database.
    text = "\n".join(inert(line) for line in f"connect-gate: {label}: {message}".splitlines())
    print(text, file=sys.stderr)
    if runner.actions:
        print(command(level, message, {"title": f"connect-gate: {label}"}))
    return int(status)


def _write(path: Path, content: str) -> None:
    """Write a report whole or not at all: a temporary file beside it, renamed over it."""
    from connect_gate.ownership import adopt_folder_owner, make_folders

    temporary: str | None = None
    try:
        make_folders(path.parent)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        os.chmod(temporary, 0o644)  # as write_text would make it (mkstemp makes it 0600)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(content)
        os.replace(temporary, path)
        temporary = None
        adopt_folder_owner(path)
    except OSError as exc:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        raise InputError(f"{path}: cannot write the report: {exc.strerror}") from None


def _append(path: Path, content: str) -> None:
    try:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(content)
    except OSError as exc:
        raise InputError(f"{path}: cannot append to the runner's file: {exc.strerror}") from None
