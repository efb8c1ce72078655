import type { ComponentChildren } from 'preact';
import type { ApiRefusal } from './api.ts';
import type { Loaded } from './use-load.ts';

/** A refusal as Artifactory words it, with the Edge's code beside it. */
export function Refusal({ refusal }: { refusal: ApiRefusal }) {
  return (
    <p class="refusal" role="alert">
      <strong>{refusal.message}</strong>
      {refusal.code ? <code class="code"> {refusal.code}</code> : null}
      {refusal.status ? <span class="status"> (HTTP {refusal.status})</span> : null}
    </p>
  );
}

/** Shows `render(value)` once loaded, the refusal if refused. */
export function Show<T>({ loaded, children }: { loaded: Loaded<T>; children: (value: T) => ComponentChildren }) {
  if (loaded.state === 'loading') return <p class="muted" aria-busy="true">Loading…</p>;
  if (loaded.state === 'refused') return <Refusal refusal={loaded.refusal} />;
  return <>{children(loaded.value)}</>;
}

export function when(time: string | number | undefined): string {
  if (time === undefined || time === '') return '';
  const date = new Date(time);
  return Number.isNaN(date.getTime()) ? String(time) : date.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

export function bytes(size: string | number): string {
  const n = Number(size);
  if (!Number.isFinite(n) || n < 0) return '';
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = n / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/** A table with one header row, or the `empty` line when there is nothing to list. */
export function Table<T>({ id, columns, items, empty, row }: { id: string; columns: string[]; items: T[]; empty: string; row: (item: T) => ComponentChildren }) {
  if (items.length === 0) return <p class="muted">{empty}</p>;
  return (
    <table id={id}>
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column}>{column}</th>
          ))}
        </tr>
      </thead>
      <tbody>{items.map(row)}</tbody>
    </table>
  );
}
