#!/usr/bin/python3
"""Writes the TorchScript cast module the bf16 inference path ships with (to_bfloat16.pt).

DJL 0.36's PyTorch JNI has no bfloat16 case (creating or casting to bf16 kills the JVM), but a
TorchScript module may return a bf16 tensor and DJL's operators run on it. This module,
x -> x.to(torch.bfloat16), is that door; the way back is DJL's own toType(FLOAT32), which works
on bf16 tensors. It is committed under model/src/main/resources/org/isles/model/inference/
(read by org.isles.model.inference.Bfloat16Network); rerun this script (Debian's torch,
/usr/bin/python3) to regenerate it:
    /usr/bin/python3 scripts/make-bfloat16-casts.py [--out DIR]
"""
import argparse
import os

import torch
from torch import nn

DEFAULT_OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir,
                           "model/src/main/resources/org/isles/model/inference")


class ToBfloat16(nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.to(torch.bfloat16)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=DEFAULT_OUT)
    out = os.path.normpath(parser.parse_args().out)
    os.makedirs(out, exist_ok=True)
    path = os.path.join(out, "to_bfloat16.pt")
    torch.jit.save(torch.jit.script(ToBfloat16()), path)
    print(path)


if __name__ == "__main__":
    main()
