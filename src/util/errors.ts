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
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A model, or a buffer for it, beyond a size limit of this toolkit (e.g. model views and figures are built
 * up to a group order; a kernel's memory up to 4 GiB). Callers that can do without the model (figures,
 * the dashboard) catch this class, and only this one, to skip or refuse the part that needs it.
 */
export class ModelTooLargeError extends Error {
  override name = 'ModelTooLargeError';
  constructor(
    message: string,
    /** The size asked for and the limit, in the message's unit (group order, bytes). */
    readonly size: number,
    readonly limit: number,
  ) {
    super(message);
  }
}

/** A group element index out of range 0..order-1 (e.g. the dashboard's `c`). */
export class ElementIndexError extends Error {
  override name = 'ElementIndexError';
  constructor(
    readonly index: number,
    readonly order: number,
  ) {
    super(`c=${index} is not an element index 0..${order - 1}`);
  }
}
