# Safetensors oracle, appended to torch_unet_model.py. argv: FILE.safetensors WORKDIR IN_CH BASE DEPTH SIZE
# WORKDIR holds manifest.txt ("index name dims..." per DJL parameter, in DJL order), p<index>.bin,
# x.bin (input) and djl.bin (DJL's logits). Parses the file by hand (json + numpy), checks every
# tensor against the DJL parameter exactly, then loads it into the torch twin with strict=True.
import json
import struct

path, work = sys.argv[1], sys.argv[2]
in_ch, base, depth, size = map(int, sys.argv[3:7])
raw = open(path, "rb").read()
(n,) = struct.unpack("<Q", raw[:8])
assert n % 8 == 0, n
text = raw[8:8 + n].decode("utf-8")
assert len(text) - len(text.rstrip(" ")) < 8, "header padded with fewer than 8 spaces"
header = json.loads(text)
metadata = header.pop("__metadata__")
assert all(isinstance(v, str) for v in metadata.values()), metadata
buffer = raw[8 + n:]
spans = sorted((entry["data_offsets"], name) for name, entry in header.items())
position = 0
for (begin, end), name in spans:
    assert begin == position, (name, begin, position)
    position = end
assert position == len(buffer), (position, len(buffer))

tensors = {}
for name, entry in header.items():
    assert entry["dtype"] == "F32", entry
    begin, end = entry["data_offsets"]
    array = np.frombuffer(buffer[begin:end], dtype="<f4")
    assert array.size == int(np.prod(entry["shape"])), (name, array.size, entry["shape"])
    tensors[name] = array.reshape(entry["shape"])

net = UNet(in_ch, base, depth)
names = list(net.state_dict().keys())
assert sorted(names) == sorted(tensors), (sorted(set(names) ^ set(tensors)))
manifest = [line.split() for line in open(f"{work}/manifest.txt")]
assert len(manifest) == len(names), (len(manifest), len(names))
for name, (index, djl_name, *dims) in zip(names, manifest):
    expected = np.fromfile(f"{work}/p{index}.bin", dtype="<f4").reshape([int(d) for d in dims])
    if name.endswith("up.weight"):  # (8*out, in, 1, 1, 1) -> (in, out, 2, 2, 2)
        cout, cin = expected.shape[0] // 8, expected.shape[1]
        expected = expected.reshape(cout, 2, 2, 2, cin).transpose(4, 0, 1, 2, 3)
    assert tensors[name].shape == expected.shape, (name, djl_name, tensors[name].shape, expected.shape)
    assert np.array_equal(tensors[name], expected), (name, djl_name)

net.load_state_dict({k: torch.from_numpy(v.copy()) for k, v in tensors.items()}, strict=True)
djl = np.fromfile(f"{work}/djl.bin", dtype="<f4")
x = torch.from_numpy(np.fromfile(f"{work}/x.bin", dtype="<f4").reshape(1, in_ch, size, size, size))
with torch.no_grad():
    out = net.eval()(x).numpy().ravel()
print(len(tensors), float(np.abs(out - djl).max()), float(np.abs(djl - djl.mean()).max()))
print(metadata["isles_model_card"].splitlines()[0])
