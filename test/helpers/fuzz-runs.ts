// How many cases each property-based test tries: small by default so that `npm test` stays
// short, more with FUZZ_RUNS (e.g. FUZZ_RUNS=5000 for a long local run). A failure prints its
// seed and path; FUZZ_SEED replays a run.
export function fuzzParameters(defaultRuns: number): { numRuns: number; seed?: number } {
  const runs = Number(process.env.FUZZ_RUNS ?? defaultRuns);
  const seed = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
  return { numRuns: Number.isSafeInteger(runs) && runs > 0 ? runs : defaultRuns, ...(seed === undefined ? {} : { seed }) };
}
