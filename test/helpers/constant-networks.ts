// Small requests that are expensive to build (issue 9's resource bombs): one constant read by a
// chain of matrix products (each fused layer gets its own copy), and a chain of products of
// constants (all folded on the host). Values are scaled by 1/√n so that chained products stay near 1.
import type { LayerSpec, NetworkSpec } from '../../shared/network/spec.js';
import { randomData, type Rng } from './random-network.js';

// x[1, n] · C · C · … (`readers` products of the one constant C[n, n]).
export function sharedConstant(rng: Rng, n: number, readers: number): NetworkSpec {
  const layers: LayerSpec[] = [{ name: 'C', type: 'constant', shape: [n, n], values: randomData(rng, n * n, 1 / Math.sqrt(n)) }];
  for (let i = 1; i <= readers; i++) layers.push({ name: `y${i}`, type: 'matrixMultiply', inputs: [i === 1 ? 'x' : `y${i - 1}`, 'C'] });
  return { inputs: [{ name: 'x', shape: [1, n] }], layers };
}

// x[1, n] · (C · C · … · C): `links` products of constants, then one with the input.
export function constantChain(rng: Rng, n: number, links: number): NetworkSpec {
  const layers: LayerSpec[] = [{ name: 'C', type: 'constant', shape: [n, n], values: randomData(rng, n * n, 1 / Math.sqrt(n)) }];
  for (let i = 1; i <= links; i++) layers.push({ name: `p${i}`, type: 'matrixMultiply', inputs: [i === 1 ? 'C' : `p${i - 1}`, 'C'] });
  layers.push({ name: 'y', type: 'matrixMultiply', inputs: ['x', `p${links}`] });
  return { inputs: [{ name: 'x', shape: [1, n] }], layers };
}
