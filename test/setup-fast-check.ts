import fc from 'fast-check';

// Property tests are deterministic in CI (a fixed seed never flakes a landing); explore with
// FC_SEED=random or another number, and FC_RUNS for more cases.
const seed = process.env.FC_SEED === 'random' ? Date.now() : Number(process.env.FC_SEED ?? 20261123);
fc.configureGlobal({ seed, numRuns: Number(process.env.FC_RUNS ?? 100) });
