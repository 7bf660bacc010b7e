/** `grokgroups presets`: lists the training presets (the same as `grokgroups train --preset list`). */
import { UsageError } from '../../util/errors.js';
import { presetListText } from './train.js';

export const summary = 'list the training presets (configs/presets/*.json) with their reasons';

export async function run(args: string[]): Promise<number> {
  if (args.length === 1 && (args[0] === '--help' || args[0] === '-h')) {
    console.log('usage: grokgroups presets\n\nLists the presets `grokgroups train --preset NAME` accepts, with the reason of each.');
    return 0;
  }
  if (args.length > 0) throw new UsageError(`presets takes no arguments, got "${args[0]}"`);
  console.log(presetListText());
  return 0;
}
