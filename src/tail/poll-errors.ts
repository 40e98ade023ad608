/**
 * The tailer's problems of one poll, reported once per path until they change: an unreadable
 * file is one warning, not one every 250 ms.
 */
export class PollErrors {
  private reported = new Map<string, string>();
  private thisPoll = new Map<string, string>();

  /** Starts a poll: what is not failed again in it counts as resolved when it ends. */
  begin(): void {
    this.thisPoll = new Map();
  }

  fail(path: string, message: string): void {
    this.thisPoll.set(path, message);
  }

  has(path: string): boolean {
    return this.thisPoll.has(path);
  }

  /** Hands on the problems that are new or changed since the previous poll. */
  end(onError: ((err: { path: string; message: string }) => void) | undefined): void {
    for (const [path, message] of this.thisPoll) {
      if (this.reported.get(path) !== message) onError?.({ path, message });
    }
    this.reported = this.thisPoll;
  }
}
