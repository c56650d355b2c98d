"""A loopback SMTP sink that waits before each end-of-data reply, like a relay that fsyncs or sits across a network.

Run: python bench/delaysink.py --port 0 --delay-ms 20 [--drop-every N] [--stall-every N --stall-seconds 60]
Prints `port N` once listening, and on SIGTERM `received R dropped D stalled S` plus one recipient per line to
the file given by --log (so a bench can count copies per reader). PIPELINING is offered, as Postfix does.

Faults: --drop-every N closes the connection in the middle of every Nth message's data (it is not accepted);
--stall-every N stops answering the Nth message's end of data for --stall-seconds, then closes.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import sys


class Sink:
    def __init__(self, args: argparse.Namespace):
        self.delay = args.delay_ms / 1000
        self.drop_every = args.drop_every
        self.stall_every = args.stall_every
        self.stall_seconds = args.stall_seconds
        self.messages = 0
        self.received: list[str] = []
        self.dropped = 0
        self.stalled = 0

    async def session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"220 delaysink ESMTP\r\n")
        recipient = ""
        try:
            while line := await reader.readline():
                verb = line[:4].upper()
                if verb in (b"EHLO", b"HELO"):
                    writer.write(b"250-delaysink\r\n250-PIPELINING\r\n250-8BITMIME\r\n250 SIZE 104857600\r\n")
                elif verb == b"RCPT":
                    recipient = line.decode("ascii", "replace").partition("<")[2].partition(">")[0]
                    writer.write(b"250 2.1.5 ok\r\n")
                elif verb == b"DATA":
                    writer.write(b"354 go ahead\r\n")
                    await writer.drain()
                    self.messages += 1
                    number = self.messages
                    if self.drop_every and number % self.drop_every == 0:
                        await reader.read(1000)  # part of the body, then the line goes dead
                        self.dropped += 1
                        return
                    await reader.readuntil(b"\r\n.\r\n")
                    if self.stall_every and number % self.stall_every == 0:
                        self.stalled += 1
                        await asyncio.sleep(self.stall_seconds)
                        return
                    if self.delay:
                        await asyncio.sleep(self.delay)
                    self.received.append(recipient)
                    writer.write(b"250 2.0.0 queued\r\n")
                elif verb == b"QUIT":
                    writer.write(b"221 bye\r\n")
                    return
                else:  # MAIL, RSET, NOOP
                    writer.write(b"250 ok\r\n")
                await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--delay-ms", type=float, default=20.0)
    parser.add_argument("--drop-every", type=int, default=0)
    parser.add_argument("--stall-every", type=int, default=0)
    parser.add_argument("--stall-seconds", type=float, default=60.0)
    parser.add_argument("--log", default="")
    args = parser.parse_args()
    sink = Sink(args)
    server = await asyncio.start_server(sink.session, "127.0.0.1", args.port, limit=16 * 1024 * 1024, backlog=512)
    print(f"port {server.sockets[0].getsockname()[1]}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    loop.add_signal_handler(signal.SIGTERM, stop.set)
    loop.add_signal_handler(signal.SIGINT, stop.set)
    await stop.wait()
    server.close()
    if args.log:
        with open(args.log, "w") as log:
            log.write("\n".join(sink.received))
    print(f"received {len(sink.received)} dropped {sink.dropped} stalled {sink.stalled}", flush=True)
    sys.exit(0)


if __name__ == "__main__":
    asyncio.run(main())
