"""The email connector: `.eml`, mbox mailboxes (with or without an extension), Apple Mail `.mbox` bundles and
`.emlx` files -> Evidence. Outlook `.msg` is refused with what to export instead.

A mail is kudos unless it is a notification: `Auto-Submitted`, `Precedence: bulk / list / junk`, a calendar
invite, or a bot sender; those are kept as "notification" and never counted as kudos.
"""

from __future__ import annotations

import hashlib
import mailbox
import re
from collections.abc import Iterator
from datetime import UTC
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from ingest.evidence import Evidence, Role
from ingest.people import is_bot
from ingest.sources import Skips, SourceOptions, UsageError, looks_binary

SUFFIXES = (".eml", ".mbox", ".emlx", ".msg")
OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Outlook .msg (a Compound File)
DEEP = "MIME parts nested too deep to read"
MSG = "an Outlook .msg file is not read: save the mails as .eml files or export the folder as an mbox instead"


def iter_records(paths: list[Path], options: SourceOptions, skips: Skips) -> Iterator[Evidence]:
    for path in _mail_files(paths):
        for n, message in enumerate(_messages(path, skips), 1):
            where = f"{path}#message {n}"
            try:
                evidence = _evidence(message, options)
            except (ValueError, TypeError, LookupError, AttributeError, IndexError) as exc:
                skips.add(where, str(exc))
                continue
            except RecursionError:
                skips.add(where, DEEP)
                continue
            if options.in_period(evidence.when):
                yield evidence


def _mail_files(paths: list[Path]) -> Iterator[Path]:
    """Files named directly; under folders, mail files by extension, Apple Mail bundles and mailboxes
    without an extension (Thunderbird's `Inbox`, recognised by its first line)."""
    for path in paths:
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder")
        if path.is_file():
            yield path
            continue
        for child in sorted(path.rglob("*")) if not _bundle(path) else [path]:
            if any(part.startswith(".") for part in child.relative_to(path).parts):
                continue
            if _bundle(child):
                yield from ([child / "mbox"] if (child / "mbox").is_file() else [])
                yield from sorted(child.rglob("*.emlx"))
            elif (
                child.is_file()
                and not any(_bundle(path / p) for p in child.relative_to(path).parents)
                and (child.suffix.lower() in SUFFIXES or (not child.suffix and _starts_mbox(child)))
            ):
                yield child


def _bundle(path: Path) -> bool:
    return path.is_dir() and path.suffix.lower() == ".mbox"


