#!/usr/bin/python3
"""Writes a TorchScript 3D U-Net (Conv3d, InstanceNorm3d, ConvTranspose3d) for `isles import`.

It stands in for a checkpoint trained elsewhere: pass --state-dict to script your own weights of
this architecture; without it the weights are random (seeded), which shows the mechanics only.
Usage: /usr/bin/python3 scripts/example-torchscript-unet.py --out my_unet.pt [--base 8] [--state-dict ckpt.pth]
"""
import argparse

import torch
from torch import nn


def stage(cin, cout):
    return nn.Sequential(
        nn.Conv3d(cin, cout, 3, padding=1), nn.InstanceNorm3d(cout, affine=True), nn.LeakyReLU(0.01),
        nn.Conv3d(cout, cout, 3, padding=1), nn.InstanceNorm3d(cout, affine=True), nn.LeakyReLU(0.01))


class UNet(nn.Module):
    """Two inputs (DWI, ADC), three resolutions, one logit channel."""

    def __init__(self, base):
        super().__init__()
        self.enc1, self.enc2, self.bottom = stage(2, base), stage(base, 2 * base), stage(2 * base, 4 * base)
        self.up2, self.dec2 = nn.ConvTranspose3d(4 * base, 2 * base, 2, stride=2), stage(4 * base, 2 * base)
        self.up1, self.dec1 = nn.ConvTranspose3d(2 * base, base, 2, stride=2), stage(2 * base, base)
        self.head = nn.Conv3d(base, 1, 1)

    def forward(self, x):
        e1 = self.enc1(x)
        e2 = self.enc2(nn.functional.max_pool3d(e1, 2))
        b = self.bottom(nn.functional.max_pool3d(e2, 2))
        d2 = self.dec2(torch.cat([self.up2(b), e2], 1))
        return self.head(self.dec1(torch.cat([self.up1(d2), e1], 1)))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", required=True)
    parser.add_argument("--base", type=int, default=8)
    parser.add_argument("--state-dict")
    args = parser.parse_args()
    torch.manual_seed(0)
    net = UNet(args.base)
    if args.state_dict:
        net.load_state_dict(torch.load(args.state_dict, map_location="cpu"))
    torch.jit.script(net.eval()).save(args.out)
    print("wrote", args.out)


if __name__ == "__main__":
    main()
