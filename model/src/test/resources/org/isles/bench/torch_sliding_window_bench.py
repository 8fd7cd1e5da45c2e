# Predict benchmark main, appended to torch_unet_model.py: the sliding window of
# org.isles.model.inference.SlidingWindowInference and the ensemble mean of ModelEnsemble in torch
# (nnU-Net window grid, zero padding to the patch, constant weights, un-mirrored TTA, mean
# probability over models, models outer and window batches inner as in DJL).
# argv: image.bin C D H W base depth patch overlap window_batch threads config...  (config = "models:tta")
# prints one line per config: models tta windows wall_seconds cpu_seconds (process, all threads)
import math
import time

image_file = sys.argv[1]
c, d, h, w, base, depth, patch = map(int, sys.argv[2:9])
overlap = float(sys.argv[9])
window_batch, threads = map(int, sys.argv[10:12])
configs = sys.argv[12:]
torch.set_num_threads(threads)
image = torch.from_numpy(np.fromfile(image_file, dtype="<f4").reshape(c, d, h, w))
MIRRORS = {"none": [()], "flip": [(), (4,)],
           "full": [(), (2,), (3,), (4,), (2, 3), (2, 4), (3, 4), (2, 3, 4)]}


def starts(size, p):
    count = math.ceil((size - p) / (p * (1 - overlap))) + 1
    step = (size - p) / (count - 1) if count > 1 else 0
    return [int(np.rint(step * i)) for i in range(count)]


def sliding_window(nets, mirrors):
    size = image.shape[1:]
    padded = [max(s, patch) for s in size]
    offset = [(p - s) // 2 for p, s in zip(padded, size)]
    source = torch.zeros((c, *padded))
    source[:, offset[0]:offset[0] + size[0], offset[1]:offset[1] + size[1], offset[2]:offset[2] + size[2]] = image
    windows = [(z, y, x) for z in starts(padded[0], patch) for y in starts(padded[1], patch)
               for x in starts(padded[2], patch)]
    total = torch.zeros(padded)
    weight = torch.zeros(padded)
    for z, y, x in windows:
        weight[z:z + patch, y:y + patch, x:x + patch] += 1
    with torch.inference_mode():
        for net in nets:
            for first in range(0, len(windows), window_batch):
                batch = windows[first:first + window_batch]
                x_in = torch.stack([source[:, z:z + patch, y:y + patch, x:x + patch] for z, y, x in batch])
                p = 0
                for axes in mirrors:
                    out = torch.sigmoid(net(x_in.flip(axes) if axes else x_in))
                    p = p + (out.flip(axes) if axes else out)
                p = p / len(mirrors)
                for b, (z, y, x) in enumerate(batch):
                    total[z:z + patch, y:y + patch, x:x + patch] += p[b, 0]
    mean = total / weight / len(nets)
    return mean[offset[0]:offset[0] + size[0], offset[1]:offset[1] + size[1], offset[2]:offset[2] + size[2]], len(windows)


torch.manual_seed(0)
all_nets = [UNet(c, base, depth).eval() for _ in range(max(int(cfg.split(":")[0]) for cfg in configs))]
sliding_window(all_nets[:1], MIRRORS["none"])  # warm-up: first passes allocate and pick kernels
for cfg in configs:
    models, tta = cfg.split(":")
    start, cpu_start = time.perf_counter(), time.process_time()
    _, windows = sliding_window(all_nets[:int(models)], MIRRORS[tta])
    print(models, tta, windows, f"{time.perf_counter() - start:.2f}", f"{time.process_time() - cpu_start:.2f}", flush=True)
