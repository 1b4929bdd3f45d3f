"""Run the action's image the way actions/runner runs a Docker container action, and check what a user sees.

Called by .ci/image-test once the image is built. Each scenario lays out a runner's work folder
(`_work/_temp` with `_github_home`, `_github_workflow`, `_runner_file_commands`, and the workspace
`_work/sample/sample`), all owned by the runner's user (uid 1001 on GitHub-hosted runners), checks out
a sample repository there with the git commands actions/checkout runs (push; pull request with
fetch-depth 0, 1 and 2), then starts the container with the arguments of the runner's
ContainerActionHandler.cs and DockerCommandManager.cs (github.com/actions/runner):

    docker run --name NAME --label LABEL --workdir /github/workspace --rm -e NAME... \
        -e GITHUB_ACTIONS=true -e CI=true -v HOST:CONTAINER... IMAGE

where every variable's value comes from the environment (`-e NAME`, never `-e NAME=value`), every
input of action.yml arrives as INPUT_<NAME> with its hyphens kept, and host paths in values are
translated to the container's mount points. It then checks the exit status, the step outputs, the
annotations and the job summary as the runner would read them, and that uid 1001 can overwrite and
delete everything the action left behind (the next job's checkout has to).

Prints one PASS or FAIL line per check and closes with `N passed, N failed`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from runner_sim import Command, parse_log, parse_outputs  # the runner's reading of commands and outputs

RUNNER_UID = 1001  # the `runner` user of GitHub-hosted Ubuntu runners
PR_NUMBER = 7
ANNOTATIONS = ("error", "warning", "notice")
DATABASE_PASSWORD = "s3cret-Pw-1001"
SAFE_MIGRATION = "examples/migrations/safe/V2__invoices_by_salesforce_id.sql"
RISKY_MIGRATION = "examples/migrations/risky/V2__link_invoices_to_accounts.sql"


@dataclass
class Tally:
    passed: int = 0
    failed: int = 0

    def check(self, scenario: str, what: str, ok: bool, detail: str = "") -> None:
        if ok:
            self.passed += 1
            print(f"PASS  {scenario}: {what}", flush=True)
        else:
            self.failed += 1
            print(f"FAIL  {scenario}: {what}" + (f"\n      {detail}" if detail else ""), flush=True)


def sh(*args: str, cwd: Path | None = None, uid: int | None = None, env: dict[str, str] | None = None) -> str:
    """Run a command (as `uid` when given, like the runner's user) and return its stdout."""
    command = list(args)
    if uid is not None:
        command = ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups", *command]
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({done.returncode}): {done.stderr.strip()}")
    return done.stdout


# --- the sample repository, as it would be on GitHub ---------------------------------------------


@dataclass(frozen=True)
class Origin:
    url: str
    main: str  # tip of main: the pull request's base
    head: str  # the pull request's head commit
    merge: str  # refs/pull/7/merge: GitHub's test merge of head into main


BULK_FILES, BULK_STATEMENTS = 40, 200  # about 500 KiB of SQL, 4,000 findings: a second process is used


def bulk_sql(number: int) -> str:
    """One file of a big run (not matched by the default patterns): every second statement writes
    to Account, a read-write mapping of the example export."""
    statements = []
    for index in range(BULK_STATEMENTS):
        n = number * BULK_STATEMENTS + index
        statements.append(
            f"UPDATE salesforce.account SET industry = 'Retail' WHERE sfid = '{n:018d}';"
            if index % 2
            else f"CREATE TABLE app.t{n} (id bigserial PRIMARY KEY, name text NOT NULL);"
        )
    return "\n".join(statements) + "\n"


def make_origin(repo: Path, root: Path) -> Origin:
    """A bare repository: main with a safe migration, a PR branch adding a risky one, main moving on."""
    bare, scratch = root / "origin.git", root / "origin-scratch"
    for path in (bare, scratch):
        shutil.rmtree(path, ignore_errors=True)
    git_env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Dev",
        "GIT_AUTHOR_EMAIL": "dev@example.com",
        "GIT_COMMITTER_NAME": "Dev",
        "GIT_COMMITTER_EMAIL": "dev@example.com",
        "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(root),
    }

    def git(*args: str) -> str:
        return sh("git", "-C", str(scratch), *args, env=git_env).strip()

    scratch.mkdir(parents=True)
    git("init", "-q", "-b", "main")
    shutil.copy(repo / "examples/connect-export.json", scratch / "connect-export.json")
    (scratch / "migrations").mkdir()
    shutil.copy(repo / SAFE_MIGRATION, scratch / "migrations/V1__invoices.sql")
    git("add", "-A")
    git("commit", "-q", "-m", "invoices")
    git("checkout", "-q", "-b", "feature")
    shutil.copy(repo / RISKY_MIGRATION, scratch / "migrations/V3__link_invoices_to_accounts.sql")
    git("add", "-A")
    git("commit", "-q", "-m", "link invoices to accounts")
    head = git("rev-parse", "HEAD")
    git("checkout", "-q", "main")
    (scratch / "README.md").write_text("sample\n")
    (scratch / "bulk").mkdir()
    for number in range(BULK_FILES):
        (scratch / "bulk" / f"step_{number:04d}.sql").write_text(bulk_sql(number), encoding="utf-8")
    git("add", "-A")
    git("commit", "-q", "-m", "readme")
    main = git("rev-parse", "HEAD")
    git("merge", "-q", "--no-ff", "-m", f"Merge {head} into {main}", head)
    merge = git("rev-parse", "HEAD")
    git("reset", "-q", "--hard", main)
    git("update-ref", f"refs/pull/{PR_NUMBER}/head", head)
    git("update-ref", f"refs/pull/{PR_NUMBER}/merge", merge)
    sh("git", "clone", "-q", "--bare", "--mirror", str(scratch), str(bare), env=git_env)
    shutil.rmtree(scratch)
    sh("chown", "-R", f"{RUNNER_UID}:{RUNNER_UID}", str(bare))
    return Origin(url=f"file://{bare}", main=main, head=head, merge=merge)


