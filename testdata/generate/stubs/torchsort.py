"""A stand-in for torchsort (a compiled package the mirror lacks), which TorchCP 1.2.1 imports for its training losses
only. The conformal suite uses TorchCP's scores, predictors and metrics, which never call these."""


def soft_rank(*args, **kwargs):
    raise NotImplementedError("torchsort is not installed; the conformal suite does not train")


def soft_sort(*args, **kwargs):
    raise NotImplementedError("torchsort is not installed; the conformal suite does not train")
