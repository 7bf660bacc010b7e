/**
 * An error in what the user gave us (a group name, an option, a file). The CLI prints its message as one
 * line on stderr and exits with code 2, without a stack trace. The message names the bad input and says
 * what would have been accepted.
 */
export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * The GPU device was lost (driver reset, adapter removed, out of memory) while training or measuring. The
 * run stops keeping its last checkpoint; `--resume` continues it, on any backend.
 */
export class DeviceLostError extends Error {
  override name = 'DeviceLostError';
  constructor(readonly reason: string, message: string) {
    super(message);
  }
}
