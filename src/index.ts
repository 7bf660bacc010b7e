// The library's public entry point: re-exports of the stable API.
export * from './groups/group.js';
export * from './groups/permutation.js';
export * from './groups/classes.js';
export { Rng } from './linalg/rng.js';
export { UsageError } from './util/errors.js';
export { createTrainer } from './train/create-trainer.js';
export { splitData } from './train/split.js';
export { AdamW, DEFAULT_OPTIM } from './train/adamw.js';
export { crossEntropy, accuracy } from './models/loss.js';
export { initParams, paramSpecs } from './models/init.js';
export { mlpParams, mlpRunWithCache, MLP_HOOKS } from './models/mlp.js';
export { bilinearParams, bilinearRunWithCache, BILINEAR_HOOKS } from './models/bilinear.js';
export * from './groups/families.js';
export * from './groups/parse.js';
export {
  initTransformerParams,
  transformerParamSpecs,
  runWithCache as transformerRunWithCache,
  TRANSFORMER_HOOK_NAMES,
} from './models/transformer.js';
export { createTransformerTrainer } from './train/transformer-trainer.js';
export type { Irrep, IrrepType } from './reps/irrep.js';
export { typeNorm } from './reps/irrep.js';
export { genericRealIrreps } from './reps/generic.js';
export { splitRep } from './reps/decompose.js';
export { orthRep } from './reps/orth-rep.js';
export { characterCube } from './reps/cube.js';
export { checkIrreps, checkIrrep } from './reps/check.js';
export { irreps, irrepByName, IRREPS_SEED } from './reps/irreps.js';
