"""Imports torch with a thread setting: torch.set_num_threads(torch_threads) for torch's own pool, and OpenBLAS
(which torch.set_num_threads does not reach in Debian's torch) on blas_threads threads; its variables are read
when torch loads, so this module must be imported before anything else imports torch."""
import os


def import_torch(torch_threads, blas_threads):
    for var in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(blas_threads)
    os.environ["OMP_NUM_THREADS"] = str(torch_threads)
    import torch

    torch.set_num_threads(torch_threads)
    return torch