def _starts_mbox(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(5) == b"From "


def _messages(path: Path, skips: Skips) -> Iterator[Message]:
    data = path.read_bytes()
    if not data.strip():
        skips.add(str(path), "empty file")
        return
    if data.startswith(OLE) or path.suffix.lower() == ".msg":
        skips.add(str(path), MSG)
        return
    if looks_binary(data[:8192].decode("latin-1")):  # NUL and control bytes throughout, not one stray NUL
        skips.add(str(path), "binary file, not a mail message")
        return
    parser = BytesParser(policy=policy.default)
    if path.suffix.lower() == ".emlx":  # Apple Mail: a byte count line, the message, then a plist
        first, _, rest = data.partition(b"\n")
        size = int(first.strip()) if first.strip().isdigit() else len(rest)
        yield from _parsed(parser, rest[:size], f"{path}#message 1", skips)
        return
    if not data.startswith(b"From "):
        if path.suffix.lower() == ".mbox":
            skips.add(f"{path}:1", 'not an mbox mailbox (no "From " line at the start)')
            return
        yield from _parsed(parser, data, f"{path}#message 1", skips)
        return
    box = mailbox.mbox(str(path), create=False)
    try:
        for n, key in enumerate(box.iterkeys(), 1):
            yield from _parsed(parser, box.get_bytes(key), f"{path}#message {n}", skips)
    finally:
        box.close()


def _parsed(parser: BytesParser[Any], raw: bytes, where: str, skips: Skips) -> Iterator[Message]:
    """One message, or a named skip when its MIME parts nest too deep to parse; the mailbox goes on."""
    try:
        yield parser.parsebytes(raw)
    except RecursionError:
        skips.add(where, DEEP)


def is_notification(message: Message, sender: list[str]) -> bool:
    """A machine-sent mail: Auto-Submitted (not "no"), bulk or list precedence, a calendar invite, a bot."""
    auto = str(message.get("Auto-Submitted") or "").strip().lower()
    precedence = str(message.get("Precedence") or "").strip().lower()
    if (auto and auto != "no") or precedence in ("bulk", "list", "junk"):
        return True
    if any(part.get_content_type() == "text/calendar" for part in message.walk()):
        return True
    return any(is_bot(s) for s in sender)


def _evidence(message: Message, options: SourceOptions) -> Evidence:
    raw_date = str(message.get("Date") or "").strip()
    if not raw_date:
        raise ValueError("no Date header")
    try:
        when = parsedate_to_datetime(raw_date)
    except (TypeError, ValueError, IndexError) as exc:
        raise ValueError(f"unreadable Date header {raw_date!r}") from exc
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    sender = _addresses(message, "From")
    recipients = _addresses(message, "To") + _addresses(message, "Cc")
    subject = re.sub(r"\s+", " ", str(message.get("Subject") or "")).strip()
    message_id = str(message.get("Message-ID") or "").strip().strip("<>").strip()
    if not message_id:
        seed = f"{sender[0] if sender else ''}|{raw_date}|{subject}"
        message_id = "sha1-" + hashlib.sha1(seed.encode()).hexdigest()[:16]
    notification = is_notification(message, sender)
    return Evidence(
        id=f"email:{message_id}",
        source="email",
        kind="notification" if notification else "kudos",
        title=subject or "(no subject)",
        date=when.isoformat(),
        body=_body(message),
        author=_name(sender[0]) if sender else "",
        role="mentioned" if notification else _role(sender, recipients, options),
        native={"message_id": message_id},
        extra={"sender": sender[0] if sender else "", "recipients": recipients},
    )


def _addresses(message: Message, header: str) -> list[str]:
    values = [str(v) for v in message.get_all(header, [])]
    return [f"{name} <{addr}>" if name else addr for name, addr in getaddresses(values) if addr or name]


def _name(address: str) -> str:
    return re.sub(r"\s*<[^>]*>$", "", address) or address


def _role(sender: list[str], recipients: list[str], options: SourceOptions) -> Role:
    if not options.knows_user:
        return "recipient"  # kudos mails are, by default, mails to the user
    if any(options.is_user(s) for s in sender):
        return "author"
    return "recipient" if any(options.is_user(r) for r in recipients) else "mentioned"


def _body(message: Message) -> str:
    part = message.get_body(("plain", "html")) if isinstance(message, EmailMessage) else None
    if part is None:
        return ""
    try:
        text = part.get_content()
    except (LookupError, UnicodeError, AssertionError):
        payload = part.get_payload(decode=True) or b""
        text = payload.decode("utf-8", errors="replace") if isinstance(payload, bytes) else str(payload)
    if not isinstance(text, str):
        return ""
    if part.get_content_subtype() == "html":
        text = html_text(text)
    return re.sub(r"\n{3,}", "\n\n", text.replace("\r\n", "\n")).strip()


class _Text(HTMLParser):
    BLOCKS = frozenset({"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "blockquote", "table"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.hidden += tag in ("script", "style", "head")
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head") and self.hidden > 0:
            self.hidden -= 1
        if tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def html_text(html: str) -> str:
    """Visible text of an HTML mail body: tags dropped, blocks on their own lines, entities decoded."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    lines = [re.sub(r"[ \t\xa0]+", " ", line).strip() for line in "".join(parser.parts).splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
