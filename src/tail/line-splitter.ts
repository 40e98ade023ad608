/**
 * Splits a byte stream into lines. Shared by the directory tailer and `replay`, so both agree
 * on what a line is:
 * - a line ends at "\n"; a trailing "\r" is stripped; empty lines are handed on as "";
 * - a line is decoded only once it is complete, from the bytes, so a UTF-8 character split
 *   across two reads is decoded whole;
 * - a line longer than `maxLineBytes` is handed on once as `line_too_long` when its "\n"
 *   arrives; its bytes are dropped as they come, never buffered whole.
 *
 * The fast path decodes straight out of the caller's read buffer. Only the unfinished tail of
 * a chunk is copied, into a list of pieces joined once when the line completes, so a line that
 * spans many chunks costs linear, not quadratic, copying.
 */

export type LineError = "line_too_long";
export type LineEmit = (line: string, offset: number, error?: LineError) => void;

export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

export class LineSplitter {
  readonly maxLineBytes: number;
  /** File offset of the next byte to be pushed. */
  position = 0;
  /** File offset where the unfinished line starts: just after the last line handed on. */
  lineStart = 0;
  private pieces: Buffer[] = [];
  private pendingBytes = 0;
  private discarding = false;

  constructor(maxLineBytes: number = DEFAULT_MAX_LINE_BYTES) {
    this.maxLineBytes = maxLineBytes;
  }

  /** Bytes read but not yet handed on (the unfinished line). */
  get unfinishedBytes(): number {
    return this.position - this.lineStart;
  }

  /** Inside a line already known to be too long: its bytes up to "\n" are being dropped. */
  get isDiscarding(): boolean {
    return this.discarding;
  }

  /**
   * Forget any unfinished line and continue from `offset` (a line boundary). With `discard`,
   * the bytes up to the next "\n" belong to a line already known to be too long.
   */
  reset(offset: number, discard = false): void {
    this.position = offset;
    this.lineStart = offset;
    this.pieces = [];
    this.pendingBytes = 0;
    this.discarding = discard;
  }

  /**
   * Consume `chunk`, which holds the bytes at file offsets [position, position+chunk.length).
   * The chunk may be a reused read buffer: nothing keeps a reference to it after return.
   */
  push(chunk: Buffer, emit: LineEmit): void {
    const end = chunk.length;
    let i = 0;
    while (i < end) {
      const nl = chunk.indexOf(10, i);
      if (nl === -1) {
        this.keep(chunk, i, end);
        return;
      }
      const lineBytes = this.pendingBytes + (nl - i);
      if (this.discarding || lineBytes > this.maxLineBytes) {
        emit("", this.lineStart, "line_too_long");
      } else if (this.pendingBytes === 0) {
        const stop = nl > i && chunk[nl - 1] === 13 ? nl - 1 : nl;
        emit(chunk.toString("utf8", i, stop), this.lineStart);
      } else {
        this.pieces.push(chunk.subarray(i, nl));
        emit(decodeJoined(this.pieces, this.pendingBytes + (nl - i)), this.lineStart);
      }
      this.position += nl + 1 - i;
      this.lineStart = this.position;
      this.pieces = [];
      this.pendingBytes = 0;
      this.discarding = false;
      i = nl + 1;
    }
  }

  /** End of input (replay): hand on an unfinished last line as if it had its "\n". */
  finish(emit: LineEmit): void {
    if (this.position === this.lineStart) return;
    if (this.discarding) emit("", this.lineStart, "line_too_long");
    else emit(decodeJoined(this.pieces, this.pendingBytes), this.lineStart);
    this.reset(this.position);
  }

  private keep(chunk: Buffer, from: number, to: number): void {
    this.position += to - from;
    if (this.discarding) return;
    if (this.pendingBytes + (to - from) > this.maxLineBytes) {
      // Too long already: drop what we hold and skip to the next "\n" without buffering.
      this.discarding = true;
      this.pieces = [];
      this.pendingBytes = 0;
      return;
    }
    // Copy: the caller reuses its read buffer for the next chunk.
    this.pieces.push(Buffer.from(chunk.subarray(from, to)));
    this.pendingBytes += to - from;
  }
}

function decodeJoined(pieces: Buffer[], total: number): string {
  const joined = pieces.length === 1 ? pieces[0]! : Buffer.concat(pieces, total);
  const stop = total > 0 && joined[total - 1] === 13 ? total - 1 : total;
  return joined.toString("utf8", 0, stop);
}
