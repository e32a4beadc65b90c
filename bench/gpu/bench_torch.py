"""PyTorch's side of bench/gpu/run.sh, on the weights engine_bench wrote, in the same run.

Per precision and batch: the 4-layer MLP eagerly (F.linear + relu) and replayed as a CUDA graph,
and one layer's matrix product through torch.matmul (cuBLAS) for the TFLOP/s ceiling; the
device-to-device copy bandwidth; and the accuracy at batch 8 of the engine's outputs and of
PyTorch's against float64 on the same (precision-rounded) weights, and on the fp32 weights.
fp8: the weights in e4m3 with one scale per output channel, as the engine stores them; PyTorch
runs them through torch._scaled_mm (activations quantized per tensor, rowwise scales, bf16
out), or the row says why it could not. Writes OUTDIR/torch.jsonl.
"""
import json
import sys

import numpy as np
import torch
import torch.nn.functional as F

WIDTH, LAYERS, BATCHES = 4096, 4, [1, 2, 4, 8, 16, 32, 64, 256, 1024, 4096]
DTYPES = {"fp32": torch.float32, "tf32": torch.float32, "fp16": torch.float16, "bf16": torch.bfloat16,
          "fp8": torch.float16}
E4M3_MAX = 448.0


def median_us(fn, reps=50, warmup=5):
    for _ in range(warmup):
        fn()
    start = [torch.cuda.Event(enable_timing=True) for _ in range(reps)]
    stop = [torch.cuda.Event(enable_timing=True) for _ in range(reps)]
    for i in range(reps):
        start[i].record()
        fn()
        stop[i].record()
    torch.cuda.synchronize()
    return float(np.median([s.elapsed_time(e) for s, e in zip(start, stop)]) * 1000)


def copy_bandwidth():
    """GB/s of a 1 GiB device-to-device copy, counting bytes read plus bytes written."""
    src = torch.empty(256 << 20, dtype=torch.float32, device="cuda").uniform_()
    dst = torch.empty_like(src)
    us = median_us(lambda: dst.copy_(src), reps=20)
    return 2 * src.numel() * 4 / (us * 1e-6) / 1e9


def load_weights(path):
    raw = np.fromfile(path, dtype=np.float32)
    layers, at = [], 0
    for _ in range(LAYERS):
        w = raw[at:at + WIDTH * WIDTH].reshape(WIDTH, WIDTH)
        at += WIDTH * WIDTH
        b = raw[at:at + WIDTH]
        at += WIDTH
        layers.append((torch.from_numpy(w.copy()).cuda(), torch.from_numpy(b.copy()).cuda()))
    return layers


def forward(x, layers):
    for w, b in layers:
        x = torch.relu(F.linear(x, w, b))
    return x


def quantize_rows(w):
    """e4m3 weights and their per-output-channel scales (max magnitude → 448), as the engine stores them."""
    scale = (w.abs().amax(dim=1, keepdim=True) / E4M3_MAX).clamp(min=1e-30)
    return (w / scale).to(torch.float8_e4m3fn), scale.float()


def fp8_layers(fp32_layers):
    return [(*quantize_rows(w), b.to(torch.bfloat16)) for w, b in fp32_layers]


def forward_fp8(x, layers):
    """torch._scaled_mm per layer: x quantized per tensor (dynamic), weights rowwise, bf16 out."""
    for wq, ws, b in layers:
        sx = (x.abs().amax().float() / E4M3_MAX).clamp(min=1e-30)
        xq = (x / sx).to(torch.float8_e4m3fn)
        x = torch.relu(torch._scaled_mm(xq, wq.t(), scale_a=sx.expand(x.shape[0], 1).contiguous(),
                                        scale_b=ws.view(1, -1), bias=b, out_dtype=torch.bfloat16))
    return x


def rel_error(got, want):
    return float(torch.linalg.norm(got.double() - want) / torch.linalg.norm(want))


