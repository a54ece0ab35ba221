import { useRef } from 'react';

/**
 * The latest non-null value: a modal driven by "which item" keeps showing that item while it animates closed,
 * instead of collapsing to nothing the moment the selection is cleared.
 */
export function useLastDefined<T>(value: T | null): T | null {
  const last = useRef(value);
  if (value !== null) {
    last.current = value;
  }
  return value ?? last.current;
}
