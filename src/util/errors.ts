/**
 * An error in what the user gave us (a group name, an option, a file). The CLI prints its message as one
 * line on stderr and exits with code 2, without a stack trace. The message names the bad input and says
 * what would have been accepted.
 */
export class UsageError extends Error {
  override name = 'UsageError';
}
