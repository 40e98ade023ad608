// Types for loss-ledger.js.
export interface Batch { file: string; lines: string[]; events: number[]; markers: number[]; bytes: number }
export interface LedgerStats { written: number; dropped: number; torn: number }
export interface LossLedger {
  dropped(n: number): void;
  takeOwed(): number;
  otherTorn(file: string): string | undefined;
  closedOther(written: number): boolean;
  encode(b: Batch): { encoded: Buffer[]; closing: boolean; buf: Buffer };
  settle(b: Batch, e: { encoded: Buffer[]; closing: boolean }, written: number): void;
}
export declare function createLossLedger(stats: LedgerStats): LossLedger;