def main(out_dir):
    rows = []
    copy = copy_bandwidth()
    rows.append({"kind": "device", "name": torch.cuda.get_device_name(), "copy_gbps": copy,
                 "torch": torch.__version__, "cuda": torch.version.cuda})
    print(f"{torch.cuda.get_device_name()}: copy {copy:.0f} GB/s")
    fp32_layers = load_weights(f"{out_dir}/weights.bin")
    x8 = torch.from_numpy(np.fromfile(f"{out_dir}/in_b8.bin", dtype=np.float32).reshape(8, WIDTH)).cuda()
    exact = forward(x8.double(), [(w.double(), b.double()) for w, b in fp32_layers])
    for name, dtype in DTYPES.items():
        torch.backends.cuda.matmul.allow_tf32 = name == "tf32"
        layers = [(w.to(dtype), b.to(dtype)) for w, b in fp32_layers]
        fp8 = name == "fp8"
        if fp8:
            quantized = fp8_layers(fp32_layers)
            stored = [((wq.float() * ws).double(), b.double()) for wq, ws, b in quantized]
        else:
            stored = [(w.double(), b.double()) for w, b in layers]
        # Accuracy: float64 on the weights as this precision stores them, and on the fp32 weights.
        reference = forward(x8.to(dtype).double(), stored)
        ours = torch.from_numpy(np.fromfile(f"{out_dir}/out_{name}_b8.bin", dtype=np.float32).reshape(8, WIDTH)).cuda()
        torch_fp8 = None
        if fp8:
            try:
                theirs = forward_fp8(x8.to(torch.bfloat16), quantized).float()
                torch_fp8 = "torch._scaled_mm"
            except Exception as error:  # noqa: BLE001 - reported in the table
                theirs = forward(x8.to(dtype), [(w.to(dtype), b.to(dtype)) for w, b in stored])
                torch_fp8 = f"unavailable ({type(error).__name__}: {str(error)[:80]}); fp16 on the fp8 weights instead"
        else:
            theirs = forward(x8.to(dtype), layers)
        rows.append({"kind": "accuracy", "precision": name, "engine_vs_fp64": rel_error(ours, reference),
                     "torch_vs_fp64": rel_error(theirs, reference), "engine_vs_torch": rel_error(ours, theirs.double()),
                     "engine_vs_fp32_weights": rel_error(ours, exact), "torch_fp8": torch_fp8})
        if fp8 and torch_fp8 == "torch._scaled_mm":
            step, cast = (lambda x: forward_fp8(x, quantized)), torch.bfloat16
        elif fp8:
            fallback = [(w.to(dtype), b.to(dtype)) for w, b in stored]
            step, cast = (lambda x: forward(x, fallback)), dtype
        else:
            step, cast = (lambda x: forward(x, layers)), dtype
        for batch in BATCHES:
            x = torch.empty(batch, WIDTH, device="cuda", dtype=cast).uniform_(-1, 1)
            eager = median_us(lambda: step(x))
            side = torch.cuda.Stream()
            side.wait_stream(torch.cuda.current_stream())
            with torch.cuda.stream(side):
                for _ in range(3):
                    step(x)
            torch.cuda.current_stream().wait_stream(side)
            graph = torch.cuda.CUDAGraph()
            with torch.cuda.graph(graph):
                step(x)
            graphed = median_us(graph.replay)
            # The engine's contract: fp32 in, fp32 out, whatever the precision inside.
            x32 = x.float()
            io_graph = torch.cuda.CUDAGraph()
            with torch.cuda.graph(io_graph):
                step(x32.to(cast)).float()
            graphed_io = median_us(io_graph.replay)
            w0 = layers[0][0]
            if fp8 and torch_fp8 == "torch._scaled_mm":
                xq, wq, ws = x.to(torch.float8_e4m3fn), quantized[0][0], quantized[0][1]
                ones = torch.ones(batch, 1, device="cuda")
                matmul = median_us(lambda: torch._scaled_mm(xq, wq.t(), scale_a=ones, scale_b=ws.view(1, -1),
                                                            out_dtype=torch.bfloat16))
            else:
                matmul = median_us(lambda: torch.matmul(x.to(w0.dtype), w0.t()))
            rows.append({"kind": "torch", "precision": name, "batch": batch, "eager_us": eager, "graph_us": graphed,
                         "graph_fp32_io_us": graphed_io, "matmul_us": matmul})
            print(f"  {name} batch {batch:5d}: eager {eager:9.1f} us  graph {graphed:9.1f} us  matmul {matmul:8.1f} us")
            del graph, io_graph
    with open(f"{out_dir}/torch.jsonl", "w") as f:
        for row in rows:
            f.write(json.dumps(row) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
