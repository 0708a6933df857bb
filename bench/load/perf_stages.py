#!/usr/bin/env python3
"""Groups the samples of `perf script` (DWARF call graphs of `expectmatch serve`) by stage of a
request, for bench/README.md ("Where a request's time goes").

Usage: perf script -F comm,tid,period,ip,sym,dso | perf_stages.py [BINARY]

Debian's perf 6.1 does not read this project's symbols ("symsrc__init: cannot get elf
header"), so the frames of BINARY (perf prints their address in the file) are named here from
`nm -C -n BINARY`. Each sample is charged whole (its
period) to one stage: walking its stack from the sampled function towards `main`, the first
frame whose function names a stage decides (so a `malloc` or a `memcpy` is charged to whoever
called it: the encoder's allocations to "encoding", the kernel's copy of a received segment to
"socket read"). Samples with no such frame are "other". Prints one line per stage: its share of
the server's samples, then the ten functions (sampled leaf) that weigh most in it.
"""
import bisect
import collections
import re
import subprocess
import sys

# (stage, regular expression on a frame's function name), tried in this order on each frame.
STAGES = [
    # LogRequest, or the logger lambda that held the same code before it.
    ("access log", r"AccessLog|WriteToStderr|Rfc3339|access_log|LogRequest|"
                   r"lambda\(httplib::Request const&, httplib::Response const&\)#7"),
    ("metrics", r"HttpMetrics"),
    # The dispatch lambda of http_server.cc: what it does itself, beside calling the stages below, is
    # waiting at the gate (inlined there before RequestGate::Wait was out of line).
    ("request gate", r"RequestGate|lambda\(httplib::Request const&, httplib::Response&\)#3\}"),
    ("rate limiter", r"RateLimiter"),
    ("authentication", r"KeyCache|Authenticate|SHA256|sha256_block|ApiKey"),
    ("ranking-log queue", r"RankingLog"),
    ("encoding", r"EncodeRanking|JsonWriter|EncodeMatch|match_json"),
    ("JSON parse", r"ParseJsonBody|nlohmann.*(parser|lexer)|DecodeMatchRequest|MatchRequestFrom"),
    ("ranking", r"matcher::|Ranker|TopK|RankNeed|Explain"),
    ("route matching", r"MatchPattern|SplitPath"),
    ("request copy (httplib to HttpRequest)", r"ToRequest"),
    ("response copy (HttpResponse to httplib)", r"api::\(anonymous namespace\)::Write\b|set_content"),
    ("socket write", r"GuardedStream::write|is_writable|write_response|write_content|"
                     r"SendHeld|FlushHeld|sendmsg|__sys_sendto|tcp_sendmsg|__send|sendto|\bsend\b|"
                     r"__libc_send"),
    ("header parsing", r"read_headers|parse_request_line|parse_header|stream_line_reader|"
                       r"read_content|parse_query_text"),
    ("httplib routing (its handlers' regular expressions)", r"routing|dispatch_request|regex"),
    ("socket read", r"GuardedStream::read|GuardedStream::Fill|is_readable|WaitForNextRequest|"
                    r"__sys_recvfrom|tcp_recvmsg|__recv|recvfrom|\brecv\b|__libc_recv"),
    ("service (other)", r"Service::Handle|AnswerMatch|PostMatch|service::"),
    ("poll (waiting for the socket)", r"\bpoll\b|__poll|do_sys_poll"),
    ("thread pool", r"ElasticPool"),
    ("transport (other httplib)", r"httplib::"),
]
COMPILED = [(name, re.compile(pattern)) for name, pattern in STAGES]
# A sample in the kernel's context switch (a thread going to sleep or waking up) is charged to
# "context switches", split by the stage whose frame is the first found above the switch (the
# request gate's wait, poll on a socket, the thread pool's wait for a connection, ...).
SWITCH = re.compile(r"\bschedule\b|__schedule|finish_task_switch|schedule_hrtimeout|futex_wait|"
                    r"futex_wake|try_to_wake_up")


def samples(lines):
    header, frames = None, []
    for line in lines:
        line = line.rstrip("\n")
        if not line.strip():
            if header is not None:
                yield header, frames
            header, frames = None, []
        elif line[0] in " \t":
            frames.append(line.strip())
        else:
            header, frames = line, []
    if header is not None:
        yield header, frames


def symbol_table(binary):
    """(sorted addresses, names) of the functions of `binary`, from nm."""
    listing = subprocess.run(["nm", "-C", "--defined-only", "-n", binary], capture_output=True,
                             text=True, check=True).stdout
    addresses, names = [], []
    for line in listing.splitlines():
        parts = line.split(" ", 2)
        if len(parts) == 3 and parts[1] in "tTwW":
            addresses.append(int(parts[0], 16))
            names.append(parts[2])
    return addresses, names


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else None
    addresses, names = symbol_table(binary) if binary else ([], [])
    unknown = re.compile(r"^([0-9a-f]+) \[unknown\] \((.*)\)$")

    def resolve(frame):
        match = unknown.match(frame)
        if match and binary and match.group(2) == binary:
            i = bisect.bisect_right(addresses, int(match.group(1), 16)) - 1
            if i >= 0:
                return names[i] + " (" + binary + ")"
        return frame.split(None, 1)[1] if " " in frame else frame

    totals = collections.Counter()
    leaves = collections.defaultdict(collections.Counter)
    total = 0
    for header, frames in samples(sys.stdin):
        fields = header.split()
        period = 1
        for field in reversed(fields):
            if field.isdigit():
                period = int(field)
                break
        frames = [resolve(frame) for frame in frames]
        stage = "other"
        switch = False
        for frame in frames:
            function = re.sub(r"\+0x[0-9a-f]+ \(.*\)$| \(.*\)$", "", frame)
            if SWITCH.search(function):
                switch = True
                continue
            for name, pattern in COMPILED:
                if pattern.search(function):
                    stage = name
                    break
            if stage != "other":
                break
        if switch:
            stage = "context switches: " + stage
        leaf = re.sub(r"\+0x[0-9a-f]+", "", frames[0]) if frames else "[no stack]"
        totals[stage] += period
        leaves[stage][leaf] += period
        total += period
    if total == 0:
        print("no samples")
        return
    print(f"{'stage':45} {'share':>7}")
    for stage, weight in totals.most_common():
        print(f"{stage:45} {100 * weight / total:6.1f} %")
        for leaf, w in leaves[stage].most_common(10):
            print(f"    {100 * w / total:5.1f} %  {leaf[:110]}")


if __name__ == "__main__":
    main()
