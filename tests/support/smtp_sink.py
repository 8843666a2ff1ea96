"""A real SMTP server for the tests (aiosmtpd). Each message it receives is decoded and
written to OUT_DIR as one JSON file: {"from", "to", "subject", "text", "html"}.

Usage: smtp_sink.py OUT_DIR [PORT]   (PORT 0 or absent: any free port)
Prints the port it listens on as its first line of output, then serves until killed.
"""
import asyncio
import email
import email.policy
import json
import os
import sys

from aiosmtpd.smtp import SMTP


class Sink:
    def __init__(self, out_dir):
        self.out_dir = out_dir
        self.count = len([n for n in os.listdir(out_dir) if n.endswith(".json")])

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        parts = {"text": "", "html": ""}
        for part in msg.walk():
            kind = part.get_content_type()
            if kind == "text/plain":
                parts["text"] += part.get_content()
            elif kind == "text/html":
                parts["html"] += part.get_content()
        self.count += 1
        record = {
            "from": envelope.mail_from,
            "to": envelope.rcpt_tos,
            "subject": str(msg["subject"]),
            "text": parts["text"],
            "html": parts["html"],
            
        }
        path = os.path.join(self.out_dir, "%06d.json" % self.count)
        with open(path + ".tmp", "w") as f:
            json.dump(record, f)
        os.replace(path + ".tmp", path)
        return "250 Message accepted for delivery"


async def main():
    out_dir = sys.argv[1]
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 0
    os.makedirs(out_dir, exist_ok=True)
    loop = asyncio.get_running_loop()
    sink = Sink(out_dir)  # one for all connections, so that messages are numbered in order
    server = await loop.create_server(lambda: SMTP(sink, hostname="sink.test"), "127.0.0.1", port)
    print(server.sockets[0].getsockname()[1], flush=True)
    await server.serve_forever()


if __name__ == "__main__":
    asyncio.run(main())
