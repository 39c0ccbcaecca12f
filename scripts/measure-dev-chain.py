#!/usr/bin/env python3
"""Measures a `folio-node --dev` the way an operator meets it: start -> RPC ready, start -> first
block, blocks and transactions per second with instant sealing under load, and peak RSS.

usage: scripts/measure-dev-chain.py <folio-node binary> <presign binary> [transactions]
(build both with `cargo build --release -p folio-node --example presign`).
Transactions are pre-signed (round-robin over //Alice … //Ferdie) so signing is not measured.
"""
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rpc(port, method, params):
    body = json.dumps({"id": 1, "jsonrpc": "2.0", "method": method, "params": params}).encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}", body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())


def best_number(port):
    return int(rpc(port, "chain_getHeader", [])["result"]["number"], 16)


def main():
    node_bin, presign_bin = sys.argv[1], sys.argv[2]
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 3000
    port = free_port()
    log = tempfile.NamedTemporaryFile(prefix="folio-measure-", suffix=".log", delete=False)
    started = time.monotonic()
    node = subprocess.Popen([node_bin, "--dev", "--rpc-port", str(port)], stdout=subprocess.DEVNULL, stderr=log)
    try:
        while True:
            try:
                rpc(port, "system_health", [])
                break
            except OSError:
                time.sleep(0.005)
        ready = time.monotonic() - started
        genesis = rpc(port, "chain_getBlockHash", [0])["result"]
        txs = subprocess.check_output([presign_bin, genesis, str(count)]).decode().split()

        first_submitted = time.monotonic()
        assert "result" in rpc(port, "author_submitExtrinsic", [txs[0]])
        while best_number(port) < 1:
            time.sleep(0.001)
        first_block = time.monotonic() - started
        first_latency = time.monotonic() - first_submitted

        errors = []
        def submit(part):
            for tx in part:
                answer = rpc(port, "author_submitExtrinsic", [tx])
                if "result" not in answer:
                    errors.append(answer)
        rest = txs[1:]
        threads = [threading.Thread(target=submit, args=(rest[i::4],)) for i in range(4)]
        load_started = time.monotonic()
        start_block = best_number(port)
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        submitted = time.monotonic() - load_started
        while rpc(port, "author_pendingExtrinsics", [])["result"]:
            time.sleep(0.01)
        elapsed = time.monotonic() - load_started
        blocks = best_number(port) - start_block
        with open(f"/proc/{node.pid}/status") as status:
            rss_kib = next(int(line.split()[1]) for line in status if line.startswith("VmHWM"))
        report = {
            "rpc_ready_ms": round(ready * 1000, 1),
            "first_block_ms_after_start": round(first_block * 1000, 1),
            "first_transaction_to_block_ms": round(first_latency * 1000, 1),
            "transactions": count - 1,
            "refused": len(errors),
            "submit_seconds": round(submitted, 2),
            "seconds_until_all_included": round(elapsed, 2),
            "blocks": blocks,
            "blocks_per_second": round(blocks / elapsed, 1),
            "transactions_per_second": round((count - 1 - len(errors)) / elapsed, 1),
            "peak_rss_mib": round(rss_kib / 1024, 1),
        }
        print(json.dumps(report, indent=2))
        if errors:
            print("first refusal:", errors[0], file=sys.stderr)
    finally:
        node.terminate()
        node.wait()


if __name__ == "__main__":
    main()
