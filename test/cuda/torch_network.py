"""Evaluates trtfarm networks with PyTorch on the GPU, for test/cuda/cuda.test.ts.

Reads a JSON file: a list of jobs {precision, network (the contract's JSON, data as arrays),
runs: [{inputs: {name: {shape, data}}}]}; writes the same list with each run's outputs
{name: {shape, data}} computed in that precision (fp32 with TF32 off, tf32 with it on,
fp16 and bf16 storing weights and activations in the 16-bit type).
Usage: python3 torch_network.py IN.json OUT.json
"""
import json
import math
import sys

import torch
import torch.nn.functional as F

DTYPES = {"fp32": torch.float32, "tf32": torch.float32, "fp16": torch.float16, "bf16": torch.bfloat16}
ACTIVATIONS = {
    "relu": lambda x, a: torch.relu(x),
    "sigmoid": lambda x, a: torch.sigmoid(x),
    "tanh": lambda x, a: torch.tanh(x),
    "gelu": lambda x, a: F.gelu(x),
    "leakyRelu": lambda x, a: F.leaky_relu(x, a),
}
BINARY = {"sum": torch.add, "prod": torch.mul, "sub": torch.sub, "max": torch.maximum, "min": torch.minimum}


def reshape(x, spec):
    shape = [x.shape[i] if d == 0 else d for i, d in enumerate(spec)]
    if -1 in shape:
        known = math.prod(d for d in shape if d != -1)
        shape[shape.index(-1)] = x.numel() // known
    return x.reshape(shape)


def layer_output(layer, args, dtype):
    tensor = lambda values, shape: torch.tensor(values, dtype=torch.float32, device="cuda").reshape(shape).to(dtype)
    kind = layer["type"]
    if kind == "fullyConnected":
        x = args[0]
        w = tensor(layer["weights"], [layer["outputs"], -1])
        b = tensor(layer["bias"], [-1]) if layer.get("bias") is not None else None
        y = F.linear(x.reshape(x.shape[0], -1), w, b)
        return y.reshape([x.shape[0], layer["outputs"]] + [1] * (x.dim() - 2))
    if kind == "constant":
        return tensor(layer["values"], layer["shape"])
    if kind == "matrixMultiply":
        a, b = args
        ta, tb = layer.get("transpose", [False, False])
        return torch.matmul(a.transpose(-1, -2) if ta else a, b.transpose(-1, -2) if tb else b)
    if kind == "elementWise":
        return BINARY[layer["op"]](args[0], args[1])
    if kind == "activation":
        return ACTIVATIONS[layer["kind"]](args[0], layer.get("alpha", 0.01))
    if kind == "reshape":
        return reshape(args[0], layer["shape"])
    raise ValueError(f"unknown layer type {kind}")


def evaluate(network, inputs, dtype):
    tensors = {name: torch.tensor(t["data"], dtype=torch.float32, device="cuda").reshape(t["shape"]).to(dtype)
               for name, t in inputs.items()}
    previous = network["inputs"][0]["name"]
    for layer in network["layers"]:
        names = [] if layer["type"] == "constant" else layer.get("inputs", [previous])
        tensors[layer["name"]] = layer_output(layer, [tensors[n] for n in names], dtype)
        previous = layer["name"]
    outputs = network.get("outputs", [network["layers"][-1]["name"]])
    return {name: {"shape": list(tensors[name].shape), "data": tensors[name].float().flatten().tolist()} for name in outputs}


def main(source, target):
    with open(source) as f:
        jobs = json.load(f)
    with torch.no_grad():
        for job in jobs:
            torch.backends.cuda.matmul.allow_tf32 = job["precision"] == "tf32"
            for run in job["runs"]:
                run["outputs"] = evaluate(job["network"], run["inputs"], DTYPES[job["precision"]])
    with open(target, "w") as f:
        json.dump(jobs, f)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