# --- the runner's folders and actions/checkout ---------------------------------------------------


@dataclass
class Layout:
    """The runner's work folder, as HostContext and the container action handler lay it out."""

    work: Path

    @property
    def temp(self) -> Path:
        return self.work / "_temp"

    @property
    def home(self) -> Path:
        return self.temp / "_github_home"

    @property
    def workflow(self) -> Path:
        return self.temp / "_github_workflow"

    @property
    def file_commands(self) -> Path:
        return self.temp / "_runner_file_commands"

    @property
    def runner_workspace(self) -> Path:
        return self.work / "sample"

    @property
    def workspace(self) -> Path:
        return self.runner_workspace / "sample"

    def mounts(self) -> list[tuple[Path, str]]:
        """ContainerActionHandler's volumes, in its order."""
        return [
            (self.temp, "/github/runner_temp"),
            (self.home, "/github/home"),
            (self.workflow, "/github/workflow"),
            (self.file_commands, "/github/file_commands"),
            (self.workspace, "/github/workspace"),
        ]

    def to_container(self, value: str) -> str:
        """ContainerInfo.TranslateToContainerPath: mappings are inserted at the front, so last added wins."""
        for host, container in reversed(self.mounts()):
            if value == str(host):
                return container
            if value.startswith(f"{host}/"):
                return container + value[len(str(host)) :]
        return value


def checkout(layout: Layout, origin: Origin, event: str, depth: int) -> None:
    """The git commands actions/checkout runs (as the runner's user) for `event` and `fetch-depth`."""
    ws = layout.workspace
    ws.mkdir(parents=True)
    sh("chown", "-R", f"{RUNNER_UID}:{RUNNER_UID}", str(layout.work))
    git_home = layout.work.parent / "runner-home"
    git_home.mkdir(exist_ok=True)
    os.chown(git_home, RUNNER_UID, RUNNER_UID)
    env = {"PATH": os.environ["PATH"], "HOME": str(git_home), "GIT_CONFIG_NOSYSTEM": "1"}

    def git(*args: str) -> None:
        sh("git", *args, cwd=ws, uid=RUNNER_UID, env=env)

    git("init", "-q", str(ws))
    git("remote", "add", "origin", origin.url)
    git("config", "--local", "gc.auto", "0")
    fetch = ["-c", "protocol.version=2", "fetch", "--no-tags", "--prune", "--no-recurse-submodules"]
    if event == "push":
        specs = [f"+{origin.main}:refs/remotes/origin/main"]
        target = ["-B", "main", "refs/remotes/origin/main"]
    else:
        specs = [f"+{origin.merge}:refs/remotes/pull/{PR_NUMBER}/merge"]
        target = [f"refs/remotes/pull/{PR_NUMBER}/merge"]
    if depth > 0:
        git(*fetch, f"--depth={depth}", "origin", *specs)
    else:  # getRefSpecForAllHistory
        git(*fetch, "origin", "+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*", *specs)
    git("checkout", "-q", "--progress", "--force", *target)


