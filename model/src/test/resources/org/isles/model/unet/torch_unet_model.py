# Torch twin of org.isles.model.unet.UNet3d, shared by the parity test and the benchmark, which
# append their own main part to this text.
import sys
import numpy as np
import torch
import torch.nn as nn


def conv_norm_act(cin, cout):
    return nn.Sequential(nn.Conv3d(cin, cout, 3, padding=1, bias=False),
                         nn.InstanceNorm3d(cout, eps=1e-5, affine=True),
                         nn.LeakyReLU(0.01))


def two_conv(cin, cout):
    return nn.Sequential(conv_norm_act(cin, cout), conv_norm_act(cout, cout))


class UpCat(nn.Module):
    def __init__(self, cin, cout):
        super().__init__()
        self.up = nn.ConvTranspose3d(cin, cout, kernel_size=2, stride=2)
        self.convs = two_conv(2 * cout, cout)

    def forward(self, coarse, skip):
        return self.convs(torch.cat([skip, self.up(coarse)], dim=1))


class UNet(nn.Module):
    def __init__(self, in_ch, base, depth):
        super().__init__()
        ch = [base << level for level in range(depth + 1)]
        self.stem = two_conv(in_ch, ch[0])
        self.downs = nn.ModuleList(nn.Sequential(nn.MaxPool3d(2), two_conv(ch[l - 1], ch[l])) for l in range(1, depth + 1))
        self.ups = nn.ModuleList(UpCat(ch[l + 1], ch[l]) for l in range(depth - 1, -1, -1))
        self.head = nn.Conv3d(ch[0], 1, 1)

    def forward(self, x):
        skips = []
        x = self.stem(x)
        for down in self.downs:
            skips.append(x)
            x = down(x)
        for up in self.ups:
            x = up(x, skips.pop())
        return self.head(x)
