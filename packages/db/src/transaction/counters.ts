/** Mutable counterpart of `TransactionStats`, updated by the runners. */
export interface TransactionCounters {
  committed: number;
  rolledBack: number;
  commits: number;
}
