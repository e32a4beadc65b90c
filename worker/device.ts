// Binds a worker to one device and finds what it can serve there. The compatKey of each
// backend is read off a plan built here (a one-weight network): it is then exactly the key
// that plans built by this worker carry, and what the engine checks when loading a plan.
import os from 'node:os';

import type { DeviceInfo, EngineAddon } from '../shared/engine/types.js';
import type { BackendName } from '../shared/network/spec.js';
import type { NetworkSpec, TensorrtBuildOptions } from '../shared/network/spec.js';
import type { ServedClass } from '../shared/queue/worker-record.js';

export type DeviceChoice = number | 'cpu';

export interface DeviceBinding {
  device: DeviceChoice;
  info: DeviceInfo;
  serves: ServedClass[]; // best backend first
  versions: Record<string, string>;
}

const GPU_BACKENDS: BackendName[] = ['tensorrt', 'cuda'];

const PROBE: NetworkSpec = {
  inputs: [{ name: 'x', shape: [1, 1] }],
  layers: [{ name: 'probe', type: 'fullyConnected', outputs: 1, weights: new Float32Array([1]) }],
};

// The wider classes a tensorrt worker runs too, each read off a probe built with those options.
const TENSORRT_PORTABLE: TensorrtBuildOptions[] = [
  { versionCompatible: true },
  { hardwareCompatibility: 'ampere+' },
  { versionCompatible: true, hardwareCompatibility: 'ampere+' },
];

export async function bindDevice(engine: EngineAddon, device: DeviceChoice): Promise<DeviceBinding> {
  const statuses = engine.backends();
  const wanted: BackendName[] = device === 'cpu' ? ['cpu'] : GPU_BACKENDS;
  const usable = statuses.filter(
    (status) => wanted.includes(status.name) && status.available && (device === 'cpu' || status.devices.some((d) => d.index === device)),
  );
  if (usable.length === 0) {
    const reasons = statuses
      .filter((status) => wanted.includes(status.name))
      .map((status) => `${status.name}: ${status.reason ?? (status.available ? `no device ${device}` : 'unavailable')}`);
    throw new Error(`no backend can use device ${device} (${reasons.join('; ') || 'none compiled in'})`);
  }
  usable.sort((a, b) => wanted.indexOf(a.name) - wanted.indexOf(b.name));

  const serves: ServedClass[] = [];
  for (const status of usable) {
    const probe = await engine.build(PROBE, { precision: 'fp32', backend: status.name, device: device === 'cpu' ? undefined : device });
    serves.push({ backend: status.name, compatKey: probe.info.compatKey });
    if (status.name === 'tensorrt') serves.push(...(await portableClasses(engine, device)));
  }
  const listed = usable[0].devices.find((d) => device === 'cpu' || d.index === device);
  const info: DeviceInfo = listed ?? { index: 0, name: os.cpus()[0]?.model ?? 'cpu' };
  const versions: Record<string, string> = { node: process.versions.node };
  for (const status of usable) versions[status.name] = status.version;
  return { device, info, serves, versions };
}

async function portableClasses(engine: EngineAddon, device: DeviceChoice): Promise<ServedClass[]> {
  const classes: ServedClass[] = [];
  for (const tensorrt of TENSORRT_PORTABLE) {
    try {
      const probe = await engine.build(PROBE, { precision: 'fp32', backend: 'tensorrt', device: device === 'cpu' ? undefined : device, tensorrt });
      classes.push({ backend: 'tensorrt', compatKey: probe.info.compatKey, portable: true });
    } catch {
      // A level this GPU cannot build (ampere+ before Ampere): not a class it serves.
    }
  }
  return classes;
}
