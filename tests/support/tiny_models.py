"""Tiny ONNX models with the exact input and output signatures of Piper (VITS) and Kokoro voices.

They make no speech; they let the tests run the loading, duration and feeding code for
user-supplied model files without downloading any weights.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import onnx
from onnx import TensorProto, helper

from talkshow.voice.embedded import embedded_files

FRAMES_PER_ID = 3  # ceil(2.3 x length_scale 1.0)
HOP = 256
KOKORO_SAMPLES_PER_TOKEN = 600


def _const(name: str, value: np.ndarray) -> onnx.NodeProto:
    return helper.make_node("Constant", [], [name], value=onnx.numpy_helper.from_array(value, name))


def build_piper(folder: Path, speakers: dict[str, int] | None = None) -> Path:
    """A VITS-shaped model: every id lasts ``FRAMES_PER_ID`` frames (via a Ceil, like Piper's w_ceil)."""
    nodes = [
        helper.make_node("Cast", ["input"], ["x"], to=TensorProto.FLOAT),
        _const("zero", np.array(0.0, np.float32)),
        _const("base", np.array(2.3, np.float32)),
        _const("one_index", np.array(1, np.int64)),
        helper.make_node("Mul", ["x", "zero"], ["x0"]),
        helper.make_node("Add", ["x0", "base"], ["w"]),
        helper.make_node("Gather", ["scales", "one_index"], ["length_scale"]),
        helper.make_node("Mul", ["w", "length_scale"], ["w_scaled"]),
        _const("axes", np.array([1], np.int64)),
        helper.make_node("Unsqueeze", ["w_scaled", "axes"], ["w3"]),
        helper.make_node("Ceil", ["w3"], ["w_ceil"]),
        helper.make_node("ReduceSum", ["w_ceil"], ["frames"], keepdims=0),
        _const("hop", np.array(float(HOP), np.float32)),
        helper.make_node("Mul", ["frames", "hop"], ["samples_f"]),
        helper.make_node("Cast", ["samples_f"], ["samples"], to=TensorProto.INT64),
        _const("ones", np.array([1, 1], np.int64)),
        _const("flat", np.array([1], np.int64)),
        helper.make_node("Reshape", ["samples", "flat"], ["samples1"]),
        helper.make_node("Concat", ["ones", "samples1"], ["shape"], axis=0),
        helper.make_node(
            "ConstantOfShape", ["shape"], ["output"], value=helper.make_tensor("v", TensorProto.FLOAT, [1], [0.25])
        ),
    ]
    inputs = [
        helper.make_tensor_value_info("input", TensorProto.INT64, [1, "T"]),
        helper.make_tensor_value_info("input_lengths", TensorProto.INT64, [1]),
        helper.make_tensor_value_info("scales", TensorProto.FLOAT, [3]),
    ]
    outputs = [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 1, "N"])]
    graph = helper.make_graph(nodes, "tiny_vits", inputs, outputs)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    path = folder / "tiny-voice.onnx"
    onnx.save(model, path)
    real = json.loads(embedded_files("joe")[1].read_text())  # a real Piper config: its phoneme_id_map
    real["speaker_id_map"] = speakers or {}
    real["num_speakers"] = max(1, len(speakers or {}))
    (folder / "tiny-voice.onnx.json").write_text(json.dumps(real))
    return path


def build_kokoro(folder: Path) -> tuple[Path, Path, Path]:
    """A Kokoro-shaped model (tokens, style, speed -> audio), a voices archive and a vocab config."""
    nodes = [
        helper.make_node("Shape", ["tokens"], ["shape"]),
        _const("one", np.array(1, np.int64)),
        helper.make_node("Gather", ["shape", "one"], ["count"]),
        _const("per", np.array(KOKORO_SAMPLES_PER_TOKEN, np.int64)),
        helper.make_node("Mul", ["count", "per"], ["samples"]),
        _const("flat", np.array([1], np.int64)),
        helper.make_node("Reshape", ["samples", "flat"], ["samples1"]),
        helper.make_node(
            "ConstantOfShape", ["samples1"], ["audio"], value=helper.make_tensor("v", TensorProto.FLOAT, [1], [0.2])
        ),
    ]
    inputs = [
        helper.make_tensor_value_info("tokens", TensorProto.INT64, [1, "T"]),
        helper.make_tensor_value_info("style", TensorProto.FLOAT, [1, 256]),
        helper.make_tensor_value_info("speed", TensorProto.FLOAT, [1]),
    ]
    outputs = [helper.make_tensor_value_info("audio", TensorProto.FLOAT, ["N"])]
    model = helper.make_model(
        helper.make_graph(nodes, "tiny_kokoro", inputs, outputs), opset_imports=[helper.make_opsetid("", 17)]
    )
    model.ir_version = 8
    onnx.save(model, folder / "kokoro.onnx")
    np.savez(folder / "voices.bin", af_test=np.zeros((510, 1, 256), np.float32))
    symbols = "abdefhijklmnoprstuvwzæðŋɑɔəɛɪɹʃʊʌʒθˈˌː ,.?!"
    (folder / "config.json").write_text(json.dumps({"vocab": {s: i + 1 for i, s in enumerate(symbols)}}))
    return folder / "kokoro.onnx", folder / "voices.bin.npz", folder / "config.json"


def build_text_classifier(folder: Path, flagged_words: tuple[str, ...]) -> tuple[Path, Path]:
    """A bag-of-words ONNX classifier (labels ok, unsafe) and its Hugging Face tokenizer.json.

    ``input_ids`` -> one-hot rows from an embedding table -> max over tokens -> logits.
    A flagged word's row says "unsafe" strongly; every other row says "ok" a little.
    """
    words = ["[UNK]", "the", "a", "you", "show", "lambo", "octopus", "hello", *flagged_words]
    vocab = {word: i for i, word in enumerate(words)}
    tokenizer: dict[str, Any] = {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [],
        "normalizer": {"type": "Lowercase"},
        "pre_tokenizer": {"type": "Whitespace"},
        "post_processor": None,
        "decoder": None,
        "model": {"type": "WordLevel", "vocab": vocab, "unk_token": "[UNK]"},
    }
    tokenizer_path = folder / "tokenizer.json"
    tokenizer_path.write_text(json.dumps(tokenizer))
    table = np.tile(np.array([[1.0, 0.0]], np.float32), (len(words), 1))
    for word in flagged_words:
        table[vocab[word]] = [0.0, 6.0]
    nodes = [
        _const("table", table),
        helper.make_node("Gather", ["table", "input_ids"], ["rows"]),  # (1, T, 2)
        helper.make_node("ReduceMax", ["rows"], ["logits"], axes=[1], keepdims=0),  # (1, 2)
    ]
    graph = helper.make_graph(
        nodes,
        "tiny_text_classifier",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, [1, "T"])],
        [helper.make_tensor_value_info("logits", TensorProto.FLOAT, [1, 2])],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model_path = folder / "classifier.onnx"
    onnx.save(model, str(model_path))
    return model_path, tokenizer_path
