// Types for event-line.js.
/** The fields written per event type beyond type, ts, seq and trace. */
export declare const ALLOWED_FIELDS: Readonly<Record<string, readonly string[]>>;
/** One JSON line for the event, or null when it must not be written (log.record, no type). */
export declare function eventToLine(event: unknown, tsNow?: number): string | null;
/** Items per array and keys per object walked; values per event; free-text characters redacted per event. */
export declare const MAX_ITEMS: number;
export declare const MAX_NODES: number;
export declare const MAX_FREE_CHARS: number;
/** Event types never written (also passed to the subscription as `exclude`). */
export declare const EXCLUDED_TYPES: string[];