def event_payload(origin: Origin, event: str) -> dict[str, object]:
    repository = {"full_name": "acme/sample", "name": "sample", "owner": {"login": "acme"}}
    if event == "push":
        return {"ref": "refs/heads/main", "after": origin.main, "repository": repository}
    return {
        "action": "synchronize",
        "number": PR_NUMBER,
        "pull_request": {
            "number": PR_NUMBER,
            "head": {"ref": "feature", "sha": origin.head},
            "base": {"ref": "main", "sha": origin.main},
        },
        "repository": repository,
    }


# --- the container step --------------------------------------------------------------------------


@dataclass
class Step:
    status: int
    stdout: str
    stderr: str
    outputs: dict[str, str]
    summary: str
    annotations: list[Command] = field(default_factory=list)


def action_inputs(action_yml: Path, given: dict[str, str]) -> dict[str, str]:
    """Every input action.yml declares, with the step's value or the declared default."""
    declared = yaml.safe_load(action_yml.read_text(encoding="utf-8"))["inputs"]
    unknown = set(given) - set(declared)
    if unknown:
        raise ValueError(f"not inputs of action.yml: {sorted(unknown)}")
    return {name: given.get(name, str(spec.get("default", ""))) for name, spec in declared.items()}


def run_step(
    args: argparse.Namespace, layout: Layout, event: str, sha: str, with_: dict[str, str], *, cpus: str = ""
) -> Step:
    """The step as the runner runs it; `cpus` (not the runner's) limits the container to those CPUs."""
    guid = uuid.uuid4()
    output_file = layout.file_commands / f"set_output_{guid}"
    summary_file = layout.file_commands / f"step_summary_{guid}"
    for path in (output_file, summary_file):
        path.touch()
        os.chown(path, RUNNER_UID, RUNNER_UID)
    environment = {
        f"INPUT_{name.replace(' ', '_').upper()}": value
        for name, value in action_inputs(Path(args.repo) / "action.yml", with_).items()
    }
    environment.update(
        {
            "HOME": str(layout.home),
            "GITHUB_ACTION": "gate",
            "GITHUB_ACTOR": "dev",
            "GITHUB_API_URL": "https://api.github.com",
            "GITHUB_EVENT_NAME": event,
            "GITHUB_EVENT_PATH": str(layout.workflow / "event.json"),
            "GITHUB_JOB": "connect-gate",
            "GITHUB_OUTPUT": str(output_file),
            "GITHUB_REF": "refs/heads/main" if event == "push" else f"refs/pull/{PR_NUMBER}/merge",
            "GITHUB_REPOSITORY": "acme/sample",
            "GITHUB_RUN_ID": "1",
            "GITHUB_SERVER_URL": "https://github.com",
            "GITHUB_SHA": sha,
            "GITHUB_STEP_SUMMARY": str(summary_file),
            "GITHUB_WORKSPACE": str(layout.workspace),
            "RUNNER_OS": "Linux",
            "RUNNER_TEMP": str(layout.temp),
            "RUNNER_WORKSPACE": str(layout.runner_workspace),
        }
    )
    if event != "push":
        environment.update({"GITHUB_BASE_REF": "main", "GITHUB_HEAD_REF": "feature"})
    translated = {name: layout.to_container(value) for name, value in environment.items()}
    command = [
        "podman",
        "--root",
        os.environ["IMAGE_TEST_PODMAN_ROOT"],
        "--runroot",
        os.environ["IMAGE_TEST_PODMAN_RUNROOT"],
        "run",
        "--name",
        f"{args.image.replace(':', '')}_{uuid.uuid4().hex[:6]}",
        "--label",
        args.label,
        "--workdir",
        "/github/workspace",
        "--rm",
    ]
    for name in translated:
        command += ["-e", name]
    command += ["-e", "GITHUB_ACTIONS=true", "-e", "CI=true"]
    if cpus:
        command += ["--cpuset-cpus", cpus]
    if Path("/var/run/docker.sock").exists():  # GitHub-hosted runners have one; this machine may not
        command += ["-v", "/var/run/docker.sock:/var/run/docker.sock"]
    for host, container in layout.mounts():
        command += ["-v", f"{host}:{container}"]
    command.append(args.image)
    docker_env = {"PATH": os.environ["PATH"], "CONTAINERS_CONF": os.environ["CONTAINERS_CONF"], **translated}
    done = subprocess.run(command, env=docker_env, capture_output=True, text=True, check=False, timeout=300)
    outputs_text = output_file.read_text(encoding="utf-8")
    return Step(
        status=done.returncode,
        stdout=done.stdout,
        stderr=done.stderr,
        outputs=parse_outputs(outputs_text) if outputs_text else {},
        summary=summary_file.read_text(encoding="utf-8"),
        annotations=parse_log(done.stdout).named(*ANNOTATIONS) + parse_log(done.stderr).named(*ANNOTATIONS),
    )


