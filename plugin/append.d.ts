// Types for append.js.
export declare const NEWLINE: Buffer;
/** Appends buf (continuing short writes); written is what landed, err why it stopped early. */
export declare function appendAsync(file: string, buf: Buffer): Promise<{ written: number; err?: unknown }>;
export declare function appendSync(file: string, buf: Buffer): { written: number; err?: unknown };
