import type { ReactNode } from 'react';

export type SortDirection = 'ascending' | 'descending';
export interface Sort<K extends string> {
  key: K;
  direction: SortDirection;
}

/** Clicking the sorted column flips it; another column starts ascending (descending for numbers). */
export function nextSort<K extends string>(current: Sort<K>, key: K, numeric: boolean): Sort<K> {
  if (current.key === key) return { key, direction: current.direction === 'ascending' ? 'descending' : 'ascending' };
  return { key, direction: numeric ? 'descending' : 'ascending' };
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Sorts by one value; ties keep their order (Array.prototype.sort is stable). Missing values go last. */
export function sortRows<T>(rows: readonly T[], value: (row: T) => string | number | null, direction: SortDirection) {
  const sign = direction === 'ascending' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : collator.compare(String(x), String(y));
    return sign * order;
  });
}

/**
 * A column header that sorts: a real button (keyboard and screen readers), aria-sort on the header cell,
 * and an arrow beside the words so the sorted column is not told by colour alone.
 */
export function SortableHeader<K extends string>({
  column,
  sort,
  numeric = false,
  onSort,
  children,
}: {
  column: K;
  sort: Sort<K>;
  numeric?: boolean;
  onSort: (next: Sort<K>) => void;
  children: ReactNode;
}) {
  const active = sort.key === column;
  return (
    <th scope="col" aria-sort={active ? sort.direction : undefined} className={numeric ? 'numeric' : undefined}>
      <button type="button" className="sort-button" onClick={() => onSort(nextSort(sort, column, numeric))}>
        {children}
        <span className="sort-arrow" aria-hidden="true">
          {active ? (sort.direction === 'ascending' ? '▲' : '▼') : '↕'}
        </span>
      </button>
    </th>
  );
}
