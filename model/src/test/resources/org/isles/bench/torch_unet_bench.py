# Benchmark main, appended to torch_unet_model.py: the same timings as UNetBenchmark, in torch.
# argv: threads depth warmup iterations batch config... (config = "base:patch")
# prints one line per config: base patch train_ms infer_ms
import time

threads, depth, warmup, iterations, batch = map(int, sys.argv[1:6])
torch.set_num_threads(threads)
torch.manual_seed(0)


def mean_ms(step):
    for _ in range(warmup):
        step()
    start = time.perf_counter()
    for _ in range(iterations):
        step()
    return 1000 * (time.perf_counter() - start) / iterations


for config in sys.argv[6:]:
    base, patch = map(int, config.split(":"))
    net = UNet(2, base, depth)
    optimizer = torch.optim.AdamW(net.parameters(), lr=2e-4, weight_decay=1e-5)
    shape = (batch, 2, patch, patch, patch)

    def train_step():
        x = torch.randn(shape)
        y = (torch.rand((batch, 1, patch, patch, patch)) < 0.1).float()
        optimizer.zero_grad(set_to_none=True)
        logits = net(x)
        p = torch.sigmoid(logits)
        dice = 1 - (2 * (p * y).sum() + 1e-5) / (p.sum() + y.sum() + 1e-5)
        loss = dice + nn.functional.binary_cross_entropy_with_logits(logits, y)
        loss.backward()
        optimizer.step()

    def infer_step():
        with torch.inference_mode():
            net(torch.randn(shape))

    train_ms = mean_ms(train_step)
    infer_ms = mean_ms(infer_step)
    print(base, patch, f"{train_ms:.1f}", f"{infer_ms:.1f}", flush=True)
