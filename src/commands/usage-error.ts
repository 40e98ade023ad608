/**
 * A command line the user can fix (unknown command, bad replay arguments): one message, exit 2.
 * In its own module so the CLI can tell it apart without loading `replay` (and its progress
 * bar) on every `run`.
 */
export class UsageError extends Error {
  override name = "UsageError";
}