# --- what uid 1001 can do afterwards -------------------------------------------------------------


def runner_cleans_up(tally: Tally, scenario: str, layout: Layout) -> None:
    """The runner's user must be able to overwrite and delete everything left in its folders."""
    written = sorted(
        p for top in (layout.workspace, layout.temp) for p in top.rglob("*") if ".git" not in p.parts
    )
    root_owned = [str(p) for p in written if p.lstat().st_uid != RUNNER_UID]
    tally.check(
        scenario, "every file and folder left behind is owned by uid 1001", not root_owned, f"{root_owned}"
    )
    files = [str(p) for p in written if p.is_file()]
    script = 'for f; do : >"$f" || exit 1; done'
    try:
        sh("sh", "-c", script, "overwrite", *files, uid=RUNNER_UID)
        overwritten = ""
    except RuntimeError as failed:
        overwritten = str(failed)
    tally.check(
        scenario, f"uid 1001 can overwrite the {len(files)} files left behind", not overwritten, overwritten
    )
    try:
        for top in (layout.workspace, layout.temp):
            sh("find", str(top), "-mindepth", "1", "-delete", uid=RUNNER_UID)
        deleted = ""
    except RuntimeError as failed:
        deleted = str(failed)
    tally.check(
        scenario, "uid 1001 can delete everything (as the next checkout's clean does)", not deleted, deleted
    )


# --- the scenarios -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    name: str
    event: str
    depth: int
    with_: dict[str, str]
    expect: Callable[[Tally, str, Step, Layout], None]
    same_on_one_cpu: bool = False  # run it again on one CPU: every report must be the same


def annotation_files(step: Step, kind: str) -> list[tuple[str, str]]:
    return [
        (c.properties.get("file", ""), c.properties.get("line", ""))
        for c in step.annotations
        if c.name == kind
    ]


def expect_pass(tally: Tally, name: str, step: Step, layout: Layout) -> None:
    tally.check(name, "exit status 0", step.status == 0, f"{step.status}: {step.stderr[-2000:]}")
    tally.check(name, "output verdict=pass", step.outputs.get("verdict") == "pass", f"{step.outputs}")
    tally.check(name, "no error annotation", not annotation_files(step, "error"), f"{step.annotations}")
    tally.check(
        name, "job summary says it passed", "connect-gate: passed" in step.summary, step.summary[:300]
    )
    expect_report_paths(tally, name, step, layout, "connect-gate-report")


def expect_blocked(changed_only: bool, report_dir: str) -> Callable[[Tally, str, Step, Layout], None]:
    def expect(tally: Tally, name: str, step: Step, layout: Layout) -> None:
        tally.check(
            name, "exit status 1 (blocked)", step.status == 1, f"{step.status}: {step.stderr[-2000:]}"
        )
        tally.check(
            name,
            "outputs verdict=block, blocked=2",
            step.outputs.get("verdict") == "block" and step.outputs.get("blocked") == "2",
            f"{step.outputs}",
        )
        risky = "migrations/V3__link_invoices_to_accounts.sql"
        errors = annotation_files(step, "error")
        tally.check(
            name,
            f"error annotations on {risky} lines 5 and 9",
            errors == [(risky, "5"), (risky, "9")],
            f"{errors}",
        )
        tally.check(name, "annotated file exists in the checkout", (layout.workspace / risky).is_file())
        tally.check(
            name,
            "job summary says it is blocked",
            "connect-gate: blocked" in step.summary,
            step.summary[:300],
        )
        warnings = [c.message for c in step.annotations if c.name == "warning"]
        shallow = any("changed-only: the base commit" in w for w in warnings)
        analysed = "1 file(s) changed by the pull request" if changed_only else "2 file(s) matching"
        if changed_only:
            tally.check(
                name,
                "changed-only honoured: only the PR's migration analysed",
                analysed in step.stdout and not shallow,
                f"{warnings}",
            )
        else:
            tally.check(
                name,
                "shallow checkout: a warning says why every migration was analysed",
                shallow and analysed in step.stdout,
                f"{warnings}",
            )
        expect_report_paths(tally, name, step, layout, report_dir)

    return expect


