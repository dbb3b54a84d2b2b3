'use client';

import { useEffect, useState } from 'react';

/** The value once it has stopped changing for `ms`: typing a search does not fire a query per key. */
export function useDebouncedValue<T>(value: T, ms = 250): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return debounced;
}
