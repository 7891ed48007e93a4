/**
 * The forward pass, shared by training, test estimates and diagnostics so there is one
 * definition of what the network computes.
 */
import type { Activation, FloatArray } from './activations';
import type { LayerKernels } from './kernels';
import type { Activations, Layout } from './network';

export interface NetFunctions {
  readonly kernels: LayerKernels;
  /** Activation of the hidden layers. */
  readonly hidden: Activation;
  /** Activation of the output layer (the hidden one in "seed" mode, identity in "linear"). */
  readonly output: Activation;
}

/** pre_l and out_l for every layer, over acts.rows rows whose inputs are already in outs[0]. */
export function forwardPass(layout: Layout, fns: NetFunctions, acts: Activations, W: readonly FloatArray[]): void {
  const { shape, layers } = layout;
  const rows = acts.rows;
  for (let l = 0; l < layers; l++) {
    const nOut = shape[l + 1];
    const pre = acts.pres[l + 1];
    fns.kernels.forward(pre, acts.outs[l], W[l], rows, shape[l] + 1, nOut);
    if (l + 1 < layers) fns.hidden.forward(pre, acts.outs[l + 1], rows, nOut, nOut + 1, 1);
    else fns.output.forward(pre, acts.outs[l + 1], rows, nOut, nOut, 0);
  }
}
