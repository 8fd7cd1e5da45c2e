# Parity test main, appended to torch_unet_model.py.
# argv: workdir input_channels base_channels depth batch size
# workdir holds manifest.txt ("index name dims..." per DJL parameter, in DJL order), p<index>.bin,
# x.bin, y.bin; writes out.bin, loss.bin and g<index>.bin (gradients in DJL layout).
work, in_ch, base, depth, batch, size = sys.argv[1], *map(int, sys.argv[2:])
torch.set_num_threads(1)


def read(name, shape):
    return torch.from_numpy(np.fromfile(f"{work}/{name}", dtype="<f4").reshape(shape))


def is_transposed(name):
    return name.endswith("up.weight")


net = UNet(in_ch, base, depth)
manifest = [line.split() for line in open(f"{work}/manifest.txt")]
named = list(net.named_parameters())
assert len(named) == len(manifest), (len(named), len(manifest))
with torch.no_grad():
    for (name, p), (index, djl_name, *dims) in zip(named, manifest):
        value = read(f"p{index}.bin", [int(d) for d in dims])
        if is_transposed(name):  # (8*out, in, 1, 1, 1) -> (in, out, 2, 2, 2)
            cin, cout = p.shape[0], p.shape[1]
            value = value.reshape(cout, 2, 2, 2, cin).permute(4, 0, 1, 2, 3)
        assert value.shape == p.shape, (name, djl_name, value.shape, p.shape)
        p.copy_(value)

shape = (batch, in_ch, size, size, size)
x = read("x.bin", shape)
y = read("y.bin", (batch, 1, size, size, size))
logits = net(x)
p = torch.sigmoid(logits)
dice = 1 - (2 * (p * y).sum() + 1e-5) / (p.sum() + y.sum() + 1e-5)
loss = dice + nn.functional.binary_cross_entropy_with_logits(logits, y)
loss.backward()
logits.detach().numpy().astype("<f4").tofile(f"{work}/out.bin")
np.array([loss.item()], dtype="<f4").tofile(f"{work}/loss.bin")
for (name, p), (index, *_) in zip(named, manifest):
    grad = p.grad
    if is_transposed(name):
        grad = grad.permute(1, 2, 3, 4, 0).reshape(-1, grad.shape[0], 1, 1, 1)
    grad.numpy().astype("<f4").tofile(f"{work}/g{index}.bin")
