"""Writes bench/gpu/results.md from the engine's and PyTorch's measurements of one run."""
import datetime
import json
import sys

WIDTH, LAYERS = 4096, 4
BYTES = {"fp32": 4, "tf32": 4, "fp16": 2, "bf16": 2, "fp8": 1}  # weights; fp8's per-channel scales are extra


def rows(path):
    with open(path) as f:
        return [json.loads(line) for line in f if line.strip()]


def tactic_summary(tactics):
    """The first layer's choice per batch bucket (all four layers have the same shape)."""
    parts = []
    for t in tactics["layers"][0]["tactics"]:
        if t["kernel"] == "gemv":
            parts.append(f"{t['batch']}: gemv×{t['featuresPerWarp']}{'/smem-x' if t['sharedX'] else ''}"
                         f"{'/deep' if t.get('deep') else ''}")
        elif t["kernel"] == "cublasLt":
            parts.append(f"{t['batch']}: lt#{t['algo']}/t{t['tile']}/s{t['stages']}/k{t['splitK']}")
        else:
            parts.append(f"{t['batch']}: lt-heuristic")
    return ", ".join(parts)


def main(out_dir, command):
    engine = rows(f"{out_dir}/engine.jsonl")
    torch_rows = rows(f"{out_dir}/torch.jsonl")
    device = next(r for r in torch_rows if r["kind"] == "device")
    copy = device["copy_gbps"]
    theirs = {(r["precision"], r["batch"]): r for r in torch_rows if r["kind"] == "torch"}
    out = [
        "# bench/gpu results",
        "",
        f"- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC",
        f"- card: {device['name']}; PyTorch {device['torch']} (CUDA {device['cuda']})",
        f"- command: `{command}`",
        f"- network: {LAYERS} × fullyConnected {WIDTH}→{WIDTH} with bias + ReLU, one plan per precision with a dynamic"
        " batch 1..4096 (opt 64); engine times are CUDA-event medians of 50 graph replays of the whole network (4 layers,"
        " and the fp32 edge conversions unless the first/last layer runs as GEMV and reads/writes fp32 itself); PyTorch on the same weights in the same run (F.linear + relu; eager and CUDA graph).",
        f"- device-to-device copy bandwidth measured in this run: **{copy:.0f} GB/s** (read + write)",
        "- weight GB/s = weight bytes of the 4 layers (fp8: with their per-channel scales) / engine time; % of copy"
        " = that over the copy bandwidth; one layer µs (batches ≤ 64) = a one-layer plan of the same shape alone, its"
        " % of copy likewise; cuBLAS TFLOP/s = torch.matmul on one layer's shape (fp8: torch._scaled_mm; no bias or"
        " activation); % of cuBLAS compares the engine's whole-network rate with it",
        "",
        "| precision | batch | engine µs | one layer µs | layer % of copy | run() µs | torch eager µs | torch graph µs |"
        " torch graph, fp32 I/O µs | engine / torch graph | weight GB/s | % of copy | engine TFLOP/s | cuBLAS TFLOP/s |"
        " % of cuBLAS |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in (r for r in engine if r["kind"] == "engine"):
        p, b = r["precision"], r["batch"]
        t = theirs[(p, b)]
        us = r["graph_us"]
        layer_bytes = (WIDTH * WIDTH + WIDTH) * BYTES[p] + (WIDTH * 4 if p == "fp8" else 0)
        weight_bytes = LAYERS * layer_bytes
        gbps = weight_bytes / (us * 1e-6) / 1e9
        layer_us = r.get("layer_us", 0)
        layer_cells = (f"{layer_us:.1f} | {100 * layer_bytes / (layer_us * 1e-6) / 1e9 / copy:.0f}%" if layer_us > 0
                       else "– | –")
        flops = 2 * b * WIDTH * WIDTH
        ours_tf = LAYERS * flops / (us * 1e-6) / 1e12
        cublas_tf = flops / (t["matmul_us"] * 1e-6) / 1e12
        out.append(f"| {p} | {b} | {us:.1f} | {layer_cells} | {r['run_us']:.0f} | {t['eager_us']:.1f} | {t['graph_us']:.1f} |"
                   f" {t['graph_fp32_io_us']:.1f} |"
                   f" {us / t['graph_us']:.2f} | {gbps:.0f} | {100 * gbps / copy:.0f}% | {ours_tf:.1f} |"
                   f" {cublas_tf:.1f} | {100 * ours_tf / cublas_tf:.0f}% |")
    out += ["", "Build = validate + compile (weights rounded to the precision) + autotune + serialize; load = parse +"
            " upload + engine setup.", "",
            "| precision | build ms | compile | autotune | serialize | load ms | parse | plan MB |"
            " tactics per batch bucket (layer 1) |", "|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for r in (r for r in engine if r["kind"] == "build"):
        out.append(f"| {r['precision']} | {r['build_ms']:.0f} | {r['compile_ms']:.0f} | {r['tune_ms']:.0f} |"
                   f" {r['serialize_ms']:.0f} | {r['load_ms']:.0f} | {r['parse_ms']:.0f} | {r['plan_bytes'] / 2**20:.0f} |"
                   f" {tactic_summary(r['tactics'])} |")
    out += ["", "Accuracy at batch 8, ‖out − ref‖/‖ref‖ against float64 on the weights as each precision stores them:", "",
            "| precision | engine vs float64 | PyTorch vs float64 | engine vs PyTorch | engine vs float64 on the fp32"
            " weights |", "|---|---:|---:|---:|---:|"]
    for r in (r for r in torch_rows if r["kind"] == "accuracy"):
        out.append(f"| {r['precision']} | {r['engine_vs_fp64']:.2e} | {r['torch_vs_fp64']:.2e} | {r['engine_vs_torch']:.2e} |"
                   f" {r['engine_vs_fp32_weights']:.2e} |")
    fp8 = next((r for r in torch_rows if r["kind"] == "accuracy" and r["precision"] == "fp8"), None)
    if fp8:
        out += ["", f"PyTorch's fp8: {fp8['torch_fp8']}."]
    print("\n".join(out))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "bash bench/gpu/run.sh")
