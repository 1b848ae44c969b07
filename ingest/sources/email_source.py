"""The email connector: `.eml` files and `.mbox` mailboxes (kudos and thank-you mails) -> Evidence."""

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

from ingest.evidence import Evidence
from ingest.sources import Skips, SourceOptions, expand


def iter_records(paths: list[Path], options: SourceOptions, skips: Skips) -> Iterator[Evidence]:
    for path in expand(paths, (".eml", ".mbox")):
        for n, message in enumerate(_messages(path, skips), 1):
            where = f"{path}#message {n}"
            try:
                evidence = _evidence(message, options)
            except (ValueError, TypeError, LookupError, AttributeError, IndexError) as exc:
                skips.add(where, str(exc))
                continue
            if options.in_period(evidence.when):
                yield evidence


def _messages(path: Path, skips: Skips) -> Iterator[Message]:
    data = path.read_bytes()
    if not data.strip():
        skips.add(str(path), "empty file")
        return
    if b"\x00" in data[:8192]:
        skips.add(str(path), "binary file, not a mail message")
        return
    if path.suffix.lower() != ".mbox":
        yield BytesParser(policy=policy.default).parsebytes(data)
        return
    if not data.startswith(b"From "):
        skips.add(f"{path}:1", "not an mbox mailbox (no \"From \" line at the start)")
        return
    box = mailbox.mbox(str(path), create=False)
    parser = BytesParser(policy=policy.default)
    try:
        for key in box.iterkeys():
            yield parser.parsebytes(box.get_bytes(key))
    finally:
        box.close()


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
    return Evidence(
        id=f"email:{message_id}", source="email", kind="kudos", title=subject or "(no subject)",
        date=when.isoformat(), body=_body(message), author=_name(sender[0]) if sender else "",
        role=_role(sender, recipients, options), native={"message_id": message_id},
        extra={"sender": sender[0] if sender else "", "recipients": recipients},
    )


def _addresses(message: Message, header: str) -> list[str]:
    values = [str(v) for v in message.get_all(header, [])]
    return [f"{name} <{addr}>" if name else addr for name, addr in getaddresses(values) if addr or name]


def _name(address: str) -> str:
    return re.sub(r"\s*<[^>]*>$", "", address) or address


def _role(sender: list[str], recipients: list[str], options: SourceOptions) -> str:
    if not options.authors:
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