def expect_report_paths(tally: Tally, name: str, step: Step, layout: Layout, report_dir: str) -> None:
    """`*-path` outputs: relative to the workspace, or the host path the runner mounted; the files exist."""
    for output, file in (
        ("junit-path", "junit.xml"),
        ("results-path", "results.json"),
        ("sarif-path", "results.sarif"),
    ):
        value = step.outputs.get(output, "")
        expected = f"{report_dir}/{file}"
        on_host = Path(value) if Path(value).is_absolute() else layout.workspace / value
        tally.check(
            name,
            f"output {output}={expected} exists for the next step",
            value == expected and on_host.is_file(),
            f"got {value!r}",
        )


def expect_refused(tally: Tally, name: str, step: Step, layout: Layout) -> None:
    tally.check(name, "exit status 2 (bad input)", step.status == 2, f"{step.status}: {step.stderr[-2000:]}")
    errors = [c.message for c in step.annotations if c.name == "error"]
    tally.check(
        name,
        "one error annotation names report-dir",
        len(errors) == 1 and "report-dir" in errors[0],
        f"{errors}",
    )


def expect_database_unreachable(tally: Tally, name: str, step: Step, layout: Layout) -> None:
    """psycopg2's bundled libpq loads in the image, and the password never reaches the log."""
    tally.check(
        name, "exit status 3 (service unreachable)", step.status == 3, f"{step.status}: {step.stderr[-2000:]}"
    )
    errors = [c.message for c in step.annotations if c.name == "error"]
    tally.check(
        name,
        "the error annotation says the database refused the connection",
        len(errors) == 1 and "Connection refused" in errors[0],
        f"{errors}",
    )
    shown = [line for line in (step.stdout + step.stderr).splitlines() if not line.startswith("::add-mask::")]
    tally.check(
        name, "the password is masked, and nowhere else in the log", DATABASE_PASSWORD not in str(shown)
    )


def expect_bulk(tally: Tally, name: str, step: Step, layout: Layout) -> None:
    findings = BULK_FILES * BULK_STATEMENTS // 2
    tally.check(name, "exit status 1 (blocked)", step.status == 1, f"{step.status}: {step.stderr[-2000:]}")
    tally.check(
        name,
        f"outputs verdict=block, blocked={findings}",
        step.outputs.get("verdict") == "block" and step.outputs.get("blocked") == str(findings),
        f"{step.outputs}",
    )
    statements = BULK_FILES * BULK_STATEMENTS
    analysed = (
        f"{BULK_FILES} file(s) matching `migrations`, {statements} statement(s) analysed, in 2 processes"
    )
    tally.check(
        name, "every file and statement analysed, by 2 processes", analysed in step.stdout, step.stdout
    )
    report = json.loads((layout.workspace / "connect-gate-report/results.json").read_text(encoding="utf-8"))
    tally.check(name, f"results.json lists {findings} findings", len(report["findings"]) == findings)


