"""The GitHub Actions runner's side of the contract, as its source implements it.

Parses a step's stdout into workflow commands with the runner's own unescaping (ActionCommand.cs:
data: %0D, %0A, then %25; properties also %3A and %2C, %25 last), honours
`::stop-commands::TOKEN` ... `::TOKEN::`, and reads GITHUB_OUTPUT files in both forms.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass
class Command:
    name: str
    properties: dict[str, str]
    message: str


@dataclass
class Log:
    commands: list[Command] = field(default_factory=list)
    text: list[str] = field(default_factory=list)  # lines shown as plain log text

    def named(self, *names: str) -> list[Command]:
        return [c for c in self.commands if c.name in names]


def unescape_data(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def unescape_property(text: str) -> str:
    return (
        text.replace("%0D", "\r")
        .replace("%0A", "\n")
        .replace("%3A", ":")
        .replace("%2C", ",")
        .replace("%25", "%")
    )


_COMMAND = re.compile(r"^::(?P<name>[^\s:]+)(?: (?P<props>[^:]*))?::(?P<message>.*)$")


def parse_log(stdout: str) -> Log:
    log = Log()
    stop_token: str | None = None
    for line in stdout.splitlines():
        stripped = line.lstrip()
        if stop_token is not None:
            if stripped == f"::{stop_token}::":
                stop_token = None
            else:
                log.text.append(line)
            continue
        match = _COMMAND.match(stripped)
        if not match:
            log.text.append(line)
            continue
        properties: dict[str, str] = {}
        for pair in (match["props"] or "").split(","):
            if "=" in pair:
                key, value = pair.split("=", 1)
                properties[key] = unescape_property(value)
        command = Command(match["name"], properties, unescape_data(match["message"]))
        if command.name == "stop-commands":
            stop_token = command.message
        log.commands.append(command)
    return log


def parse_outputs(text: str) -> dict[str, str]:
    """GITHUB_OUTPUT: `name=value` lines and `name<<DELIM` ... `DELIM` blocks."""
    outputs: dict[str, str] = {}
    lines = text.split("\n")
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        if not line:
            continue
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delimiter = line.split("<<", 1)
            value: list[str] = []
            while lines[index] != delimiter:
                value.append(lines[index])
                index += 1
            index += 1
            outputs[name] = "\n".join(value)
        else:
            name, value_text = line.split("=", 1)
            outputs[name] = value_text
    assert text.endswith("\n"), "a missing final newline breaks the step"
    return outputs


# The commands the runner registers (src/Runner.Worker/*CommandExtension*.cs), which both forms name.
REGISTERED = frozenset(
    {
        "set-env", "set-output", "save-state", "add-path", "add-mask", "add-matcher", "remove-matcher",
        "warning", "error", "notice", "debug", "group", "endgroup", "echo", "stop-commands",
    }
)  # fmt: skip


def legacy_command(line: str) -> str | None:
    """The command the runner's legacy parser (ActionCommand.TryParse) finds in `line`, if any:
    `##[` anywhere, the name up to the first space or `]`, when the name is registered."""
    start = line.find("##[")
    if start < 0:
        return None
    end = line.find("]", start)
    if end < 0:
        return None
    name = line[start + 3 : end].split(" ", 1)[0]
    return name if name.lower() in REGISTERED else None
