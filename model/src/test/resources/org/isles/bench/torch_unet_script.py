# Appended to torch_unet_model.py: argv = OUT.pt BASE DEPTH; scripts a seeded, random UNet twin.
torch.manual_seed(0)
torch.jit.script(UNet(2, int(sys.argv[2]), int(sys.argv[3])).eval()).save(sys.argv[1])