def same_on_one_cpu(
    args: argparse.Namespace, tally: Tally, scenario: Scenario, step: Step, *, layout: Layout, sha: str
) -> None:
    """The run of 2 CPUs (a second process analysed half the files and rendered JUnit) against the
    same step on one CPU (no second process): the same exit status, outputs, summary and reports."""
    reports = layout.workspace / "connect-gate-report"
    names = ("junit.xml", "results.json", "results.sarif", "summary.md")
    first = {name: (reports / name).read_bytes() for name in names}
    shutil.rmtree(reports)
    alone = run_step(args, layout, scenario.event, sha, scenario.with_, cpus="0")
    tally.check(
        scenario.name,
        "on one CPU: the same exit status, outputs and job summary",
        (alone.status, alone.outputs, alone.summary) == (step.status, step.outputs, step.summary),
        f"{alone.status} {alone.outputs}: {alone.stderr[-2000:]}",
    )
    tally.check(scenario.name, "on one CPU: one process", "in 2 processes" not in alone.stdout, alone.stdout)
    differing = [name for name in names if (reports / name).read_bytes() != first[name]]
    tally.check(
        scenario.name, "on one CPU: the same four report files, byte for byte", not differing, f"{differing}"
    )


def scenarios(layout: Layout) -> list[Scenario]:
    migrations = {"mapping-config": "connect-export.json"}
    runner_temp_gate = f"{layout.temp}/gate"
    return [
        Scenario("push", "push", 1, migrations, expect_pass),
        Scenario(
            "pull_request fetch-depth 0, report-dir in runner.temp",
            "pull_request",
            0,
            {**migrations, "report-dir": runner_temp_gate},
            expect_blocked(True, runner_temp_gate),
        ),
        Scenario(
            "pull_request fetch-depth 1",
            "pull_request",
            1,
            migrations,
            expect_blocked(False, "connect-gate-report"),
        ),
        Scenario(
            "pull_request fetch-depth 2, nested report-dir",
            "pull_request",
            2,
            {**migrations, "report-dir": "reports/gate"},
            expect_blocked(True, "reports/gate"),
        ),
        Scenario(
            "push, report-dir outside the mounted folders",
            "push",
            1,
            {**migrations, "report-dir": "/tmp/gate"},
            expect_refused,
        ),
        Scenario(
            "push, database-url of a database that is down",
            "push",
            1,
            {**migrations, "database-url": f"postgres://gate:{DATABASE_PASSWORD}@127.0.0.1:1/app"},
            expect_database_unreachable,
        ),
        Scenario(
            f"push, {BULK_FILES} files of {BULK_STATEMENTS} statements (a second process)",
            "push",
            1,
            {**migrations, "migrations": "bulk/*.sql"},
            expect_bulk,
            same_on_one_cpu=True,
        ),
    ]


def play(args: argparse.Namespace, layout: Layout, origin: Origin, scenario: Scenario, tally: Tally) -> None:
    """Lay out the runner's folders, check out, run the step, check what it did, clean up as uid 1001."""
    for path in (layout.runner_workspace, layout.temp):
        shutil.rmtree(path, ignore_errors=True)
    for folder in (layout.home, layout.workflow, layout.file_commands):
        folder.mkdir(parents=True)
    checkout(layout, origin, scenario.event, scenario.depth)
    (layout.workflow / "event.json").write_text(json.dumps(event_payload(origin, scenario.event)))
    sh("chown", "-R", f"{RUNNER_UID}:{RUNNER_UID}", str(layout.temp))
    sha = origin.main if scenario.event == "push" else origin.merge
    step = run_step(args, layout, scenario.event, sha, scenario.with_)
    failed_before = tally.failed
    scenario.expect(tally, scenario.name, step, layout)
    if scenario.same_on_one_cpu:
        same_on_one_cpu(args, tally, scenario, step, layout=layout, sha=sha)
    runner_cleans_up(tally, scenario.name, layout)
    if tally.failed > failed_before:
        print(f"      --- stdout of the step ---\n{step.stdout}\n      --- stderr ---\n{step.stderr}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--image", required=True)
    parser.add_argument("--runner-root", required=True, type=Path)
    parser.add_argument("--label", required=True)
    parser.add_argument("--repo", required=True)
    args = parser.parse_args()
    origin = make_origin(Path(args.repo), args.runner_root)
    layout = Layout(args.runner_root / "_work")
    tally = Tally()
    for scenario in scenarios(layout):
        try:
            play(args, layout, origin, scenario, tally)
        except (OSError, RuntimeError, subprocess.SubprocessError) as broken:  # the harness, not the image
            tally.check(
                scenario.name, "the runner's side of the scenario could be set up", False, repr(broken)
            )
    print(f"image-test: {tally.passed} passed, {tally.failed} failed")
    return 1 if tally.failed else 0


if __name__ == "__main__":
    sys.exit(main())
