"""PyTorch's side of bench/gpu/host.sh: what a user would write for the same MLP, host to host.

Per precision and batch: a pageable fp32 host tensor copied to the device (as .cuda() does), the
network replayed as a CUDA graph (fp32 in, converted to the precision, fp32 out), the result
brought back with .cpu(); the median wall time of one such call. Model building is bench_torch.py's.
Usage: python3 bench/gpu/host_torch.py OUT.jsonl HIDDEN BATCHES PRECISIONS (comma-separated lists; fp32 tf32 fp16 bf16)
"""
import json
import sys
import time

import numpy as np
import torch

from bench_torch import DTYPES, LAYERS, forward

BUDGET_S, MIN_CALLS, WARMUP = 1.5, 10, 5


def host_to_host_us(fn):
    for _ in range(WARMUP):
        fn()
    times, end = [], time.perf_counter() + BUDGET_S
    while len(times) < MIN_CALLS or time.perf_counter() < end:
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1e6)
    return float(np.median(times))


def main(out, hidden, batches, precisions):
    rows = [{"kind": "device", "name": torch.cuda.get_device_name(), "torch": torch.__version__, "cuda": torch.version.cuda}]
    bound = 1 / hidden ** 0.5
    fp32 = [(torch.empty(hidden, hidden, device="cuda").uniform_(-bound, bound),
             torch.empty(hidden, device="cuda").uniform_(-bound, bound)) for _ in range(LAYERS)]
    for name in precisions:
        dtype = DTYPES[name]
        torch.backends.cuda.matmul.allow_tf32 = name == "tf32"
        layers = [(w.to(dtype), b.to(dtype)) for w, b in fp32]
        for batch in batches:
            host = torch.empty(batch, hidden).uniform_(-1, 1)  # pageable, as a user's tensor is
            static_in = torch.empty(batch, hidden, device="cuda")
            side = torch.cuda.Stream()
            side.wait_stream(torch.cuda.current_stream())
            with torch.cuda.stream(side):
                for _ in range(3):
                    forward(static_in.to(dtype), layers).float()
            torch.cuda.current_stream().wait_stream(side)
            graph = torch.cuda.CUDAGraph()
            with torch.cuda.graph(graph):
                static_out = forward(static_in.to(dtype), layers).float()

            def call():
                static_in.copy_(host)
                graph.replay()
                return static_out.cpu()

            us = host_to_host_us(call)
            rows.append({"kind": "torch", "precision": name, "batch": batch, "us": us, "rowsPerS": batch * 1e6 / us})
            print(f"torch {name} batch {batch}: {us:.1f} us")
            del graph
    with open(out, "w") as f:
        for row in rows:
            f.write(json.dumps(row) + "\n")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), [int(b) for b in sys.argv[3].split(",")], sys.argv[4].split(","))
