/** `grokgroups presets`: lists the training presets (the same as `grokgroups train --preset list`). */
import { checkPositionals, HELP_OPTION, parseOrHelp, type CommandSpec } from '../options.js';
import { presetListText } from './train.js';

const SPEC: CommandSpec = {
  name: 'presets',
  usage: [''],
  description: 'Lists the presets `grokgroups train --preset NAME` accepts, with the reason of each.',
  options: [HELP_OPTION],
};

export async function run(args: string[]): Promise<number> {
  const p = parseOrHelp(SPEC, args);
  if (!p) return 0;
  checkPositionals(SPEC, p, 0, 0, 'no arguments');
  console.log(presetListText());
  return 0;
}
