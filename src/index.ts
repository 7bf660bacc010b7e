// The library's public entry point: re-exports of the stable API.
export * from './groups/group.js';
export * from './groups/permutation.js';
export * from './groups/classes.js';
export { Rng } from './linalg/rng.js';
export { UsageError } from './util/errors.js';
