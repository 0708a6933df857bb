#!/usr/bin/python3
"""A local SMTP sink for the e-mail tests (Debian's python3-aiosmtpd).

Usage: sink.py OUT_FILE [PORT]  (PORT 0 or absent: a free port)

Prints "listening on 127.0.0.1:PORT" once it accepts connections. Every message it accepts is
appended to OUT_FILE as one JSON line, flushed *before* the server answers 250 to the end of
DATA: a message the sender saw accepted is in the file (the tests kill the sender, never the
sink, so the operating system's cache is enough). Each line holds the envelope
(mail_from, rcpt_tos), the raw message text and what Python's e-mail parser reads from it
(headers with RFC 2047 words decoded, the body decoded from its transfer encoding), so the
tests check the message against an independent decoder.
"""
import asyncio
import email
import email.policy
import json
import sys

from aiosmtpd.smtp import SMTP


class Sink:
    def __init__(self, path):
        self.path = path

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        if isinstance(raw, str):
            raw = raw.encode("utf-8")
        message = email.message_from_bytes(raw, policy=email.policy.default)
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "raw": raw.decode("utf-8", errors="replace"),
            "headers": {k.lower(): str(v) for k, v in message.items()},
            "body": message.get_content() if not message.is_multipart() else "",
        }
        with open(self.path, "a", encoding="utf-8") as out:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            out.flush()
        return "250 OK"


async def main():
    path = sys.argv[1]
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    loop = asyncio.get_running_loop()
    handler = Sink(path)
    server = await loop.create_server(
        lambda: SMTP(handler, decode_data=False, enable_SMTPUTF8=False), "127.0.0.1", port)
    port = server.sockets[0].getsockname()[1]
    print(f"listening on 127.0.0.1:{port}", flush=True)
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
