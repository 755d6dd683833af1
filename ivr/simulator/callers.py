"""The caller's side of a simulated call: keys given in advance (scripted) or typed in a terminal.

Scripted keys are a string of answers separated by spaces, one per input prompt:
`"1 12345678#"` presses 1 at the menu, then types 12345678 and # at the order-number prompt.
`-` lets a prompt time out, `hangup` hangs up. A menu (StoreInput False) takes one key and keeps
the rest as type-ahead for the next prompt, as a phone keypad does. When the answers run out,
every further prompt times out.

Keys piped to `ivr call` (stdin not a terminal, no --keys) come one answer per line, each line
written as a --keys entry; an empty line lets that prompt time out (`keys_from_lines`).

Texts the IVR sends the caller (a verification code) reach the caller (`receive_text`): in an
answer, `{code}` stands for the last code texted (its 6 digits) and `{wrong_code}` for 6 digits
that are not it, so `"2 {code}#"` enters the code the call texted. `wait:6m` (or `wait:90s`), an
entry of its own, is the caller waiting that long before answering the next prompt: the clock the
Lambdas read moves on with it (a code can expire).

What the caller says to a Lex bot is a second stream (`ivr call --say`, one sentence per Lex
turn): a prompt that takes keys reads the keys, a Lex bot reads the sentences, so the two never
take each other's answers. `-` is silence (the bot's turn times out), `hangup` hangs up.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

VALID_KEYS = re.compile(r"[0-9*#]+")
CODE_TOKENS = ("{code}", "{wrong_code}")  # the last code texted to the caller, and one that is not it
WAIT = re.compile(r"wait:(\d+)([ms])")
TEXTED_CODE = re.compile(r"\b(\d{6})\b")
TIMEOUT_TOKENS = {"-", "timeout"}
HANG_UP_TOKENS = {"hangup", "hang-up"}


class BadKeys(ValueError):
    """A scripted answer that is not keys a phone has."""


@dataclass(frozen=True)
class Prompt:
    text: str
    store: bool  # True: digits until the terminator are stored; False: one key picks a branch
    timeout_seconds: int
    max_length: int = 20
    terminator: str = "#"
    encrypted: bool = False


@dataclass(frozen=True)
class Answer:
    keys: str  # "" for a timeout
    hang_up: bool = False
    said: str = ""  # what the caller said to a bot
    waited_seconds: int = 0  # how long the caller waited before answering (`wait:` entries)


class Caller(Protocol):
    def answer(self, prompt: Prompt) -> Answer | None: ...

    def speak(self, prompt: str) -> Answer | None:
        """What the caller says to a bot that asked `prompt`; None for silence."""
        ...


def parse_keys(script: str | None) -> list[str]:
    tokens = (script or "").split()
    for token in tokens:
        keys = token
        for stand_in in CODE_TOKENS:
            keys = keys.replace(stand_in, "0")
        if token.lower() not in TIMEOUT_TOKENS | HANG_UP_TOKENS and not VALID_KEYS.fullmatch(keys) and not WAIT.fullmatch(token):
            raise BadKeys(f"'{token}' is not phone keys: use digits, * and #, {{code}} for the code texted, "
                          "'-' for no key, 'wait:5m', 'hangup'")
    return tokens


def texted_code(texts: list[str]) -> str:
    """The last 6-digit code among the texts the caller received ("" when none)."""
    for text in reversed(texts):
        if found := TEXTED_CODE.search(text):
            return found.group(1)
    return ""


def keys_from_lines(text: str, source: str = "stdin") -> list[str]:
    """Answers given one per line (as piped to `ivr call`): each line is a --keys entry, an empty
    line is no key (the prompt times out); a line of several entries gives them in order."""
    tokens: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        try:
            tokens.extend(parse_keys(line) or ["-"])
        except BadKeys as error:
            raise BadKeys(f"{source} line {number}: {error}") from None
    return tokens


def collect(keys: str, prompt: Prompt) -> tuple[str, str]:
    """(what this prompt takes, what is left as type-ahead)."""
    if not prompt.store:
        return keys[:1], keys[1:]
    end = keys.find(prompt.terminator) if prompt.terminator else -1
    if end >= 0:
        return keys[:end][: prompt.max_length], keys[end + len(prompt.terminator):]
    return keys[: prompt.max_length], keys[prompt.max_length:]


class ScriptedCaller:
    def __init__(self, script: str | list[str] | None, said: list[str] | None = None):
        self.tokens = parse_keys(script) if not isinstance(script, list) else list(script)
        self.said = [str(sentence) for sentence in said or []]
        self.texts: list[str] = []

    def receive_text(self, body: str) -> None:
        self.texts.append(body)

    def speak(self, prompt: str) -> Answer | None:
        if not self.said:
            return None
        sentence = self.said.pop(0).strip()
        if sentence.lower() in TIMEOUT_TOKENS or not sentence:
            return None
        if sentence.lower() in HANG_UP_TOKENS:
            return Answer("", hang_up=True)
        return Answer("", said=sentence)

    def answer(self, prompt: Prompt) -> Answer | None:
        waited = 0
        while self.tokens and (wait := WAIT.fullmatch(self.tokens[0])):
            self.tokens.pop(0)
            waited += int(wait.group(1)) * (60 if wait.group(2) == "m" else 1)
        if not self.tokens:
            return Answer("", waited_seconds=waited) if waited else None
        token = self._with_code(self.tokens.pop(0))
        if token.lower() in TIMEOUT_TOKENS:
            return Answer("", waited_seconds=waited) if waited else None
        if token.lower() in HANG_UP_TOKENS:
            return Answer("", hang_up=True)
        taken, rest = collect(token, prompt)
        if rest:
            self.tokens.insert(0, rest)
        return Answer(taken, waited_seconds=waited)

    def _with_code(self, token: str) -> str:
        if not any(stand_in in token for stand_in in CODE_TOKENS):
            return token
        code = texted_code(self.texts) or "000000"
        wrong = f"{(int(code) + 1) % 1_000_000:06d}"
        return token.replace("{code}", code).replace("{wrong_code}", wrong)


class InteractiveCaller:
    """Asks the person at the terminal; an empty line lets the prompt time out, `h` hangs up."""

    def __init__(self, read: Callable[[str], str] | None = None, write: Callable[[str], None] | None = None):
        self.read = read or (lambda prompt: input(prompt))
        self.write = write or print

    def receive_text(self, body: str) -> None:
        """The transcript shows the text as it arrives: the person reads the code there."""

    def answer(self, prompt: Prompt) -> Answer | None:
        kind = "digits, then #" if prompt.store else "one key"
        while True:
            try:
                line = self.read(f"  your keys ({kind}; Enter = no key, h = hang up) > ").strip()
            except EOFError:
                return Answer("", hang_up=True)
            if line.lower() in {"h", *HANG_UP_TOKENS}:
                return Answer("", hang_up=True)
            if not line:
                return None
            line = line.replace(" ", "")
            if VALID_KEYS.fullmatch(line):
                return Answer(collect(line, prompt)[0])
            self.write("  (a phone has 0-9, * and #)")

    def speak(self, prompt: str) -> Answer | None:
        try:
            line = self.read("  you say (Enter = silence, h = hang up) > ").strip()
        except EOFError:
            return Answer("", hang_up=True)
        if line.lower() in {"h", *HANG_UP_TOKENS}:
            return Answer("", hang_up=True)
        return Answer("", said=line) if line else None
