/**
 * The one small value that crosses from the tailer to the parser, kept outside both stages as
 * shared vocabulary (mtail keeps its line type in a neutral `logline` package).
 * Nothing downstream of the tailer knows about file handles, inodes or checkpoints.
 */

/** Which kind of file a line came from. */
export type SourceKind = "log" | "diagnostics";

export interface LineRecord {
  /** `log` for openclaw[-profile]-YYYY-MM-DD[.N].log, `diagnostics` for diagnostics-*.jsonl. */
  readonly source: SourceKind;
  /** OpenClaw profile from the file name ("" for the default profile). */
  readonly profile: string;
  /** Path of the file the line was read from (for messages only, never a metric label). */
  readonly path: string;
  /** Byte offset of the first byte of the line in that file. */
  readonly offset: number;
  /** The line without its trailing "\n" or "\r\n". Empty when `error` is set. */
  readonly line: string;
  /** Set when the tailer could not hand the line on whole (it is counted as rejected). */
  readonly error?: "line_too_long";
}
